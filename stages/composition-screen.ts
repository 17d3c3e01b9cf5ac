// stages/composition-screen.ts: thesis §3.2.3, Fig. 3.8 — how much of each structure task the
// composition alone explains. Each material is its 103-d vector of element fractions (H … Lr,
// chem/formula.ts), a random forest (200 trees, no depth limit; numerics/forest, sklearn's
// RandomForestRegressor semantics) is fitted on each official fold's training rows with the target
// standardised inside the fold, and scored on the fold's test rows (R², MAE in the task's unit) beside
// the dummy (training mean) and the best published MatBench score. One node per task; the rule that
// picks the composition-dominated tasks is stages/composition-pick.ts.
import { z } from "zod"
import { compositionVector } from "../chem/formula.js"
import { artifact, stage } from "../engine/index.js"
import { BEST_PUBLISHED } from "../io/matbench-best.js"
import { STRUCTURE_TASKS } from "../io/matbench.js"
import { scoreFold, subsample } from "../numerics/forest/cv.js"
import { sparseFromDense } from "../numerics/forest/forest.js"
import { matbenchTask } from "./matbench-task.js"


const FoldResult = z.object({
  fold: z.number().int(),
  nTrain: z.number().int(),
  nTest: z.number().int(),
  r2: z.number(),
  mae: z.number(),
  r2Dummy: z.number(),
  maeDummy: z.number(),
  fitSeconds: z.number(),
})
export const ScreenResult = z.object({
  task: z.string(),
  unit: z.string(),
  nRows: z.number().int(),
  /** training rows per fold actually used (0 = all: the paper setting) */
  maxTrainRows: z.number().int(),
  folds: z.array(FoldResult),
  meanR2: z.number(),
  meanMae: z.number(),
  meanMaeDummy: z.number(),
  best: z.object({ algorithm: z.string(), mae: z.number(), dummyMae: z.number(), source: z.string() }),
})
export type ScreenResult = z.infer<typeof ScreenResult>

const MAX_Z = 103
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

export const compositionScreen = stage({
  name: "composition-screen",
  version: "1",
  description: "random forest on the 103-d element fractions per official fold: R², MAE vs the dummy and MatBench's best",
  resources: { cpus: 2, memGB: 4, time: "2h", presets: { smoke: { cpus: 1, memGB: 2, time: "10m" } } },
  params: z.object({
    task: z.enum(STRUCTURE_TASKS),
    nTrees: z.number().int().positive().default(200),
    seed: z.number().int().default(0),
    maxTrainRows: z.number().int().min(0).default(0).describe("training rows per fold, a seeded random subset (0 = all)"),
  }),
  grid: { task: [...STRUCTURE_TASKS] },
  presets: {
    smoke: { nTrees: 10, maxTrainRows: 200 },
    // mp_gap (84.9k training rows per fold), mp_e_form (106.2k) and perovskites (15.1k) are cut to 10,000
    // random training rows per fold; the other five tasks have fewer and use every row
    default: { maxTrainRows: 10_000 },
    paper: { maxTrainRows: 0 },
  },
  inputs: { task: matbenchTask.out.task },
  outputs: { result: artifact.json(ScreenResult), table: artifact.text("csv") },
  run: async ({ params, inputs, progress }) => {
    const t = inputs.task
    if (t.taskType !== "regression") throw new Error(`composition-screen: ${t.name} is a classification task; the screen is for regression tasks`)
    const n = t.compositions.length
    const dense = new Float64Array(n * MAX_Z)
    t.compositions.forEach((c, i) => dense.set(compositionVector(c, MAX_Z), i * MAX_Z))
    const x = sparseFromDense(dense, n, MAX_Z)
    const folds = []
    for (const [k, f] of t.folds.entries()) {
      progress(k, t.folds.length, `fold ${k}`)
      // the screen has no early stopping: train on the whole non-test part of the fold
      const train = subsample([...f.train, ...f.validation].sort((a, b) => a - b), params.maxTrainRows, params.seed + 1000 * k)
      const { fitCpuSeconds: _cpu, ...score } = await scoreFold(x, t.targets, train, f.test, { nTrees: params.nTrees, seed: params.seed + k })
      folds.push({ fold: k, ...score })
    }
    progress(t.folds.length, t.folds.length)
    const best = BEST_PUBLISHED[t.name]
    if (!best) throw new Error(`composition-screen: no published MatBench score recorded for ${t.name} (io/matbench-best.ts)`)
    const result: ScreenResult = {
      task: t.name,
      unit: best.unit,
      nRows: n,
      maxTrainRows: params.maxTrainRows,
      folds,
      meanR2: mean(folds.map((f) => f.r2)),
      meanMae: mean(folds.map((f) => f.mae)),
      meanMaeDummy: mean(folds.map((f) => f.maeDummy)),
      best: { algorithm: best.algorithm, mae: best.mae, dummyMae: best.dummyMae, source: best.source },
    }
    const g = (v: number) => v.toPrecision(5)
    const table =
      ["task,fold,n_train,n_test,r2,mae,r2_dummy,mae_dummy,fit_s", ...folds.map((f) => [t.name, f.fold, f.nTrain, f.nTest, g(f.r2), g(f.mae), g(f.r2Dummy), g(f.maeDummy), f.fitSeconds.toFixed(2)].join(","))].join("\n") + "\n"
    return { result, table }
  },
})
