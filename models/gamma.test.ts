import { describe, expect, it } from "vitest"
import { Gamma, gammaJson, gammaNumber, gammaValue, GammaJson, strategyOf } from "./gamma.js"

describe("γ encoding", () => {
  it("node-id names → numbers → JSON → numbers, ±∞ for the pure channels", () => {
    for (const g of Gamma.options) {
      const n = gammaNumber(g)
      const stored = GammaJson.parse(JSON.parse(JSON.stringify(gammaJson(n))))
      expect(gammaValue(stored)).toBe(n)
    }
    expect(Gamma.options.map(gammaNumber)).toEqual([-Infinity, -4, -2, 0, 2, 4, Infinity])
    expect(Gamma.options.map(strategyOf)).toEqual(["H", "hybrid", "hybrid", "hybrid", "hybrid", "hybrid", "L"])
    expect(gammaValue(null)).toBeNull()
  })
})
