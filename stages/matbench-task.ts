// stages/matbench-task.ts: thesis §3.2.1 / §4.2 protocol — a MatBench v0.1 task with its official
// 5 test folds (train = the other four, minus a seeded validation split for early stopping).
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { loadTask, matbenchTasks, taskDataFiles } from "../io/matbench.js"

export const matbenchTaskName = z.enum(matbenchTasks)

const FoldSchema = z.object({ train: z.array(z.number().int()), validation: z.array(z.number().int()), test: z.array(z.number().int()) })
export const TaskSchema = z.object({
  name: matbenchTaskName,
  targetName: z.string(),
  taskType: z.enum(["regression", "classification"]),
  inputType: z.enum(["structure", "composition"]),
  ids: z.array(z.string()),
  targets: z.array(z.number()),
  compositions: z.array(z.string()),
  folds: z.array(FoldSchema).length(5),
})
export type TaskArtifact = z.infer<typeof TaskSchema>

/** The thesis's GNN structure tasks (§3.2) and CrabNet composition tasks (§4.2). */
const STRUCTURE_TASKS = ["matbench_jdft2d", "matbench_phonons", "matbench_dielectric", "matbench_log_gvrh", "matbench_log_kvrh", "matbench_perovskites", "matbench_mp_gap", "matbench_mp_e_form"] as const
export const COMPOSITION_TASKS = ["matbench_steels", "matbench_expt_gap", "matbench_expt_is_metal", "matbench_glass"] as const

export const matbenchTask = stage({
  name: "matbench-task",
  version: "1",
  description: "MatBench task rows (ids, compositions, targets) and the official folds as row-index arrays",
  params: z.object({
    task: matbenchTaskName.default("matbench_phonons"),
    validationFraction: z.number().min(0).max(0.5).default(0.1).describe("share of each fold's training rows held out for early stopping"),
    seed: z.number().int().default(42).describe("seed of the validation split"),
  }),
  grid: { task: [...matbenchTasks] },
  presets: {
    smoke: { task: ["matbench_phonons", "matbench_steels"] },
    default: { task: ["matbench_phonons", ...COMPOSITION_TASKS] },
    paper: { task: [...STRUCTURE_TASKS, ...COMPOSITION_TASKS] },
  },
  outputs: { task: artifact.json(TaskSchema) },
  dataFiles: (p) => taskDataFiles(p.task),
  run: ({ params }) => {
    const t = loadTask(params.task, { validationFraction: params.validationFraction, seed: params.seed })
    return { task: { ...t } }
  },
})
