// The crabnet stages: a table missing an element that a formula needs fails the node before any
// training (naming elements, table, task), and the plan gives each (table, task, fold) its own node
// whose only table input is its own table, so a changed table reruns only its own models.
import { describe, expect, it } from "vitest"
import { plan } from "../engine/graph.js"
import { runStage } from "../engine/testing.js"
import type { LabelledMatrix } from "../engine/index.js"
import { openTask } from "../io/matbench.js"
import { openElementTable } from "../io/element-tables.js"
import { rocAuc } from "../numerics/stats/roc-auc.js"
import pipeline from "../pipeline.js"
import { useSharedData } from "../tests/fixtures.js"
import { crabnet, crabnetDistilled } from "./crabnet.js"

useSharedData()

/** Mat2Vec without the given elements, as a distilled table would lack them. */
function tableWithout(drop: string[]): LabelledMatrix {
  const t = openElementTable("mat2vec")
  const keep = t.symbols.map((s, i) => [s, i] as const).filter(([s]) => !drop.includes(s))
  const data = new Float64Array(keep.length * t.dim)
  keep.forEach(([, i], k) => data.set(t.vectors.subarray(i * t.dim, (i + 1) * t.dim), k * t.dim))
  return { rows: keep.length, cols: t.dim, data, labels: keep.map(([s]) => s) }
}
const summary = { table: "Mat2Vec-S", variant: "S", nComponents: 200 }

describe("crabnet: coverage of the element table", () => {
  const steels = { ...openTask("matbench_steels") }

  it("a table without Mn refuses matbench_steels by default, naming Mn, the table, the task and the counts", async () => {
    await expect(runStage(crabnetDistilled, { params: { task: "matbench_steels", fold: 0 }, inputs: { table: tableWithout(["Mn"]), summary, task: steels } })).rejects.toThrow(
      "bad param crabnet-distilled.missing: table Mat2Vec-S on matbench_steels fold 0: no vector for Mn, needed by 312 of 312 formulas (train 224, validation 25, test 63) — use a table that covers them, or --set crabnet-distilled.missing=drop",
    )
  })

  it("missing=drop cannot rescue steels (every formula holds Mn) and says so", async () => {
    await expect(
      runStage(crabnetDistilled, { params: { task: "matbench_steels", fold: 0, missing: "drop" }, inputs: { table: tableWithout(["Mn"]), summary, task: steels } }),
    ).rejects.toThrow("table Mat2Vec-S on matbench_steels fold 0: no train formula left: every one needs one of Mn")
  })
})

describe("crabnet: one small model end to end", () => {
  it("classification (glass): trained with BCE, scored by ROC-AUC of the probabilities, one prediction per test formula", async () => {
    const glass = { ...openTask("matbench_glass") }
    const m2v = openElementTable("mat2vec")
    const table = { rows: m2v.symbols.length, cols: m2v.dim, data: m2v.vectors, labels: m2v.symbols }
    const tiny = { task: "matbench_glass", fold: 1, epochs: 1, dModel: 16, heads: 2, layers: 1, ffn: 32, outWidth: 32, maxFormulas: 300 }
    const out = await runStage(crabnet, { params: tiny, inputs: { table, task: glass } })
    const f = glass.folds[1]!
    const n = (idx: number[]) => idx.filter((i) => i < 300).length
    expect(out.metrics).toMatchObject({ table: "Mat2Vec", dim: 200, task: "matbench_glass", fold: 1, metric: "rocAuc", missingElements: [], dropped: { train: 0, validation: 0, test: 0 }, epochs: 1 })
    expect(out.metrics.n).toEqual({ train: n(f.train), validation: n(f.validation), test: n(f.test) })
    expect(out.metrics.model.outHidden).toEqual([32, 16, 8, 4])
    const rows = out.predictions.trim().split("\n")
    expect(rows[0]).toBe("id,target,probability")
    expect(rows).toHaveLength(1 + n(f.test))
    const probs = rows.slice(1).map((r) => Number(r.split(",")[2]))
    expect(probs.every((p) => p > 0 && p < 1)).toBe(true)
    // the score is the ROC-AUC of exactly these probabilities against the glass labels
    expect(out.metrics.score).toBe(rocAuc(rows.slice(1).map((r) => Number(r.split(",")[1])), probs))
  }, 180_000)
})

describe("crabnet: plan", () => {
  const p = plan(pipeline.stages, { targets: ["crabnet-transfer"], preset: "default", assignments: [] })
  const ids = (stage: string) => p.nodes.filter((n) => n.stage.name === stage).map((n) => n.id)

  it("default: every table on matbench_steels, all five folds (2 published + 6 distilled tables × 5 folds)", () => {
    expect(ids("crabnet")).toHaveLength(10)
    expect(ids("crabnet-distilled")).toHaveLength(30)
    expect(ids("crabnet")).toContain("crabnet[fold=3,table=skipatom,task=matbench_steels]")
    expect(ids("crabnet-distilled")).toContain("crabnet-distilled[fold=4,nComponents=64,task=matbench_steels,variant=H]")
    expect(p.byId.get("crabnet-transfer")!.inputs.map((i) => [i.name, i.upstream.length])).toEqual([["published", 10], ["publishedPredictions", 10], ["distilled", 30], ["distilledPredictions", 30]])
  })

  it("each model reads only its own table and its task: a changed table reruns only its models", () => {
    const node = p.byId.get("crabnet-distilled[fold=2,nComponents=32,task=matbench_steels,variant=L]")!
    expect(node.inputs.map((i) => [i.name, i.upstream.map((u) => u.id)])).toEqual([
      ["table", ["distill[nComponents=32,variant=L]"]],
      ["summary", ["distill[nComponents=32,variant=L]"]],
      ["task", ["matbench-task[task=matbench_steels]"]],
    ])
    const published = p.byId.get("crabnet[fold=2,table=skipatom,task=matbench_steels]")!
    expect(published.inputs.map((i) => [i.name, i.upstream.map((u) => u.id)])).toEqual([
      ["table", ["element-tables[table=skipatom]"]],
      ["task", ["matbench-task[task=matbench_steels]"]],
    ])
  })

  it("the default GNN grid trains phonons folds 0 and 1, so the distilled tables hold Mn (fold 0's training part lacks it)", () => {
    expect(ids("train").filter((id) => id.includes("fold=1"))).toHaveLength(14)
    expect(ids("train")).toHaveLength(28)
  })
})
