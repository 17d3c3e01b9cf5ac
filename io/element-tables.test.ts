import { describe, expect, it } from "vitest"
import { useSharedData } from "../tests/fixtures.js"
import { coverage, elementTableNames, openElementTable as loadElementTable, vectorOf } from "./element-tables.js"

useSharedData()

describe("element tables", () => {
  it("rejects an unknown name with one line listing the known ones", () => {
    expect(() => loadElementTable("nope")).toThrow(/unknown element table 'nope' — known: cgcnn, mat2vec/)
  })

  // Row counts and dims from shared/data/PROVENANCE.md (rows include non-element keys such as MEGNet's "Null").
  it.each([
    ["cgcnn", 100, 92],
    ["mat2vec", 118, 200],
    ["skipatom", 86, 200],
    ["megnet16", 94, 16],
    ["magpie", 97, 22],
    ["oliynyk", 85, 44],
    ["matscholar", 103, 200],
  ] as const)("%s: %i elements × %i, rows in Z order", (name, n, dim) => {
    const t = loadElementTable(name)
    expect(t.symbols.length).toBe(n)
    expect(t.dim).toBe(dim)
    expect(t.vectors.length).toBe(n * dim)
    expect(t.symbols[0]).toBe("H")
  })

  it("CGCNN atom_init rows are one-hot blocks keyed by Z (H row has 1s in 9 blocks)", () => {
    const t = loadElementTable("cgcnn")
    const h = vectorOf(t, "H")!
    expect([...h].every((x) => x === 0 || x === 1)).toBe(true)
    expect(h.reduce((a, b) => a + b, 0)).toBe(9)
    expect(t.symbols.at(-1)).toBe("Fm") // Z = 100
  })

  it("reports coverage of Z = 1…103 for every table", () => {
    for (const name of elementTableNames) {
      const c = coverage(loadElementTable(name))
      expect(c.covered.length + c.missing.length + c.incomplete.length).toBe(103)
    }
    expect(coverage(loadElementTable("mat2vec")).covered.length).toBe(103)
    const sk = coverage(loadElementTable("skipatom"))
    expect(sk.missing).toContain("He") // SkipAtom has no noble gases
    expect(sk.covered.length).toBe(86)
    const ol = coverage(loadElementTable("oliynyk"))
    expect(ol.incomplete.length).toBeGreaterThan(0) // blanks in the CSV are NaN, reported, not hidden
  })
})
