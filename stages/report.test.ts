import { describe, expect, it } from "vitest"
import { presetsMatching, renderReport, SECTIONS, type LockedNode } from "./report.js"
import { compositionScreen } from "./composition-screen.js"

// a hand-made pipeline.lock: the composition screen ran (one task), nothing else
const node = (stage: string, params: Record<string, unknown>, outputs: LockedNode["outputs"]): LockedNode => ({ stage, key: "k-" + stage, params, code: { hash: "c0ffee", version: "1" }, outputs })
const nodes: Record<string, LockedNode> = {
  "composition-pick": node("composition-pick", { r2Threshold: 0.6 }, {
    figure: { hash: "h1", path: "artifacts/composition-pick/figure.svg", size: 10 },
    table: { hash: "h2", path: "artifacts/composition-pick/table.csv", size: 10 },
  }),
}
const blobs: Record<string, string> = {
  h1: `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>fig 3.8</title></svg>`,
  h2: `task,mean_r2,best_published\nmatbench_phonons,0.91,"MegNet (kgcnn v2.1.0)"\n`,
}
const html = renderReport({ nodes, read: (o) => blobs[o.hash], presetOf: () => "default", codeVersion: "abc1234", generatedAt: "2026-01-01T00:00:00Z" })

describe("report page", () => {
  it("has every section in thesis order, each with the thesis's reference", () => {
    const at = SECTIONS.map((s) => html.indexOf(`<section id="${s.id}">`))
    expect(at.every((i) => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(html.match(/class="thesis-ref"/g)!.length).toBe(SECTIONS.length)
  })

  it("inlines what ran (SVG without its XML prolog, CSV as a table with quoted commas kept) with provenance", () => {
    expect(html).toContain(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>fig 3.8</title></svg>`)
    expect(html).not.toContain("<?xml")
    expect(html).toContain("<td>MegNet (kgcnn v2.1.0)</td>")
    expect(html).toContain("<td>k-composition-pick</td>")
    expect(html).toContain("abc1234")
  })

  it("says which sections did not run and gives their command; the CrabNet section waits for crabnet-transfer", () => {
    const crab = html.slice(html.indexOf('<section id="crabnet">'))
    expect(crab).toContain("Not run.")
    expect(crab).toContain("npx pipeline run crabnet-transfer")
    expect(crab).toContain("101.9088") // thesis Table 4.2 beside it
    const screen = html.slice(html.indexOf('<section id="composition-screen">'), html.indexOf('<section id="training">'))
    expect(screen).not.toContain("Not run.")
    expect(screen).toContain("composition-screen</code> not run") // the per-task nodes are absent from this lock
  })

  it("is self-contained: no script, no external URL in src/href", () => {
    expect(html).not.toMatch(/<script|<link|src="http|href="http/)
  })
})

describe("preset inference", () => {
  it("matches a node's params against each preset's resolution", () => {
    const p = { task: "matbench_phonons", nTrees: 200, seed: 0, maxTrainRows: 10_000 }
    expect(presetsMatching(compositionScreen, p)).toEqual(["default"])
    expect(presetsMatching(compositionScreen, { ...p, maxTrainRows: 0 })).toEqual(["paper"])
    expect(presetsMatching(compositionScreen, { ...p, nTrees: 10, maxTrainRows: 200 })).toEqual(["smoke"])
    expect(presetsMatching(compositionScreen, { ...p, nTrees: 50 })).toEqual([])
  })
})
