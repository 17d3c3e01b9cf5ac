import { describe, expect, it } from "vitest"
import { effectiveRank, singularValues } from "./svd.js"

/** Q diag(σ) Rᵀ with Givens rotations Q, R: known singular values in a non-trivial basis. */
function withSingularValues(sigma: number[], rows: number, cols: number): Float64Array {
  const X = new Float64Array(rows * cols)
  sigma.forEach((s, k) => (X[k * cols + k] = s))
  const rotateRows = (i: number, j: number, t: number) => {
    for (let c = 0; c < cols; c++) {
      const a = X[i * cols + c]!, b = X[j * cols + c]!
      X[i * cols + c] = Math.cos(t) * a - Math.sin(t) * b
      X[j * cols + c] = Math.sin(t) * a + Math.cos(t) * b
    }
  }
  const rotateCols = (i: number, j: number, t: number) => {
    for (let r = 0; r < rows; r++) {
      const a = X[r * cols + i]!, b = X[r * cols + j]!
      X[r * cols + i] = Math.cos(t) * a - Math.sin(t) * b
      X[r * cols + j] = Math.sin(t) * a + Math.cos(t) * b
    }
  }
  for (let i = 0; i + 1 < rows; i++) rotateRows(i, i + 1, 0.3 + i)
  for (let j = 0; j + 1 < cols; j++) rotateCols(j, j + 1, 1.1 - 0.2 * j)
  return X
}

describe("singular values and effective rank", () => {
  it("recovers planted singular values for tall and wide matrices", () => {
    const sigma = [5, 3, 2, 0.5]
    for (const [rows, cols] of [[7, 4], [4, 9]] as const) {
      const s = singularValues(withSingularValues(sigma, rows, cols), rows, cols)
      expect(s.length).toBe(Math.min(rows, cols))
      sigma.forEach((v, k) => expect(s[k]).toBeCloseTo(v, 10))
    }
  })

  it("effective rank: k equal singular values → k; rank one → 1; closed form otherwise", () => {
    expect(effectiveRank([2, 2, 2, 2, 2])).toBeCloseTo(5, 12)
    expect(effectiveRank([3, 0, 0])).toBeCloseTo(1, 12)
    // p = (3/4, 1/4): exp(−¾ln¾ − ¼ln¼)
    expect(effectiveRank([3, 1])).toBeCloseTo(Math.exp(-0.75 * Math.log(0.75) - 0.25 * Math.log(0.25)), 12)
    expect(effectiveRank(singularValues(withSingularValues([1, 1, 1], 6, 3), 6, 3))).toBeCloseTo(3, 9)
  })
})
