import { describe, expect, it } from "vitest"
import { compositionSample, coverage, coverPolicy } from "./composition.js"

describe("composition samples and table coverage", () => {
  it("a formula's elements and fractions", () => {
    const s = compositionSample("Fe2O3")
    expect(s.symbols).toEqual(["Fe", "O"])
    expect(s.fractions[0]).toBeCloseTo(0.4, 15)
    expect(s.fractions[1]).toBeCloseTo(0.6, 15)
  })

  const samples = ["FeMn", "Fe2O3", "MnO", "SiO2", "NaCl", "Fe"].map(compositionSample)
  const split = { train: [0, 1, 3], validation: [4], test: [2, 5] }

  it("a full table keeps every formula", () => {
    const c = coverage(samples, new Set(["Fe", "Mn", "O", "Si", "Na", "Cl"]), split)
    expect(c.missingElements).toEqual([])
    expect(c.split).toEqual(split)
    expect(coverPolicy(c, split, "error")).toEqual({ ok: true })
  })

  it("a table without Mn: 'error' names Mn and counts per part; 'drop' removes those formulas", () => {
    const c = coverage(samples, new Set(["Fe", "O", "Si", "Na", "Cl"]), split)
    expect(c.missingElements).toEqual(["Mn"])
    expect(c.dropped).toEqual({ train: 1, validation: 0, test: 1 })
    expect(c.split).toEqual({ train: [1, 3], validation: [4], test: [5] })
    const refused = coverPolicy(c, split, "error")
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.problem).toBe("no vector for Mn, needed by 2 of 6 formulas (train 1, validation 0, test 1)")
    expect(coverPolicy(c, split, "drop")).toEqual({ ok: true })
  })

  it("'drop' refuses when a part is left empty (every steels formula holds Mn)", () => {
    const c = coverage(samples, new Set(["O", "Si", "Fe"]), split)
    const r = coverPolicy(c, split, "drop")
    expect(!r.ok && r.problem).toBe("no validation formula left: every one needs one of Mn Na Cl")
  })
})
