import { describe, expect, it } from "vitest"
import { regressionErrors } from "./errors.js"

describe("regressionErrors", () => {
  it("matches hand-computed MAE, RMSE and max error", () => {
    // errors −1, 2, 0, −3: MAE 6/4, RMSE √(14/4), max 3
    const r = regressionErrors([1, 2, 3, 4], [0, 4, 3, 1])
    expect(r.n).toBe(4)
    expect(r.mae).toBe(1.5)
    expect(r.rmse).toBeCloseTo(Math.sqrt(3.5), 14)
    expect(r.maxError).toBe(3)
  })
  it("rejects mismatched lengths and gives NaN for no rows", () => {
    expect(() => regressionErrors([1, 2], [1])).toThrow(/2 targets but 1 predictions/)
    expect(Number.isNaN(regressionErrors([], []).rmse)).toBe(true)
  })
})
