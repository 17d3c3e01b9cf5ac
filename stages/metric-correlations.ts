// stages/metric-correlations.ts: thesis §3.2.3, Fig. 3.9 — the metrics of every model in one table, and
// Pearson + Spearman correlation of each metric with the fold-normalised error per (backbone,
// strategy), averaged over tasks, as a CSV and a heatmap. Published tables have no error: then the
// metrics table is still written and the correlation outputs say that they need trained models.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { gridHeatmapSvg, noteSvg } from "../figures/grid-heatmap.js"
import { metricNames } from "../numerics/embedding/metrics.js"
import { foldNormalisedErrors, groupedCorrelations } from "../numerics/stats/grouped-correlation.js"
import { embeddingMetrics } from "./embedding-metrics.js"

const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(8))) : "")

export const metricCorrelations = stage({
  name: "metric-correlations",
  version: "1",
  description: "metrics of every model; Pearson/Spearman of each metric with the fold-normalised error (Fig. 3.9)",
  params: z.object({}),
  inputs: { analyses: all(embeddingMetrics.out.metrics) },
  outputs: {
    metrics: artifact.text("csv"),
    correlations: artifact.text("csv"),
    heatmap: artifact.text("svg"),
  },
  run: ({ inputs }) => {
    const rows = inputs.analyses.map((g) => g.value)
    const header = ["model", "backbone", "strategy", "gamma", "task", "fold", "mae", ...metricNames, "classes", "bestK", "bestKSilhouette"]
    const metricsCsv = [
      header.join(","),
      ...inputs.analyses.map(({ node, value: a }) =>
        [
          JSON.stringify(node), a.meta.backbone, a.meta.strategy, a.meta.gamma ?? "", a.meta.task, a.meta.fold ?? "", a.meta.mae ?? "",
          ...metricNames.map((m) => num(a.metrics[m])), a.metrics.classes, a.bestK.k, num(a.bestK.silhouette),
        ].join(","),
      ),
    ].join("\n") + "\n"

    const trained = rows.filter((a) => a.meta.mae !== null && Number.isFinite(a.meta.mae))
    if (trained.length < 3) {
      const why = "correlations need trained models with a test error (strategy H / L / hybrid); only published tables (no error) were given"
      return {
        metrics: metricsCsv,
        correlations: `# ${why}\ngroup,metric,pearson,spearman,tasks,models\n`,
        heatmap: noteSvg("Embedding metrics vs normalised error (thesis Fig. 3.9)", [why, `models analysed: ${rows.length} (see metrics.csv)`]),
      }
    }
    const errors = foldNormalisedErrors(trained.map((a) => ({ task: a.meta.task, fold: a.meta.fold, mae: a.meta.mae! })))
    const samples = trained.map((a, i) => ({
      group: `${a.meta.backbone}/${a.meta.strategy}`,
      task: a.meta.task,
      error: errors[i]!,
      metrics: Object.fromEntries(metricNames.map((m) => [m, a.metrics[m]])),
    }))
    const corr = groupedCorrelations(samples, metricNames)
    const groups = [...new Set(corr.map((c) => c.group))]
    const cols = groups.flatMap((g) => [`${g} Pearson`, `${g} Spearman`])
    const values = metricNames.map((m) =>
      groups.flatMap((g) => {
        const c = corr.find((x) => x.group === g && x.metric === m)!
        return [c.pearson, c.spearman]
      }),
    )
    return {
      metrics: metricsCsv,
      correlations:
        ["group,metric,pearson,spearman,tasks,models", ...corr.map((c) => [c.group, c.metric, num(c.pearson), num(c.spearman), c.tasks, c.models].join(","))].join("\n") + "\n",
      heatmap: gridHeatmapSvg({
        title: "Embedding metrics vs fold-normalised error, mean over tasks (thesis Fig. 3.9)",
        rowLabels: [...metricNames],
        colLabels: cols,
        values,
        range: [-1, 1],
        diverging: true,
      }),
    }
  },
})
