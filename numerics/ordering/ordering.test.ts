import { describe, expect, it } from "vitest"
import { chemDistance, completeProductPaths, inverseDistances, symmetrizeMin, unreachablePairs } from "./chem-distance.js"
import { convexFront, kneeIndex, lowerConvexHull, paretoFront, rescaledVariance } from "./pareto.js"
import { spacingWeights } from "./readings.js"
import { fitGaps, lossParts, spacingLoss } from "./spacing.js"
import { permute, substitutionMatrix, symmetrize } from "./substitution.js"

const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)

describe("substitution matrix (eq. 3.1)", () => {
  it("divides counts by N_A of the row element", () => {
    // side 3 (index 0 unused, as in substitution.dat), elements 1 and 2
    const counts = Float64Array.from([0, 0, 0, 0, 0, 6, 0, 6, 0])
    const S = substitutionMatrix(counts, 3, Float64Array.from([0, 12, 3]), [1, 2])
    expect(Array.from(S)).toEqual([0, 0.5, 2, 0])
    expect(() => substitutionMatrix(counts, 3, Float64Array.from([0, 0, 3]), [1, 2])).toThrow(/N_A = 0/)
  })

  it("symmetrises by mean or max and permutes with missing rows as zeros", () => {
    const S = Float64Array.from([0, 0.5, 2, 0])
    expect(Array.from(symmetrize(S, 2, "mean"))).toEqual([0, 1.25, 1.25, 0])
    expect(Array.from(symmetrize(S, 2, "max"))).toEqual([0, 2, 2, 0])
    expect(Array.from(permute(S, 2, [1, -1, 0]))).toEqual([0, 0, 2, 0, 0, 0, 0.5, 0, 0])
  })
})

describe("chemical distance (eq. 3.2)", () => {
  it("completes over product paths, skips the diagonal, symmetrises by min", () => {
    // chain 0 —(S=0.5)→ 1 —(S=0.25)→ 2, only one direction each; element 3 isolated
    const n = 4
    const S = new Float64Array(n * n)
    S[0 * n + 1] = 0.5
    S[1 * n + 2] = 0.25
    S[2 * n + 1] = 0.2
    const d = inverseDistances(S, n)
    expect(d[0]).toBe(0)
    expect(d[0 * n + 2]).toBe(Infinity)
    const { d: dc, sweeps } = completeProductPaths(d, n)
    expect(dc[0 * n + 2]).toBe(2 * 4) // d_01·d_12
    expect(dc[2 * n + 0]).toBe(Infinity) // no path 2 → 0 (d_10 = ∞)
    expect(dc[0]).toBe(0) // the zero diagonal took no part: nothing collapsed to 0
    expect(sweeps).toBe(2)
    const D = symmetrizeMin(dc, n)
    expect(D[2 * n + 0]).toBe(8)
    expect(D[1 * n + 2]).toBe(4) // min(1/0.25, 1/0.2 = 5)
    expect(unreachablePairs(D, n)).toEqual([[0, 3], [1, 3], [2, 3]])
  })

  it("matches brute-force min over all simple paths on a random graph", () => {
    const n = 7
    const r = rng(3)
    const S = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && r() < 0.35) S[i * n + j] = 0.05 + 0.9 * r()
    const { D } = chemDistance(S, n)
    const d = inverseDistances(S, n)
    const best = (i: number, j: number): number => {
      let b = Infinity
      const walk = (u: number, seen: Set<number>, prod: number) => {
        if (u === j) return void (b = Math.min(b, prod))
        for (let v = 0; v < n; v++) if (!seen.has(v) && d[u * n + v] < Infinity) walk(v, new Set([...seen, v]), prod * d[u * n + v])
      }
      walk(i, new Set([i]), 1)
      return b
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j) expect(D[i * n + j]).toBeCloseTo(Math.min(best(i, j), best(j, i)), 12)
  })

  it("refuses a cycle with S > 1 (d < 1 shrinks without bound)", () => {
    const S = Float64Array.from([0, 2, 2, 2, 0, 2, 2, 2, 0])
    expect(() => completeProductPaths(inverseDistances(S, 3), 3)).toThrow(/no fixed point/)
  })
})

