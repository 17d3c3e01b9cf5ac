import { describe, expect, it } from "vitest"
import { fixture } from "../tests/fixtures.js"
import { FormulaError, compositionVector, fractions, parseFormula } from "./formula.js"

interface Entry { input: string; fractions: Record<string, number>; amounts?: Record<string, number> }
const fx = fixture<{ entries: Entry[]; malformed: (Entry & { raises: boolean })[]; synthetic_extras: (Entry & { raises: boolean })[] }>("formulas.json")

// pymatgen sums amounts in its own order; 1e-12 relative covers float reassociation, nothing more.
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))

describe("parseFormula vs pymatgen 2022.11.7 (formulas.json)", () => {
  it.each(fx.entries.map((e) => [e.input, e] as const))("%s", (_, e) => {
    const got = fractions(e.input)
    expect(Object.keys(got).sort()).toEqual(Object.keys(e.fractions).sort())
    for (const [el, f] of Object.entries(e.fractions)) expect(close(got[el]!, f), `${el}: ${got[el]} vs ${f}`).toBe(true)
    const amounts = parseFormula(e.input)
    for (const [el, n] of Object.entries(e.amounts!)) expect(close(amounts.get(el)!, n)).toBe(true)
  })

  it("rejects every malformed input pymatgen rejects, and the three it lets through, naming the formula", () => {
    expect(fx.malformed.length).toBe(8)
    for (const m of fx.malformed) {
      let err: unknown
      try {
        parseFormula(m.input)
      } catch (e) {
        err = e
      }
      expect(err, m.input).toBeInstanceOf(FormulaError)
      const msg = (err as Error).message
      expect(msg).toContain(`'${m.input}'`)
      expect(msg).not.toContain("\n")
    }
  })

  it("names the bad part: unknown symbol, zero amount, empty", () => {
    expect(() => parseFormula("Xx2O")).toThrow(/unknown element 'Xx'/)
    expect(() => parseFormula("Fe0")).toThrow(/not positive/)
    expect(() => parseFormula("")).toThrow(/empty formula/)
  })

  it("agrees with pymatgen on the synthetic extras it accepts, except the hydrate dot", () => {
    for (const e of fx.synthetic_extras) {
      if (e.raises || e.input === "CuSO4.5H2O") continue
      const got = fractions(e.input)
      for (const [el, f] of Object.entries(e.fractions)) expect(close(got[el]!, f), e.input).toBe(true)
    }
    expect(() => parseFormula("fe2o3")).toThrow(FormulaError)
  })

  it("reads hydrate dots as + n H2O (not pymatgen's O5.5)", () => {
    const want = { Cu: 1, S: 1, O: 9, H: 10 }
    for (const f of ["CuSO4.5H2O", "CuSO4·5H2O", "CuSO4*5H2O", "CuSO4 · 5 H2O"]) expect(Object.fromEntries(parseFormula(f))).toEqual(want)
    expect(Object.fromEntries(parseFormula("Fe2O3.H2O"))).toEqual({ Fe: 2, O: 4, H: 2 })
    // a decimal stays a decimal
    expect(Object.fromEntries(parseFormula("Zn0.5Cd0.5Te"))).toEqual({ Zn: 0.5, Cd: 0.5, Te: 1 })
  })

  it("reads MatBench's space-separated structure compositions", () => {
    expect(Object.fromEntries(parseFormula("Hf2 Si2 Te2"))).toEqual({ Hf: 2, Si: 2, Te: 2 })
    const v = compositionVector("Ba1 Te1")
    expect(v.length).toBe(103)
    expect(v[55]).toBe(0.5) // Ba, Z=56
    expect(v[51]).toBe(0.5) // Te, Z=52
  })
})
