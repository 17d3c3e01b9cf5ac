// stages/lambda-select.ts: thesis §3.1.3 (Fig. 3.4, Table 3.1) — (LossX, LossY) of every λ node, Pareto front
// and lower convex hull; among the candidates the largest variance of the gaps rescaled to sum N wins (the
// thesis's rule), or the knee of the convex front (`rule`). Writes Table 3.1 with the thesis's printed
// positions beside ours, a summary of how close the λ = 6 positions come, and the figures.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { heatmapSvg, scatterSvg, stripSvg } from "../figures/svg.js"
import { convexFront, kneeIndex, lowerConvexHull, paretoFront } from "../numerics/ordering/pareto.js"
import { chemDistance } from "./chem-distance.js"
import { ordering1d } from "./ordering-1d.js"
import { DEFAULT_READING, readingParam, spacing, type SpacingResult } from "./spacing.js"
import { THESIS_LAMBDA, THESIS_TABLE_3_1 } from "./thesis-table-3-1.js"

export const Summary = z.object({
  chosen_lambda: z.number(),
  mean_abs_diff_vs_thesis: z.number(),
  max_abs_diff_vs_thesis: z.number(),
  reading: z.string(),
  rule: z.string(),
  compared_lambda: z.number(),
  chosen_mean_abs_diff_vs_thesis: z.number(),
  front: z.array(z.number()),
  convex_front: z.array(z.number()),
  gaps: z.object({ lanthanides: z.tuple([z.number(), z.number()]), alkali: z.tuple([z.number(), z.number()]), noble_and_halogen: z.tuple([z.number(), z.number()]) }),
})

/** Mean and max |ours − thesis| over the elements both have. */
export function compareWithThesis(r: SpacingResult): { mean: number; max: number; rows: { element: string; ours: number; thesis: number | null }[] } {
  const thesis = new Map(THESIS_TABLE_3_1.map((t) => [t.element, t.position]))
  const rows = r.symbols.map((s, a) => ({ element: s, ours: r.positions[a], thesis: thesis.get(s) ?? null }))
  const diffs = rows.filter((x) => x.thesis !== null).map((x) => Math.abs(x.ours - (x.thesis as number)))
  return { mean: diffs.reduce((a, b) => a + b, 0) / diffs.length, max: Math.max(...diffs), rows }
}

/** Range of the gaps (in the reading's scale) between consecutive members of `group` along the order. */
function gapRange(r: SpacingResult, group: readonly string[]): [number, number] {
  const g: number[] = []
  for (let a = 0; a + 1 < r.symbols.length; a++)
    if (group.includes(r.symbols[a]) && group.includes(r.symbols[a + 1])) g.push(r.positions[a + 1] - r.positions[a])
  return g.length ? [Math.min(...g), Math.max(...g)] : [NaN, NaN]
}
const LANTHANIDES = ["La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
const ALKALI = ["Li", "Na", "K", "Rb", "Cs"]
const NOBLE_HALOGEN = ["He", "Ne", "Ar", "Kr", "Xe", "Rn", "F", "Cl", "Br", "I", "At"]

export const lambdaSelect = stage({
  name: "lambda-select",
  version: "1",
  description: "Pareto/convex-hull λ selection and Table 3.1 vs the thesis (Fig. 3.4)",
  params: z.object({
    reading: readingParam.default(DEFAULT_READING).describe("the spacing reading whose λ nodes are compared"),
    rule: z.enum(["front-max-variance", "convex-front-max-variance", "knee"]).default("convex-front-max-variance").describe("how λ is picked among the candidates"),
    compareLambda: z.number().positive().default(THESIS_LAMBDA).describe("λ whose positions are compared with Table 3.1"),
  }),
  inputs: { runs: all(spacing.out.result), D: chemDistance.out.D, order: ordering1d.out.order },
  outputs: {
    summary: artifact.json(Summary),
    table: artifact.text("csv"),
    pareto: artifact.text("svg"),
    distanceHeatmap: artifact.text("svg"),
    ordering: artifact.text("svg"),
  },
  run: ({ params, inputs, log }) => {
    const runs = inputs.runs.map((g) => g.value).filter((r) => r.reading === params.reading).sort((a, b) => a.lambda - b.lambda)
    if (runs.length === 0) throw new Error(`no spacing nodes with reading ${params.reading}`)
    const pts = runs.map((r) => ({ x: r.lossX, y: r.lossY }))
    const front = paretoFront(pts)
    const hull = convexFront(pts)
    const candidates = params.rule === "front-max-variance" ? front : hull
    const pick =
      params.rule === "knee" ? kneeIndex(pts, hull) : candidates.reduce((b, i) => (runs[i].variance > runs[b].variance ? i : b), candidates[0])
    const chosen = runs[pick]
    const compared = runs.find((r) => r.lambda === params.compareLambda) ?? chosen
    const cmp = compareWithThesis(compared)
    const cmpChosen = compareWithThesis(chosen)
    log(`λ = ${chosen.lambda} chosen (${params.rule}); λ = ${compared.lambda} vs Table 3.1: mean |Δ| ${cmp.mean.toFixed(2)}, max ${cmp.max.toFixed(2)}`)
    const { rows: n, data: D, labels = [] } = inputs.D
    const logD = D.map((v) => (Number.isFinite(v) && v > 0 ? Math.log10(v) : v === 0 ? 0 : NaN))
    return {
      summary: {
        chosen_lambda: chosen.lambda,
        mean_abs_diff_vs_thesis: cmp.mean,
        max_abs_diff_vs_thesis: cmp.max,
        reading: params.reading,
        rule: params.rule,
        compared_lambda: compared.lambda,
        chosen_mean_abs_diff_vs_thesis: cmpChosen.mean,
        front: front.map((i) => runs[i].lambda),
        convex_front: hull.map((i) => runs[i].lambda),
        gaps: { lanthanides: gapRange(compared, LANTHANIDES), alkali: gapRange(compared, ALKALI), noble_and_halogen: gapRange(compared, NOBLE_HALOGEN) },
      },
      table:
        `element,position_lambda_${compared.lambda},thesis_position,abs_diff\n` +
        cmp.rows.map((r) => `${r.element},${r.ours.toFixed(4)},${r.thesis ?? ""},${r.thesis === null ? "" : Math.abs(r.ours - r.thesis).toFixed(4)}`).join("\n") +
        "\n",
      pareto: scatterSvg({
        points: runs.map((r, i) => ({ x: r.lossX, y: r.lossY, label: `λ=${r.lambda}`, highlight: i === pick })),
        overlay: lowerConvexHull(pts).map((i) => pts[i]),
        title: `Pareto plot of the λ candidates (${params.reading}; chosen λ = ${chosen.lambda})`,
        xLabel: "LossX = Σ S·D",
        yLabel: "LossY = Σ 1/D",
      }),
      distanceHeatmap: heatmapSvg({ values: logD, n, labels: [...labels], title: "chemical distance D (thesis Fig. 3.1b)", colorbarLabel: "log10 D" }),
      ordering: stripSvg({
        items: inputs.order.symbols.map((s, a) => ({ label: s, x: inputs.order.coordinates[a] })),
        title: `1-D MDS ordering (thesis Fig. 3.2), stress ${inputs.order.stress.toFixed(1)}`,
        xLabel: "MDS coordinate",
      }),
    }
  },
})
