// stages/layer-ari.ts: thesis §3.2.4, Fig. 3.10 — ARI between K-means of each message-passing layer's
// element vectors and the chemical classes. The per-layer ARIs are computed per model in
// embedding-metrics (so a new model costs one node); this stage tabulates them and draws the figure.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { gridHeatmapSvg, noteSvg } from "../figures/grid-heatmap.js"
import { embeddingMetrics } from "./embedding-metrics.js"

export const layerAri = stage({
  name: "layer-ari",
  version: "1",
  description: "K-means ARI vs chemical classes per message-passing layer (Fig. 3.10)",
  params: z.object({}),
  inputs: { analyses: all(embeddingMetrics.out.metrics) },
  outputs: { table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ inputs }) => {
    const rows = inputs.analyses.flatMap(({ node, value: a }) =>
      [a.metrics.ari, ...a.layerAri].map((ari, layer) => ({ node, a, layer, ari })),
    )
    const table =
      ["model,backbone,strategy,task,fold,dim,layer,ari", ...rows.map((r) => [JSON.stringify(r.node), r.a.meta.backbone, r.a.meta.strategy, r.a.meta.task, r.a.meta.fold ?? "", r.a.meta.dim, r.layer, Number.isFinite(r.ari) ? r.ari : ""].join(","))].join("\n") + "\n"
    const withLayers = inputs.analyses.filter((g) => g.value.layerAri.length > 0)
    if (withLayers.length === 0)
      return {
        table,
        figure: noteSvg("ARI per message-passing layer (thesis Fig. 3.10)", [
          "no model exported per-layer element vectors (published tables have none): layer 0 = input embedding only, see table.csv",
        ]),
      }
    // mean ARI per (task, backbone, strategy) and layer; layer 0 = the input embedding
    const key = (a: (typeof withLayers)[number]["value"]) => `${a.meta.task} ${a.meta.backbone}/${a.meta.strategy}`
    const keys = [...new Set(withLayers.map((g) => key(g.value)))].sort()
    const depth = Math.max(...withLayers.map((g) => g.value.layerAri.length)) + 1
    const values = keys.map((k) =>
      Array.from({ length: depth }, (_, layer) => {
        const xs = rows.filter((r) => r.a.layerAri.length > 0 && key(r.a) === k && r.layer === layer && Number.isFinite(r.ari)).map((r) => r.ari)
        return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN
      }),
    )
    return {
      table,
      figure: gridHeatmapSvg({
        title: "Mean ARI vs chemical classes per layer (thesis Fig. 3.10)",
        rowLabels: keys,
        colLabels: Array.from({ length: depth }, (_, l) => (l === 0 ? "input" : `layer ${l}`)),
        values,
      }),
    }
  },
})
