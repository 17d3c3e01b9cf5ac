import { describe, expect, it } from "vitest"
import { classAgreement, embeddingMetrics, gaussianAffinity, varianceEntropy } from "./metrics.js"

/** n points pairwise δ apart: the scaled standard basis e_i·δ/√2 (a regular simplex). */
function simplex(n: number, delta: number): Float64Array {
  const X = new Float64Array(n * n)
  for (let i = 0; i < n; i++) X[i * n + i] = delta / Math.SQRT2
  return X
}

describe("embedding metrics", () => {
  it("A_ij = exp(−‖v_i − v_j‖²) with zero diagonal", () => {
    const X = Float64Array.from([0, 0, 1, 0, 0, 2]) // (0,0), (1,0), (0,2)
    const A = gaussianAffinity(X, 3, 2)
    expect([A[0], A[4], A[8]]).toEqual([0, 0, 0])
    expect(A[1]).toBeCloseTo(Math.exp(-1), 15)
    expect(A[2]).toBeCloseTo(Math.exp(-4), 15)
    expect(A[5]).toBeCloseTo(Math.exp(-5), 15)
  })

  it("a regular simplex gives A = a(J − I): λ1 = a(n−1), gap = Fiedler = a·n, effective rank n−… closed forms", () => {
    const n = 7, delta = 0.8, a = Math.exp(-delta * delta)
    const m = embeddingMetrics(simplex(n, delta), n, n, Array(n).fill(undefined))
    expect(m.spectralRadius).toBeCloseTo(a * (n - 1), 12)
    expect(m.spectralGap).toBeCloseTo(a * n, 12)
    expect(m.fiedler).toBeCloseTo(a * n, 12)
    // X = c·I: n equal singular values → effective rank n; equal column variances → entropy ln n
    expect(m.effectiveRank).toBeCloseTo(n, 10)
    expect(m.entropy).toBeCloseTo(Math.log(n), 12)
    expect(m.ari).toBeNaN() // no classes given
  })

  it("variance entropy of column variances ∝ (1, 1, 2) is −2·¼ln¼ − ½ln½", () => {
    // columns: ±1, ±1, ±√2 over two rows → variances 1, 1, 2
    const X = Float64Array.from([1, 1, Math.SQRT2, -1, -1, -Math.SQRT2])
    expect(varianceEntropy(X, 2, 3)).toBeCloseTo(-2 * 0.25 * Math.log(0.25) - 0.5 * Math.log(0.5), 14)
  })

  it("K-means recovers well-separated classes (ARI 1); unclassified rows are left out", () => {
    const centres = [[0, 0], [10, 0], [0, 10]]
    const rows: number[] = []
    const classes: (string | undefined)[] = []
    centres.forEach((c, k) => {
      for (let t = 0; t < 5; t++) {
        rows.push(c[0]! + 0.1 * Math.cos(t), c[1]! + 0.1 * Math.sin(t))
        classes.push(["alkali", "halogen", "lanthanide"][k])
      }
    })
    rows.push(5, 5) // an element without a class
    classes.push(undefined)
    const r = classAgreement(Float64Array.from(rows), 16, 2, classes, { nInit: 5, seed: 0 })
    expect(r.classes).toBe(3)
    expect(r.ari).toBe(1)
    expect(r.silhouette).toBeGreaterThan(0.95)
  })
})
