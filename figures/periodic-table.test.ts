import { describe, expect, it } from "vitest"
import { periodicTableSvg, tablePosition } from "./periodic-table.js"

describe("periodic-table layout", () => {
  it("places landmark elements in their IUPAC cells (row = period − 1, col = group − 1)", () => {
    const cases: [number, number, number][] = [
      [1, 0, 0], [2, 0, 17], [5, 1, 12], [13, 2, 12], [21, 3, 2], [30, 3, 11], [36, 3, 17],
      [55, 5, 0], [56, 5, 1], [72, 5, 3], [79, 5, 10], [86, 5, 17], [87, 6, 0], [104, 6, 3], [118, 6, 17],
      [57, 7, 2], [71, 7, 16], [89, 8, 2], [103, 8, 16],
    ]
    for (const [z, row, col] of cases) expect(tablePosition(z)).toEqual({ row, col })
  })
  it("no two elements share a cell", () => {
    const cells = new Set(Array.from({ length: 118 }, (_, i) => JSON.stringify(tablePosition(i + 1))))
    expect(cells.size).toBe(118)
  })
  it("draws one cell per grouped element and escapes labels", () => {
    const svg = periodicTableSvg({ title: "a<b", z: (s) => ({ H: 1, He: 2 })[s]!, groupOf: new Map([["H", "g0"], ["He", "g1"]]) })
    expect(svg).toContain("a&lt;b")
    expect(svg.match(/<rect x="\d+" y="\d+" width="44"/g)?.length).toBe(2)
  })
})
