// stages/orthogonality.ts: thesis §4.2.2, eq. 4.2, Table 4.1, Fig. 4.5 — per hybrid model the angle
// θ_i between the projected handcrafted vector h_i and the learnable vector l_i of every element; mean
// and variance per model; Table 4.1 = those averaged over models per (backbone, DIM), beside an
// untrained baseline (CGCNN descriptor through a freshly initialised Linear vs a fresh N(0,1) lookup).
import { z } from "zod"
import { zOf } from "../chem/elements.js"
import { all, artifact, stage } from "../engine/index.js"
import { gridHeatmapSvg, noteSvg } from "../figures/grid-heatmap.js"
import { elementTableInput, loadElementTable } from "../io/element-tables.js"
import { gammaValue } from "../models/gamma.js"
import { channelAngles, summariseAngles, untrainedAngles } from "../numerics/embedding/orthogonality.js"
import { fromRows } from "../numerics/embedding/rows.js"
import { models } from "./embedding-sources.js"

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "")

export const orthogonality = stage({
  name: "orthogonality",
  version: "1",
  description: "angles between the H and L channels of hybrid models vs an untrained baseline (Table 4.1)",
  params: z.object({
    baselineDims: z.array(z.number().int().positive()).default([8, 16, 32, 64]).describe("DIMs of the untrained baseline"),
    baselineSeed: z.number().int().default(0),
    baselineRepeats: z.number().int().positive().default(10).describe("fresh initialisations averaged per DIM (the thesis's untrained row pools many)"),
    maxZ: z.number().int().default(103).describe("baseline elements: CGCNN descriptor rows with Z ≤ maxZ"),
  }),
  inputs: { models },
  // the untrained baseline's handcrafted vectors
  data: () => ({ cgcnn: elementTableInput("cgcnn") }),
  outputs: { perModel: artifact.text("csv"), table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ params, inputs, data }) => {
    const perModel = inputs.models.flatMap(({ node, value: m }) => {
      if (!m.h || !m.l) return []
      const H = fromRows(m.h), L = fromRows(m.l)
      return [{ node, meta: m.meta, ...summariseAngles(channelAngles(H.vectors, L.vectors, H.n, H.dim)) }]
    })
    const cg = loadElementTable("cgcnn", data.cgcnn)
    const rows = cg.symbols.map((s, i) => [s, i] as const).filter(([s]) => zOf(s) <= params.maxZ)
    const X = Float64Array.from(rows.flatMap(([, i]) => Array.from(cg.vectors.subarray(i * cg.dim, (i + 1) * cg.dim))))
    const dims = [...new Set([...params.baselineDims, ...perModel.map((p) => p.meta.dim)])].sort((a, b) => a - b)
    // per DIM: mean over fresh initialisations of the per-model mean and variance, as the trained rows are
    const baseline = new Map(
      dims.map((d) => {
        const runs = Array.from({ length: params.baselineRepeats }, (_, k) => summariseAngles(untrainedAngles(X, rows.length, cg.dim, d, params.baselineSeed + 1000 * d + k)))
        const avg = (f: (s: (typeof runs)[number]) => number) => runs.reduce((a, s) => a + f(s), 0) / runs.length
        return [d, { mean: avg((s) => s.mean), variance: avg((s) => s.variance) }] as const
      }),
    )

    // Table 4.1: rows (statistic, model), columns DIM
    const backbones = [...new Set(perModel.map((p) => p.meta.backbone))].sort()
    const cell = (backbone: string, d: number, stat: "mean" | "variance") => {
      const xs = perModel.filter((p) => p.meta.backbone === backbone && p.meta.dim === d).map((p) => p[stat])
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN
    }
    const table = [
      ["statistic", "model", ...dims.map((d) => `DIM=${d}`)].join(","),
      ...(["mean", "variance"] as const).flatMap((stat) => [
        [stat === "mean" ? "mean angle (deg)" : "variance (deg^2)", "untrained", ...dims.map((d) => fmt(baseline.get(d)![stat]))].join(","),
        ...backbones.map((b) => [stat === "mean" ? "mean angle (deg)" : "variance (deg^2)", b, ...dims.map((d) => fmt(cell(b, d, stat)))].join(",")),
      ]),
    ].join("\n") + "\n"
    const perModelCsv =
      ["model,backbone,task,fold,dim,gamma,mean_deg,variance_deg2,elements", ...perModel.map((p) => [JSON.stringify(p.node), p.meta.backbone, p.meta.task, p.meta.fold ?? "", p.meta.dim, p.meta.gamma ?? "", fmt(p.mean), fmt(p.variance), p.n].join(","))].join("\n") + "\n"

    if (perModel.length === 0)
      return {
        perModel: perModelCsv,
        table,
        figure: noteSvg("Angle variance per task and γ (thesis Fig. 4.5)", [
          "no hybrid models (with both h and l channels) among the inputs: only the untrained baseline is in table.csv",
        ]),
      }
    // Fig. 4.5: variance per (backbone, DIM, task) × γ
    const rowKeys = [...new Set(perModel.map((p) => `${p.meta.backbone} DIM=${p.meta.dim} ${p.meta.task}`))].sort()
    const gammas = [...new Set(perModel.map((p) => gammaValue(p.meta.gamma)))].filter((g): g is number => g !== null).sort((a, b) => a - b)
    const values = rowKeys.map((k) =>
      gammas.map((g) => {
        const xs = perModel.filter((p) => `${p.meta.backbone} DIM=${p.meta.dim} ${p.meta.task}` === k && gammaValue(p.meta.gamma) === g).map((p) => p.variance)
        return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN
      }),
    )
    return {
      perModel: perModelCsv,
      table,
      figure: gridHeatmapSvg({ title: "Variance (deg²) of the H–L angle per task and γ (thesis Fig. 4.5)", rowLabels: rowKeys, colLabels: gammas.map((g) => `γ=${g}`), values, digits: 1 }),
    }
  },
})
