import { describe, expect, it } from "vitest"
import { barsSvg, escapeXml, heatmapSvg, niceTicks, scatterSvg, stripSvg } from "./svg.js"

/** Minimal XML well-formedness check: balanced tags, no raw '&' or '<' in text. Returns tag counts. */
function parseTags(svg: string): Map<string, number> {
  const counts = new Map<string, number>()
  const stack: string[] = []
  const re = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g
  let last = 0
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    const between = svg.slice(last, m.index)
    expect(between).not.toMatch(/<|&(?!(amp|lt|gt|quot|apos);)/)
    last = m.index + m[0].length
    const [, close, name, , selfClose] = m
    if (close) expect(stack.pop()).toBe(name)
    else {
      counts.set(name, (counts.get(name) ?? 0) + 1)
      if (!selfClose) stack.push(name)
    }
  }
  expect(svg.slice(last).trim()).toBe("")
  expect(stack).toEqual([])
  return counts
}

describe("figures/svg", () => {
  it("escapes XML specials", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;")
  })

  it("heatmap: one rect per cell, labels escaped, non-finite cells allowed", () => {
    const v = new Float64Array([0, 1, Infinity, 1, 0, 2, Infinity, 2, 0])
    const svg = heatmapSvg({ values: v, n: 3, labels: ["A<1>", "B&", "C"], title: "D & d", colorbarLabel: "dist" })
    const c = parseTags(svg)
    expect(c.get("svg")).toBe(1)
    // 9 cells + 1 background + 20 colour-bar steps
    expect(c.get("rect")).toBe(9 + 1 + 20)
    expect(svg).toContain("A&lt;1&gt;")
    expect(svg).toContain("B&amp;")
    expect(svg).toContain("rgb(200,200,200)") // ∞ drawn grey
  })

  it("heatmap accepts nested arrays", () => {
    const c = parseTags(heatmapSvg({ values: [[1, 2], [3, 4]], labels: ["a", "b"], title: "t" }))
    expect(c.get("rect")).toBe(4 + 1 + 20)
  })

  it("scatter: one circle per finite point, labels and overlay", () => {
    const svg = scatterSvg({
      points: [{ x: 1, y: 2, label: "λ=1" }, { x: 2, y: 1, label: "λ=6", highlight: true }, { x: NaN, y: 1 }],
      title: "Pareto",
      xLabel: "LossX",
      yLabel: "LossY",
      line: true,
      overlay: [{ x: 1, y: 2 }, { x: 2, y: 1 }],
    })
    const c = parseTags(svg)
    expect(c.get("circle")).toBe(2)
    expect(c.get("polyline")).toBe(2)
    expect(svg).toContain("crimson")
  })

  it("bars: one rect per value plus background", () => {
    const c = parseTags(barsSvg({ values: [0.5, 1.5, -0.2], labels: ["Li", "Na", "<K>"], title: "gaps", yLabel: "x" }))
    expect(c.get("rect")).toBe(3 + 1)
  })

  it("strip: one tick per item", () => {
    const c = parseTags(stripSvg({ items: [{ label: "He", x: 0 }, { label: "Ne", x: 1.2 }, { label: "H", x: 90 }], title: "order" }))
    expect(c.get("line")).toBe(1 + 3)
  })

  it("nice ticks cover the range with round steps", () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(0.13, 0.9, 4)).toEqual([0.2, 0.4, 0.6, 0.8])
  })
})
