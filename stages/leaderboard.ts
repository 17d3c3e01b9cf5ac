// stages/leaderboard.ts: thesis §3.2.2 ("the backbones are trained as in their MatBench submissions")
// checked — every trained model's test MAE, RMSE and max error beside MatBench's published scores of
// the same backbone on the same task and fold (io/matbench-leaderboard.ts), and, per setting, the mean
// MAE over the folds trained beside the published mean over those same folds (over all five: the
// leaderboard figure). A sink that reads only train's outputs, so adding it retrains nothing.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { publishedScores } from "../io/matbench-leaderboard.js"
import { regressionErrors } from "../numerics/stats/errors.js"
import { train } from "./train.js"

const Setting = z.object({
  /** the train params every fold of this setting shares (all but `fold`) */
  setting: z.record(z.unknown()),
  reference: z.string().nullable(),
  folds: z.array(z.number().int()),
  meanMae: z.number(),
  /** published mean over the same folds; null where MatBench has no score */
  referenceMae: z.number().nullable(),
  ratio: z.number().nullable(),
  allFolds: z.boolean(),
  /** false when the models saw only the first N structures (smoke runs): not comparable */
  comparable: z.boolean(),
  withinTolerance: z.boolean().nullable(),
})
const Summary = z.object({ tolerance: z.number(), settings: z.array(Setting) })

const fmt = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || !Number.isFinite(v) ? "" : v.toPrecision(digits + 2))
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

export const leaderboard = stage({
  name: "leaderboard",
  version: "1",
  description: "test MAE of each trained model beside MatBench's published MAE for the same backbone, task and fold",
  params: z.object({
    tolerance: z.number().positive().default(1.3).describe("ratio to the published MAE counted as reproduced"),
  }),
  inputs: { models: all(train.out.metrics), predictions: all(train.out.predictions) },
  outputs: { table: artifact.text("csv"), summary: artifact.json(Summary) },
  run: ({ params, inputs }) => {
    const predictions = new Map(inputs.predictions.map((g) => [g.node, g.value]))
    const rows = inputs.models.map(({ node, params: p, value: m }) => {
      const backbone = String(p.backbone), task = String(p.task), fold = Number(p.fold)
      const ref = publishedScores(backbone, task)
      const refMae = ref?.folds.mae[fold] ?? null
      const refMean = ref ? mean(ref.folds.mae) : null
      const { fold: _fold, ...setting } = p
      return { node, backbone, task, fold, p, setting, m, err: errorsOf(predictions.get(node)), ref, refMae, refMean, comparable: !Number(p.maxStructures) }
    })
    rows.sort((a, b) => a.node.localeCompare(b.node))
    const table = [
      "model,backbone,task,fold,dim,gamma,epochs_run,best_epoch,best_validation_mae,test_mae,test_rmse,test_max_error,reference,reference_fold_mae,ratio_to_fold,reference_fold_rmse,reference_fold_max_error,reference_5fold_mean,ratio_to_5fold_mean,comparable",
      ...rows.map((r) =>
        [
          JSON.stringify(r.node), r.backbone, r.task, r.fold, r.p.dim, r.p.gamma, r.m.epochs, r.m.bestEpoch,
          fmt(r.m.bestValidationMae), fmt(r.m.mae), fmt(r.err?.rmse), fmt(r.err?.maxError),
          r.ref ? JSON.stringify(r.ref.entry) : "", fmt(r.refMae), fmt(r.refMae ? r.m.mae / r.refMae : null, 3),
          fmt(r.ref?.folds.rmse[r.fold]), fmt(r.ref?.folds.maxError[r.fold]),
          fmt(r.refMean), fmt(r.refMean ? r.m.mae / r.refMean : null, 3),
          r.comparable,
        ].join(","),
      ),
    ].join("\n") + "\n"

    // one setting = every fold trained with the same other params
    const groups = new Map<string, typeof rows>()
    for (const r of rows) {
      const k = JSON.stringify(Object.entries(r.setting).sort(([a], [b]) => a.localeCompare(b)))
      groups.set(k, [...(groups.get(k) ?? []), r])
    }
    const settings = [...groups.values()].map((g) => {
      const folds = g.map((r) => r.fold).sort((a, b) => a - b)
      const meanMae = mean(g.map((r) => r.m.mae))
      const refs = g.map((r) => r.refMae)
      const referenceMae = refs.every((x): x is number => x !== null) ? mean(refs) : null
      const ratio = referenceMae ? meanMae / referenceMae : null
      const comparable = g.every((r) => r.comparable)
      return {
        setting: g[0]!.setting,
        reference: g[0]!.ref?.entry ?? null,
        folds,
        meanMae,
        referenceMae,
        ratio,
        allFolds: new Set(folds).size === 5,
        comparable,
        withinTolerance: ratio === null || !comparable ? null : ratio <= params.tolerance,
      }
    })
    return { table, summary: { tolerance: params.tolerance, settings } }
  },
})

/** MAE, RMSE and max error of a train node's predictions.csv (id,target,prediction). */
function errorsOf(csv: string | undefined) {
  if (csv === undefined) return undefined
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","))
  return regressionErrors(rows.map((r) => Number(r[r.length - 2])), rows.map((r) => Number(r[r.length - 1])))
}