describe("spacing loss (eq. 3.3)", () => {
  const n = 9
  const r = rng(11)
  const W = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && r() < 0.6) W[i * n + j] = r()
  const p = { lambda: 6, eta: 0.1 }

  it("equals the direct double sum", () => {
    const x = Float64Array.from({ length: n - 1 }, () => 0.3 + r())
    let direct = p.eta * (x.reduce((a, b) => a + b, 0) - n) ** 2
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let D = 0
        for (let k = i; k < j; k++) D += x[k]
        direct += W[i * n + j] * D + p.lambda / D
      }
    expect(spacingLoss(x, W, n, p)).toBeCloseTo(direct, 10)
  })

  it("analytic gradient agrees with central finite differences", () => {
    const x = Float64Array.from({ length: n - 1 }, () => 0.3 + r())
    const g = new Float64Array(n - 1)
    spacingLoss(x, W, n, p, g)
    const h = 1e-6
    for (let k = 0; k < n - 1; k++) {
      const xp = Float64Array.from(x)
      const xm = Float64Array.from(x)
      xp[k] += h
      xm[k] -= h
      const fd = (spacingLoss(xp, W, n, p) - spacingLoss(xm, W, n, p)) / (2 * h)
      // central differences: O(h²) truncation + O(ε·L/h) rounding ≈ 1e-8 at this scale
      expect(Math.abs(fd - g[k])).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[k])))
    }
  })

  it("fitGaps reaches a stationary point; two elements have the closed form", () => {
    const fit = fitGaps(W, n, p)
    expect(fit.converged).toBe(true)
    expect(fit.gradNorm).toBeLessThan(1e-6)
    const { lossX, lossY } = lossParts(fit.gaps, W, n)
    expect(fit.lossX).toBe(lossX)
    expect(fit.lossY).toBe(lossY)
    // N = 2, one gap x: L = η(x − 2)² + w·x + λ/x; stationarity 2η(x − 2) + w − λ/x² = 0
    const W2 = Float64Array.from([0, 0.7, 0, 0])
    const x = fitGaps(W2, 2, p).gaps[0]
    expect(Math.abs(2 * p.eta * (x - 2) + 0.7 - p.lambda / (x * x))).toBeLessThan(1e-8)
  })

  it("readings pick the weights of pairs i < j as documented", () => {
    const S = Float64Array.from([0, 0.2, 0.6, 0])
    const D = Float64Array.from([0, 2, 2, 0])
    expect(Array.from(spacingWeights("raw", S, D, 2, [1, 0]))).toEqual([0, 0.6, 0.2, 0])
    expect(Array.from(spacingWeights("mean", S, D, 2, [0, 1]))[1]).toBeCloseTo(0.4, 15)
    expect(Array.from(spacingWeights("max", S, D, 2, [0, 1]))[1]).toBe(0.6)
    expect(Array.from(spacingWeights("completed", S, D, 2, [0, 1, -1]))).toEqual([0, 0.5, 0, 0.5, 0, 0, 0, 0, 0])
  })
})

describe("Pareto front, hull, variance, knee", () => {
  //   λ:  a(1,9) b(2,5) c(3,4.5) d(4,2) e(5,5) f(6,1.9)
  const pts = [{ x: 1, y: 9 }, { x: 2, y: 5 }, { x: 3, y: 4.5 }, { x: 4, y: 2 }, { x: 5, y: 5 }, { x: 6, y: 1.9 }]
  it("front drops dominated points; hull drops non-convex ones", () => {
    expect(paretoFront(pts)).toEqual([0, 1, 2, 3, 5])
    expect(lowerConvexHull(pts)).toEqual([0, 1, 3, 5])
    expect(convexFront(pts)).toEqual([0, 1, 3, 5])
  })
  it("rescaled variance is scale-free", () => {
    expect(rescaledVariance([1, 1, 1], 3)).toBe(0)
    expect(rescaledVariance([1, 3], 4)).toBeCloseTo(1, 15)
    expect(rescaledVariance([10, 30], 4)).toBeCloseTo(1, 15)
  })
  it("knee is the point farthest below the normalised chord", () => {
    expect(kneeIndex(pts, [0, 1, 3, 5])).toBe(3)
  })
})
