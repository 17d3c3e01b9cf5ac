import { describe, expect, it } from "vitest"
import { mulberry32 } from "../random.js"
import { euclideanDistances } from "../cluster/silhouette.js"
import { pearson } from "../stats/correlation.js"
import { averageDistances, cosineDistances, distanceRange, distil, medianNonZero, standardiseColumns } from "./distill.js"
import { gaussian } from "./orthogonality.js"
import { SYMBOLS } from "../../chem/elements.js"
import { openElementTable } from "../../io/element-tables.js"
import { useSharedData } from "../../tests/fixtures.js"

const r = mulberry32(2024)
const randomTable = (n: number, d: number) => Float64Array.from({ length: n * d }, () => gaussian(r))
const symbols = (n: number) => Array.from({ length: n }, (_, i) => `E${i}`)
const upper = (M: Float64Array, n: number) => {
  const out: number[] = []
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(M[i * n + j]!)
  return out
}

/** A random orthogonal d×d matrix (Gram–Schmidt of a Gaussian matrix) applied to the rows of X. */
function rotate(X: Float64Array, n: number, d: number): Float64Array {
  const Q = randomTable(d, d)
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      let dot = 0
      for (let k = 0; k < d; k++) dot += Q[a * d + k]! * Q[b * d + k]!
      for (let k = 0; k < d; k++) Q[a * d + k]! -= dot * Q[b * d + k]!
    }
    let norm = 0
    for (let k = 0; k < d; k++) norm += Q[a * d + k]! ** 2
    for (let k = 0; k < d; k++) Q[a * d + k]! /= Math.sqrt(norm)
  }
  const Y = new Float64Array(n * d)
  for (let i = 0; i < n; i++) for (let o = 0; o < d; o++) for (let k = 0; k < d; k++) Y[i * d + o]! += X[i * d + k]! * Q[o * d + k]!
  return Y
}

describe("distillation steps", () => {
  it("cosine distances: 1 − cos, zero rows dropped", () => {
    const { D, kept } = cosineDistances(Float64Array.from([1, 0, 0, 0, 0, 2, -3, 0]), 4, 2)
    expect(kept).toEqual([0, 2, 3])
    expect(upper(D, 3)).toEqual([1, 2, 1])
  })
  it("median non-zero rescale and pairwise averaging over the models where both elements appear", () => {
    expect(medianNonZero(Float64Array.from([0, 0, 2, 0, 0, 4, 2, 4, 0]), 3)).toBe(3) // non-zero {2, 4}
    // model 1: A, B, C; model 2: B, C, D (D ⟂ to B). Pair (A, D) never co-occurs → one of them dropped
    const m1 = { symbols: ["A", "B", "C"], dim: 2, vectors: Float64Array.from([1, 0, 0, 1, 1, 1]) }
    const m2 = { symbols: ["B", "C", "D"], dim: 2, vectors: Float64Array.from([1, 0, 1, 1, 0, 1]) }
    const avg = averageDistances([m1, m2], ["A", "B", "C", "D"])
    expect(avg.dropped).toEqual(["D"])
    expect(avg.symbols).toEqual(["A", "B", "C"])
    // model 1 distances {1, 1−√½, 1−√½} median 1−√½; model 2 likewise
    const c = 1 - Math.SQRT1_2
    expect(avg.D[0 * 3 + 1]).toBeCloseTo(1 / c, 12) // A–B only in model 1
    expect(avg.D[1 * 3 + 2]).toBeCloseTo((c / c + c / c) / 2, 12) // B–C in both
    expect(avg.counts[1 * 3 + 2]).toBe(2)
  })
  it("standardised columns have mean 0 and population std 1", () => {
    const Z = standardiseColumns(randomTable(30, 3), 30, 3)
    for (let k = 0; k < 3; k++) {
      const col = Array.from({ length: 30 }, (_, i) => Z[i * 3 + k]!)
      const m = col.reduce((a, b) => a + b, 0) / 30
      expect(m).toBeCloseTo(0, 12)
      expect(col.reduce((a, b) => a + (b - m) ** 2, 0) / 30).toBeCloseTo(1, 12)
    }
  })
  it("distance range and angles", () => {
    const R = distanceRange(Float64Array.from([0, 0.5, 0.5, 0]), 2)
    expect(R.minAngle).toBeCloseTo(60, 12)
  })
})

describe("distillation (Mat2Vec-* recipe)", () => {
  const n = 24, d = 10
  const X = randomTable(n, d)
  const opts = { nComponents: 4, nInit: 2, maxIter: 300, seed: 42 }

  it("is rotation invariant: rotated (and row-rescaled) copies give the same Mat2Vec", () => {
    const a = distil([{ symbols: symbols(n), dim: d, vectors: X }], symbols(n), opts)
    const Y = rotate(X, n, d)
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) Y[i * d + k]! *= 1 + i // row norms do not matter either
    const b = distil([{ symbols: symbols(n), dim: d, vectors: Y }, { symbols: symbols(n), dim: d, vectors: rotate(X, n, d) }], symbols(n), opts)
    // the averaged matrices agree to rounding, hence so do the embeddings' distance matrices
    upper(a.D, n).forEach((v, i) => expect(upper(b.D, n)[i]).toBeCloseTo(v, 10))
    const Ea = upper(euclideanDistances(a.vectors, n, 4), n)
    const Eb = upper(euclideanDistances(b.vectors, n, 4), n)
    Ea.forEach((v, i) => expect(Eb[i]).toBeCloseTo(v, 6)) // SMACOF amplifies 1e-12 input noise over 300 iterations
  })

  it("recovers a single table's cosine geometry: Mat2Vec → 32-d Mat2Vec-style table", () => {
    useSharedData()
    const t = openElementTable("mat2vec")
    const src = { symbols: t.symbols, dim: t.dim, vectors: t.vectors }
    // one start and 300 iterations keep the test fast; the stage uses the thesis's 8 × 2,000
    const res = distil([src], SYMBOLS, { nComponents: 32, nInit: 1, maxIter: 300, seed: 42 })
    const m = res.symbols.length
    const input = upper(cosineDistances(t.vectors, t.symbols.length, t.dim).D, m) // same Z order, nothing dropped
    expect(res.symbols).toEqual(t.symbols)
    const rMds = pearson(input, upper(euclideanDistances(res.mds, m, 32), m))
    const rCos = pearson(input, upper(cosineDistances(res.vectors, m, 32).D, m))
    console.log(`Mat2Vec single-table recovery (n = ${m}): r(cosine D, MDS Euclidean D) = ${rMds.toFixed(4)}, r(cosine D, cosine D of the standardised table) = ${rCos.toFixed(4)}`)
    // 1 − cos is not a Euclidean metric (√(2(1 − cos)) is), so MDS cannot reproduce it exactly; measured 0.986
    expect(rMds).toBeGreaterThan(0.98)
    // standardising re-centres the table, which moves its angles; measured 0.77
    expect(rCos).toBeGreaterThan(0.7)
  })
})
