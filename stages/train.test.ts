// The train stage on a slice of the real matbench_phonons mirror: one node per backbone runs end to
// end and its outputs are well formed (ModelEmbeddings schema, one prediction per test row).
import { describe, expect, it } from "vitest"
import { encodeOutputs } from "../engine/executors/invoke.js"
import type { CrystalGraphSet } from "../numerics/graph/crystal-graph.js"
import type { TaskArtifact } from "./matbench-task.js"
import { ModelEmbeddings } from "../models/embeddings.js"
import { useSharedData } from "../tests/fixtures.js"
import { graphs } from "./graphs.js"
import { matbenchTask } from "./matbench-task.js"
import { gammaNumber, train } from "./train.js"

useSharedData()
const ctx = { node: "test", progress: () => {}, log: () => {} }

describe("train stage", () => {
  it("trains a smoke-sized node per backbone and exports its embeddings", async () => {
    // these stages' run functions return plain values (not Effects)
    const task = ((await matbenchTask.run({ ...ctx, params: matbenchTask.params.parse({}), inputs: {} } as never)) as { task: TaskArtifact }).task
    const g = (await graphs.run({ ...ctx, params: graphs.params.parse({ maxStructures: 60 }), inputs: { rows: task } } as never)) as Record<"cgcnn" | "megnet", CrystalGraphSet>
    for (const [backbone, gamma] of [["cgcnn", "H"], ["megnet", "0"]] as const) {
      const params = train.params.parse({ backbone, gamma, dim: 8, epochs: 2, patience: 2, maxStructures: 60 })
      const out = (await train.run({ ...ctx, params, inputs: { cgcnn: g.cgcnn, megnet: g.megnet, task } } as never)) as {
        metrics: { epochs: number }; predictions: string; embeddings: unknown
      }
      const nTest = task.folds[0]!.test.filter((i) => i < 60).length
      expect(out.predictions.trim().split("\n")).toHaveLength(nTest + 1)
      expect(out.metrics.epochs).toBe(2)
      const e = ModelEmbeddings.parse(out.embeddings)
      expect(e.meta.gamma).toBe(gamma === "H" ? "-Infinity" : 0)
      expect(e.h?.length).toBe(e.symbols.length)
      expect(e.l === undefined).toBe(gamma === "H")
      expect(e.layers).toHaveLength(3)
    }
  }, 60_000)

  it("reads γ names as the end points", () => {
    expect([gammaNumber("H"), gammaNumber("-2"), gammaNumber("L")]).toEqual([-Infinity, -2, Infinity])
  })
})

describe("train artifacts are content only (issue 11 §4)", () => {
  it("two identical trainings give byte-identical outputs (the wall time lives in the cache record)", async () => {
    const task = ((await matbenchTask.run({ ...ctx, params: matbenchTask.params.parse({}), inputs: {} } as never)) as { task: TaskArtifact }).task
    const g = (await graphs.run({ ...ctx, params: graphs.params.parse({ maxStructures: 40 }), inputs: { rows: task } } as never)) as Record<"cgcnn" | "megnet", CrystalGraphSet>
    const params = train.params.parse({ backbone: "cgcnn", gamma: "0", dim: 8, epochs: 2, patience: 2, maxStructures: 40 })
    const once = async () => encodeOutputs(train, (await train.run({ ...ctx, params, inputs: { cgcnn: g.cgcnn, megnet: g.megnet, task } } as never)) as Record<string, unknown>)
    const [a, b] = [await once(), await once()]
    expect(Object.keys(a).sort()).toEqual(["embeddings", "metrics", "predictions"])
    for (const name of Object.keys(a)) expect(Buffer.compare(Buffer.from(a[name]!), Buffer.from(b[name]!)), name).toBe(0)
    expect(new TextDecoder().decode(a.metrics)).not.toMatch(/wallSeconds/)
  }, 60_000)
})
