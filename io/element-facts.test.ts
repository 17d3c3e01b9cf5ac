import { describe, expect, it } from "vitest"
import { SYMBOLS, chemicalClasses, symbolOf, zOf } from "../chem/elements.js"
import { useSharedData } from "../tests/fixtures.js"
import { commonOxidationStates as oxidation, openChemicalClasses, openElementFacts, shannonRadii as radii } from "./element-facts.js"

useSharedData()
const facts = openElementFacts()
const classes = openChemicalClasses()
const shannonRadii = (s: string) => radii(facts, s)
const commonOxidationStates = (s: string) => oxidation(facts, s)
const chemicalClass = (s: string) => classes.get(s)

describe("elements", () => {
  it("maps symbol ↔ Z for Z = 1…118 and agrees with pymatgen's atomic numbers", () => {
    expect(SYMBOLS.length).toBe(118)
    for (let z = 1; z <= 118; z++) {
      expect(zOf(symbolOf(z))).toBe(z)
      expect(facts.get(symbolOf(z))?.["Atomic no"]).toBe(z)
    }
    expect(() => zOf("Xx")).toThrow(/unknown element symbol 'Xx'/)
    expect(() => symbolOf(119)).toThrow()
  })

  it("reads Shannon ionic radii (pymatgen's ionic_radius) and oxidation states", () => {
    // Shannon 1976: O2- VI 1.40 Å; Fe3+ VI high spin 0.645 Å; Fe2+ VI low spin 0.61 Å
    expect(shannonRadii("O").find((r) => r.charge === -2 && r.coordination === "VI")?.radius).toBe(1.4)
    expect(shannonRadii("Fe").find((r) => r.charge === 3 && r.coordination === "VI" && r.spin === "High Spin")?.radius).toBe(0.645)
    expect(shannonRadii("Fe").find((r) => r.charge === 2 && r.coordination === "VI" && r.spin === "Low Spin")?.radius).toBe(0.61)
    expect(shannonRadii("He")).toEqual([])
    expect(commonOxidationStates("Fe")).toEqual([2, 3])
    expect(commonOxidationStates("O")).toEqual([-2])
    const withRadii = SYMBOLS.filter((s) => shannonRadii(s).length > 0).length
    expect(withRadii).toBe(94) // elements pymatgen lists Shannon radii for
  })

  it("puts every element of Z = 1…103 in exactly one of the 10 thesis classes", () => {
    const counts = new Map<string, number>()
    for (const s of SYMBOLS.slice(0, 103)) {
      const c = chemicalClass(s)
      expect(c, s).toBeDefined()
      counts.set(c!, (counts.get(c!) ?? 0) + 1)
    }
    expect([...counts.keys()].sort()).toEqual([...chemicalClasses].sort())
    expect(counts.get("lanthanide")).toBe(15) // La…Lu
    expect(counts.get("actinide")).toBe(15) // Ac…Lr
    expect(counts.get("alkali")).toBe(6) // Li…Fr (H is a non-metal here)
    expect(counts.get("halogen")).toBe(5) // F, Cl, Br, I, At
    expect(chemicalClass("O")).toBe("non-metal")
    expect(chemicalClass("Te")).toBe("metalloid")
    expect(chemicalClass("Fe")).toBe("transition-metal")
    expect(chemicalClass("Xe")).toBe("noble-gas")
  })
})
