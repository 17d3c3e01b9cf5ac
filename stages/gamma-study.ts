// stages/gamma-study.ts: thesis §4.1, Figs. 4.2–4.4 — from whatever `train` grid ran: test MAE against γ
// per DIM (mean ± sd over the folds run; one panel per backbone and task), how often each γ is the best
// of its setting (backbone, task, fold, DIM), and the effect of DIM on the task-normalised MAE per
// backbone and strategy. The same stage draws the default grid (one fold, DIM 16) and a paper `--sweep`.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { groupedBarsSvg, lineChartSvg, panelGridSvg } from "../figures/charts.js"
import { noteSvg } from "../figures/grid-heatmap.js"
import { bestGammaFrequency, dimEffect, GAMMAS, gammaCurves } from "../numerics/stats/train-grid.js"
import { modelRows, short } from "./train-rows.js"
import { train } from "./train.js"

const gammaLabel = (g: string) => (g === "H" || g === "L" ? g : `γ=${g}`)

export const gammaStudy = stage({
  name: "gamma-study",
  version: "1",
  description: "test MAE vs γ per DIM, best-γ frequency, effect of DIM (Figs. 4.2–4.4)",
  params: z.object({}),
  inputs: { models: all(train.out.metrics) },
  outputs: { curves: artifact.text("csv"), maeVsGamma: artifact.text("svg"), bestGamma: artifact.text("svg"), dimEffect: artifact.text("svg") },
  run: ({ inputs }) => {
    const rows = modelRows(inputs.models)
    const curves = gammaCurves(rows)
    const g = (v: number) => (Number.isFinite(v) ? v.toPrecision(5) : "")
    const csv =
      ["backbone,task,dim,gamma,folds,mean_mae,sd_mae", ...curves.flatMap((c) => GAMMAS.map((gm, i) => [c.backbone, c.task, c.dim, gm, c.folds[i], g(c.mean[i]!), g(c.sd[i]!)].join(",")))].join("\n") + "\n"
    const panels = [...new Set(curves.map((c) => `${c.backbone}\u0000${c.task}`))].map((k) => {
      const [backbone, task] = k.split("\u0000") as [string, string]
      const mine = curves.filter((c) => c.backbone === backbone && c.task === task)
      return lineChartSvg({
        title: `${backbone} · ${short(task)}: test MAE vs γ (Fig. 4.2)`,
        xLabel: "γ = log10(w_L / w_H)",
        yLabel: "test MAE (mean ± sd over folds)",
        xCategories: GAMMAS.map(gammaLabel),
        series: mine.map((c) => ({ name: `DIM ${c.dim} (${Math.max(...c.folds)} fold${Math.max(...c.folds) === 1 ? "" : "s"})`, values: c.mean, spread: c.sd })),
      })
    })
    const maeVsGamma = panels.length ? panelGridSvg("Test MAE against γ per DIM (thesis Fig. 4.2)", panels, 2) : noteSvg("Test MAE against γ (thesis Fig. 4.2)", ["no trained models"])
    const freq = bestGammaFrequency(rows)
    const bestGamma = freq.length
      ? groupedBarsSvg({
          title: "How often each γ is best in its setting (thesis Fig. 4.3)",
          yLabel: "settings (backbone, task, fold, DIM) won",
          categories: GAMMAS.map(gammaLabel),
          series: freq.map((f) => `${f.backbone} (${f.settings} settings)`),
          values: freq.map((f) => f.counts),
        })
      : noteSvg("Best-γ frequency (thesis Fig. 4.3)", ["no setting has two or more γ"])
    const effect = dimEffect(rows)
    const dims = effect[0]?.dims ?? []
    const dimEffectSvg = effect.length
      ? lineChartSvg({
          title: "Effect of DIM (thesis Fig. 4.4)",
          xLabel: "DIM",
          yLabel: "test MAE ÷ task mean MAE",
          xCategories: dims.map(String),
          series: effect.map((e) => ({ name: `${e.backbone} · ${e.strategy}`, values: e.relativeMae })),
        })
      : noteSvg("Effect of DIM (thesis Fig. 4.4)", ["no trained models"])
    return { curves: csv, maeVsGamma, bestGamma, dimEffect: dimEffectSvg }
  },
})
