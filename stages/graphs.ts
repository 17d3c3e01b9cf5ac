// stages/graphs.ts: thesis §3.2 — crystal graphs of a MatBench structure task, built once and stored
// as compact typed arrays so training never rebuilds them: CGCNN (12 nearest within 8 Å, PBC) and
// MEGNet (all directed pairs within 4 Å). Gaussian edge features are expanded at batch time.
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { STRUCTURE_INPUT_TASKS, loadStructures, structureInput } from "../io/matbench.js"
import { buildGraphSets } from "../numerics/graph/build.js"
import { type CrystalGraphSet, decodeGraphSet, encodeGraphSet } from "../numerics/graph/crystal-graph.js"
import { matbenchTask } from "./matbench-task.js"

const graphSet = () =>
  artifact.custom<CrystalGraphSet>({ kind: "crystal-graph-set", ext: "cgs", encode: encodeGraphSet, decode: decodeGraphSet })

export const graphs = stage({
  name: "graphs",
  version: "1",
  description: "CGCNN and MEGNet crystal graphs of every structure of a task (typed-array artifacts)",
  params: z.object({
    task: z.enum(STRUCTURE_INPUT_TASKS).default("matbench_phonons"),
    cgcnnRadiusAngstrom: z.number().positive().default(8),
    cgcnnMaxNeighbors: z.number().int().positive().default(12),
    megnetCutoffAngstrom: z.number().positive().default(4),
    maxStructures: z.number().int().min(0).default(0).describe("first N structures only (0 = all); smoke runs"),
  }),
  grid: { task: ["matbench_phonons"] },
  presets: { smoke: { maxStructures: 64 } },
  inputs: { rows: matbenchTask.out.task },
  outputs: { cgcnn: graphSet(), megnet: graphSet() },
  data: (p) => ({ structures: structureInput(p.task) }),
  run: ({ params, inputs, data, progress }) => {
    const all = loadStructures(params.task, data.structures, inputs.rows.targets)
    const structures = params.maxStructures > 0 ? all.slice(0, params.maxStructures) : all
    return buildGraphSets(structures, {
      cgcnn: { radius: params.cgcnnRadiusAngstrom, maxNeighbors: params.cgcnnMaxNeighbors },
      megnet: { cutoff: params.megnetCutoffAngstrom },
      onStructure: (done, total) => {
        if (done % 100 === 0 || done === total) progress(done, total, "structures")
      },
    })
  },
})
