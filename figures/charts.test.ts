import { describe, expect, it } from "vitest"
import { groupedBarsSvg, lineChartSvg, panelGridSvg } from "./charts.js"

describe("charts", () => {
  it("grouped bars: one bar per finite value, whiskers and reference lines drawn, labels escaped", () => {
    const svg = groupedBarsSvg({ title: "t <x>", yLabel: "y", categories: ["a&b", "c"], series: ["s1", "s2"], values: [[1, NaN], [2, -1]], whiskers: [[[0.5, 1.5], null], [null, null]], references: [{ value: 0.6, label: "rule" }] })
    expect(svg.match(/<rect [^>]*fill="#/g)!.length - 2).toBe(3) // 3 bars (+2 legend swatches)
    expect(svg).toContain("a&amp;b")
    expect(svg).toContain("t &lt;x&gt;")
    expect(svg).toContain('stroke-dasharray="5,3"')
  })

  it("line chart: one polyline per series with ≥ 2 finite points", () => {
    const svg = lineChartSvg({ title: "t", xLabel: "γ", yLabel: "MAE", xCategories: ["H", "0", "L"], series: [{ name: "DIM 8", values: [3, 2, 4], spread: [0.5, 0, 0] }, { name: "DIM 16", values: [NaN, 1, NaN] }] })
    expect(svg.match(/<polyline/g)!.length).toBe(1)
    expect(svg.match(/<circle/g)!.length).toBe(4)
  })

  it("panel grid: panels placed row-major in columns", () => {
    const p = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"></svg>`
    const svg = panelGridSvg("grid", [p(100, 50), p(120, 60), p(80, 40)], 2)
    expect(svg).toContain('<svg x="0" y="30" ')
    expect(svg).toContain('<svg x="100" y="30" ')
    expect(svg).toContain('<svg x="0" y="90" ')
  })
})
