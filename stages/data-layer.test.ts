// The data-layer stages called directly (their run functions are thin glue over io/ and numerics/).
import { describe, expect, it } from "vitest"
import type { LabelledMatrix } from "../engine/index.js"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"
import type { Coverage } from "../io/element-tables.js"
import type { CrystalGraphSet } from "../numerics/graph/crystal-graph.js"
import { useSharedData } from "../tests/fixtures.js"
import { elementTables } from "./element-tables.js"
import { graphs } from "./graphs.js"
import { matbenchTask, type TaskArtifact } from "./matbench-task.js"

useSharedData()

describe("data-layer stages", () => {
  it("element-tables: CGCNN as a labelled 100 × 92 matrix with coverage", async () => {
    const out = (await runStage(elementTables, { params: { table: "cgcnn" }, dataDir: dataDir() })) as { table: LabelledMatrix; coverage: Coverage }
    expect(out.table.rows).toBe(100)
    expect(out.table.cols).toBe(92)
    expect(out.table.labels?.[25]).toBe("Fe")
    expect(out.coverage.missing).toEqual(["Md", "No", "Lr"])
    const back = elementTables.outputs.table.decode(elementTables.outputs.table.encode(out.table))
    expect([...back.data]).toEqual([...out.table.data])
  })

  it("matbench-task → graphs: the first 40 phonons structures, both kinds, through the artifact codec", async () => {
    const task = ((await runStage(matbenchTask, { dataDir: dataDir() })) as { task: TaskArtifact }).task
    expect(task.ids.length).toBe(1265)
    expect(matbenchTask.outputs.task.decode(matbenchTask.outputs.task.encode(task)).folds[0]!.test).toEqual(task.folds[0]!.test)
    const out = (await runStage(graphs, { params: { maxStructures: 40 }, inputs: { rows: task }, dataDir: dataDir() })) as Record<"cgcnn" | "megnet", CrystalGraphSet>
    for (const kind of ["cgcnn", "megnet"] as const) {
      const g = graphs.outputs[kind].decode(graphs.outputs[kind].encode(out[kind]))
      expect(g.kind).toBe(kind)
      expect(g.nStructures).toBe(40)
      expect(g.atomOffsets[40]).toBe(g.atomZ.length)
      expect(g.edgeOffsets[40]).toBe(g.edgeSrc.length)
    }
    expect(out.cgcnn.edgeSrc.length).toBe(12 * out.cgcnn.atomZ.length) // no phonons site has < 12 within 8 Å
  })
})
