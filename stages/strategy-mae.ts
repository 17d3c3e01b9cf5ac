// stages/strategy-mae.ts: thesis §3.2.2, Figs. 3.6–3.7 — test MAE by element strategy (H, L, hybrid) per
// task and backbone, from whatever `train` grid ran. A setting (backbone, task, fold, DIM) counts when it
// has H, L and at least one hybrid; "hybrid" is the best γ of the setting (the thesis's comparison) and
// the table also gives the mean over hybrid γ and how often the best hybrid beats both pure channels.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { groupedBarsSvg } from "../figures/charts.js"
import { noteSvg } from "../figures/grid-heatmap.js"
import { strategyTable } from "../numerics/stats/train-grid.js"
import { modelRows, short } from "./train-rows.js"
import { train } from "./train.js"

export const strategyMae = stage({
  name: "strategy-mae",
  version: "1",
  description: "MAE by element strategy (H / L / best hybrid) per task and backbone (Figs. 3.6–3.7)",
  params: z.object({}),
  inputs: { models: all(train.out.metrics) },
  outputs: { table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ inputs }) => {
    const t = strategyTable(modelRows(inputs.models))
    const g = (v: number) => (Number.isFinite(v) ? v.toPrecision(5) : "")
    const table =
      ["task,backbone,settings,mae_H,mae_L,mae_hybrid_best,mae_hybrid_mean,hybrid_beats_both", ...t.map((r) => [r.task, r.backbone, r.settings, g(r.maeH), g(r.maeL), g(r.maeHybridBest), g(r.maeHybridMean), r.hybridWins].join(","))].join("\n") + "\n"
    const title = "Test MAE by element strategy per task and backbone (thesis Figs. 3.6–3.7)"
    if (t.length === 0) return { table, figure: noteSvg(title, ["no setting has H, L and a hybrid among the trained models: run train with all seven γ"]) }
    // tasks have different units: one bar group per (task, backbone), MAE relative to H of that group
    const figure = groupedBarsSvg({
      title,
      yLabel: "test MAE ÷ MAE of H (mean over settings)",
      categories: t.map((r) => `${short(r.task)} · ${r.backbone} (n=${r.settings}, hybrid wins ${r.hybridWins})`),
      series: ["H", "L", "hybrid (best γ)", "hybrid (mean over γ)"],
      values: [t.map(() => 1), t.map((r) => r.maeL / r.maeH), t.map((r) => r.maeHybridBest / r.maeH), t.map((r) => r.maeHybridMean / r.maeH)],
      references: [{ value: 1, label: "H" }],
    })
    return { table, figure }
  },
})
