import { describe, expect, it } from "vitest"
import { splitByRadius, type RadiusMember } from "./radius-groups.js"

describe("radius sub-groups (Goldschmidt's 30 % rule)", () => {
  it("a hand-made group: cations split where the next radius is ≥ 1.3× the previous; anions apart", () => {
    const group: RadiusMember[] = [
      { symbol: "Mg", radius: 0.72, ion: "cation" },
      { symbol: "Li", radius: 0.76, ion: "cation" },
      { symbol: "Ca", radius: 1.34, ion: "cation" }, // 1.34 / 0.76 = 1.76 → new
      { symbol: "Na", radius: 1.39, ion: "cation" },
      { symbol: "Sr", radius: 1.44, ion: "cation" },
      { symbol: "K", radius: 1.872, ion: "cation" }, // 1.872 / 1.44 = 1.3 exactly → new (≥)
      { symbol: "F", radius: 1.33, ion: "anion" },
      { symbol: "Cl", radius: 1.81, ion: "anion" }, // 1.81 / 1.33 = 1.36 → new
      { symbol: "Br", radius: 1.96, ion: "anion" },
      { symbol: "He", radius: undefined, ion: undefined },
    ]
    const sub = splitByRadius(group)
    expect(sub.map((s) => [s.ion, s.members])).toEqual([
      ["cation", ["Mg", "Li"]],
      ["cation", ["Ca", "Na", "Sr"]],
      ["cation", ["K"]],
      ["anion", ["F"]],
      ["anion", ["Cl", "Br"]],
      ["none", ["He"]],
    ])
  })

  it("a just-below-threshold chain never splits (the rule compares consecutive radii, not the first)", () => {
    const chain = [1, 1.29, 1.29 ** 2, 1.29 ** 3].map((r, i) => ({ symbol: `E${i}`, radius: r, ion: "cation" as const }))
    expect(splitByRadius(chain).map((s) => s.members.length)).toEqual([4])
  })
})
