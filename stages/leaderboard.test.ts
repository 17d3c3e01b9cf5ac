// The MatBench comparison: the transcribed fold scores reproduce each page's published mean, and the
// stage's ratios, per-setting means and flags follow from hand-made metrics.
import { describe, expect, it } from "vitest"
import type { Gathered } from "../engine/index.js"
import { runStage } from "../engine/testing.js"
import { MATBENCH_LEADERBOARD } from "../io/matbench-leaderboard.js"
import { leaderboard } from "./leaderboard.js"

const metrics = (mae: number) => ({ mae, bestValidationMae: mae, bestEpoch: 10, epochs: 20, backend: "cpu", history: [] })
const model = (params: Record<string, unknown>, mae: number): Gathered<ReturnType<typeof metrics>> => {
  const p = { task: "matbench_phonons", dim: 64, gamma: "H", maxStructures: 0, ...params }
  return { node: `train[${Object.entries(p).map(([k, v]) => `${k}=${v}`).join(",")}]`, point: p, params: p, value: metrics(mae) }
}

describe("MatBench leaderboard reference", () => {
  it("fold scores average to each page's published 5-fold mean, for every metric", () => {
    for (const [backbone, tasks] of Object.entries(MATBENCH_LEADERBOARD))
      for (const [task, s] of Object.entries(tasks))
        for (const metric of ["mae", "rmse", "maxError"] as const) {
          const m = s.folds[metric].reduce((a, b) => a + b, 0) / 5
          // the pages print 4 decimals; a mistyped fold moves the mean by far more than that
          expect(Math.abs(m - s.publishedMean[metric]), `${backbone} ${task} ${metric}`).toBeLessThan(1.5e-4)
        }
  })
})

describe("leaderboard stage", () => {
  it("divides by the same fold's published MAE, and a 5-fold mean by the leaderboard's mean", async () => {
    const cg = MATBENCH_LEADERBOARD.cgcnn.matbench_phonons!.folds.mae
    const ours = [90, 50, 60, 60, 55]
    const models = [
      ...ours.map((mae, fold) => model({ backbone: "cgcnn", fold }, mae)),
      model({ backbone: "megnet", fold: 0 }, 31.6159 * 1.5),
      model({ backbone: "megnet", fold: 1, maxStructures: 64 }, 10),
      model({ backbone: "cgcnn", task: "matbench_expt_gap", fold: 0 }, 1),
    ]
    // fold 0's predictions: errors 3, −4, 0 → MAE 7/3, RMSE √(25/3), max 4
    const predictions = [{ ...models[0]!, value: "id,target,prediction\nmp-1,100,103\nmp-2,200,196\nmp-3,50,50\n" }]
    const { table, summary } = await runStage(leaderboard, { inputs: { models, predictions } })
    const lines = table.trim().split("\n")
    expect(lines).toHaveLength(models.length + 1)
    // the first field is the quoted node id (it holds commas); the rest split plainly
    const fields = (l: string) => l.replace(/^"[^"]*",/, "").split(",")
    const header = lines[0]!.split(",").slice(1)
    const col = (name: string) => header.indexOf(name)
    const fold0 = lines.slice(1).map(fields).find((f) => f[col("backbone")] === "cgcnn" && f[col("fold")] === "0" && f[col("task")] === "matbench_phonons")!
    expect(Number(fold0[col("ratio_to_fold")])).toBeCloseTo(90 / 81.1553, 3)
    expect(Number(fold0[col("ratio_to_5fold_mean")])).toBeCloseTo(90 / 57.76346, 3)
    expect(Number(fold0[col("test_rmse")])).toBeCloseTo(Math.sqrt(25 / 3), 4)
    expect(Number(fold0[col("test_max_error")])).toBe(4)
    expect(Number(fold0[col("reference_fold_max_error")])).toBe(2504.87)

    const cgcnn = summary.settings.find((s) => s.setting.backbone === "cgcnn" && s.setting.task === "matbench_phonons")!
    expect(cgcnn.folds).toEqual([0, 1, 2, 3, 4])
    expect(cgcnn.allFolds).toBe(true)
    expect(cgcnn.meanMae).toBeCloseTo(63, 10)
    expect(cgcnn.referenceMae).toBeCloseTo(cg.reduce((a, b) => a + b, 0) / 5, 10)
    expect(cgcnn.ratio).toBeCloseTo(63 / 57.76346, 4)
    expect(cgcnn.withinTolerance).toBe(true)

    const megnet = summary.settings.find((s) => s.setting.backbone === "megnet" && !s.setting.maxStructures)!
    expect(megnet.ratio).toBeCloseTo(1.5, 10)
    expect(megnet.withinTolerance).toBe(false)
    expect(megnet.allFolds).toBe(false)
    // a smoke-sized model is listed but never judged
    const smoke = summary.settings.find((s) => s.setting.maxStructures === 64)!
    expect([smoke.comparable, smoke.withinTolerance]).toEqual([false, null])
    // a task MatBench has no score for: no ratio, no verdict
    const none = summary.settings.find((s) => s.setting.task === "matbench_expt_gap")!
    expect([none.reference, none.referenceMae, none.ratio, none.withinTolerance]).toEqual([null, null, null, null])
  })

  it("honours the tolerance param", async () => {
    const models = [model({ backbone: "cgcnn", fold: 1 }, 45.0945 * 1.2)]
    const strict = await runStage(leaderboard, { params: { tolerance: 1.1 }, inputs: { models, predictions: [] } })
    const loose = await runStage(leaderboard, { inputs: { models, predictions: [] } })
    expect(strict.summary.settings[0]!.withinTolerance).toBe(false)
    expect(loose.summary.settings[0]!.withinTolerance).toBe(true)
  })
})
