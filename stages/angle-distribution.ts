// stages/angle-distribution.ts: thesis §4.2.2, Fig. 4.5 — the distribution of the angle θ_i between the
// projected handcrafted vector h_i and the learnable vector l_i of every element (eq. 4.2, the angles
// behind Table 4.1), pooled over the hybrid models of each DIM and backbone, beside the untrained
// baseline's at the same DIM. Same angle code as `orthogonality` (numerics/embedding/orthogonality.ts).
import { z } from "zod"
import { zOf } from "../chem/elements.js"
import { artifact, stage } from "../engine/index.js"
import { groupedBarsSvg, panelGridSvg } from "../figures/charts.js"
import { noteSvg } from "../figures/grid-heatmap.js"
import { elementTableInput, loadElementTable } from "../io/element-tables.js"
import { channelAngles, untrainedAngles } from "../numerics/embedding/orthogonality.js"
import { fromRows } from "../numerics/embedding/rows.js"
import { histogram } from "../numerics/stats/train-grid.js"
import { models } from "./embedding-sources.js"

export const angleDistribution = stage({
  name: "angle-distribution",
  version: "1",
  description: "distribution of the H–L angle per element by DIM and backbone, with the untrained baseline (Fig. 4.5)",
  params: z.object({
    binDegrees: z.number().positive().default(10),
    baselineSeed: z.number().int().default(0),
    maxZ: z.number().int().default(103).describe("baseline elements: CGCNN descriptor rows with Z ≤ maxZ"),
  }),
  inputs: { models },
  data: () => ({ cgcnn: elementTableInput("cgcnn") }),
  outputs: { table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ params, inputs, data }) => {
    const pooled = new Map<string, number[]>()
    for (const { value: m } of inputs.models) {
      if (!m.h || !m.l) continue
      const H = fromRows(m.h), L = fromRows(m.l)
      const k = `${m.meta.backbone}\u0000${m.meta.dim}`
      pooled.set(k, [...(pooled.get(k) ?? []), ...Array.from(channelAngles(H.vectors, L.vectors, H.n, H.dim)).filter((x) => !Number.isNaN(x))])
    }
    const bins = Math.ceil(180 / params.binDegrees)
    const edges = Array.from({ length: bins }, (_, i) => i * params.binDegrees)
    const keys = [...pooled.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    const table = ["backbone,dim,source,bin_lo_deg,bin_hi_deg,count,share"]
    if (keys.length === 0) return { table: table.join("\n") + "\n", figure: noteSvg("H–L angle distribution (thesis Fig. 4.5)", ["no hybrid models (with both h and l channels) among the inputs"]) }
    const cg = loadElementTable("cgcnn", data.cgcnn)
    const rows = cg.symbols.map((s, i) => [s, i] as const).filter(([s]) => zOf(s) <= params.maxZ)
    const X = Float64Array.from(rows.flatMap(([, i]) => Array.from(cg.vectors.subarray(i * cg.dim, (i + 1) * cg.dim))))
    const panels = keys.map((k) => {
      const [backbone, dimText] = k.split("\u0000") as [string, string]
      const dim = Number(dimText)
      const trained = histogram(pooled.get(k)!, 0, 180, bins)
      const base = histogram(untrainedAngles(X, rows.length, cg.dim, dim, params.baselineSeed + 1000 * dim), 0, 180, bins)
      const share = (c: number[]) => { const n = c.reduce((a, b) => a + b, 0) || 1; return c.map((x) => x / n) }
      for (const [source, counts] of [["trained", trained], ["untrained", base]] as const)
        counts.forEach((c, i) => table.push([backbone, dim, source, edges[i], Math.min(180, edges[i]! + params.binDegrees), c, share(counts)[i]!.toFixed(4)].join(",")))
      return groupedBarsSvg({
        title: `${backbone} · DIM ${dim}: angle θ between h_i and l_i`,
        yLabel: "share of element angles",
        categories: edges.map((e) => `${e}–${Math.min(180, e + params.binDegrees)}°`),
        series: [`trained hybrids (${pooled.get(k)!.length} angles)`, "untrained baseline"],
        values: [share(trained), share(base)],
        references: [],
      })
    })
    return { table: table.join("\n") + "\n", figure: panelGridSvg("H–L angle distribution by DIM (thesis Fig. 4.5)", panels, 2) }
  },
})
