// stages/distill.ts: thesis §4.2.3, Figs. 4.6–4.7 — Mat2Vec-S (best-γ model of each (task, fold,
// backbone, DIM)), Mat2Vec-H and Mat2Vec-L (pure-channel models): L2-normalised element vectors →
// cosine distances → median-1 rescale → pairwise mean over models → SMACOF (max_iter 2,000, n_init 8,
// seed 42) to 32 / 64 dims → standardised columns, written in CrabNet's element_properties CSV format:
// 118 rows in Z order, zero rows for elements without a vector, listed in the summary (`zeroRows`;
// io/crabnet-element-properties.ts says why). `vectors` holds the real rows only, by symbol.
// One node per (variant, nComponents). Without trained models the published tables are distilled
// instead, and the summary says so.
import { z } from "zod"
import { SYMBOLS } from "../chem/elements.js"
import { artifact, stage } from "../engine/index.js"
import { heatmapSvg } from "../figures/svg.js"
import { sideBySideSvg } from "../figures/grid-heatmap.js"
import { elementTableInput, loadElementTable } from "../io/element-tables.js"
import { elementPropertiesCsv } from "../io/crabnet-element-properties.js"
import { cosineDistances, distanceRange, distil } from "../numerics/embedding/distill.js"
import { fromRows } from "../numerics/embedding/rows.js"
import { selectForDistillation } from "../numerics/embedding/select-models.js"
import { models } from "./embedding-sources.js"

const Range = z.object({ minDistance: z.number(), maxDistance: z.number(), minAngle: z.number(), maxAngle: z.number() })
export const DistillSummary = z.object({
  table: z.string(),
  variant: z.enum(["S", "H", "L"]),
  nComponents: z.number().int(),
  publishedFallback: z.boolean(),
  note: z.string(),
  sources: z.array(z.string()),
  elements: z.number().int(),
  dropped: z.array(z.string()),
  /** elements written as all-zero rows in table.csv (no vector: the models never saw them, or distil dropped them) */
  zeroRows: z.array(z.string()),
  stress: z.number(),
  nIter: z.number().int(),
  /** cosine distances / angles between the rows of the distilled table (thesis: Mat2Vec-S 0.1155–1.7340, 27.81°–137.22°) */
  range: Range,
  /** the same for Mat2Vec on the same elements (thesis: 0.1024–0.9022, 26.15°–84.39°) */
  mat2vecRange: Range.nullable(),
})

/** Lower triangle: every distance; upper triangle: only those below `cut` (thesis Fig. 4.7's display). */
function truncatedUpper(D: Float64Array, n: number, cut: number): Float64Array {
  const out = Float64Array.from(D)
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (D[i * n + j]! > cut) out[i * n + j] = Number.NaN
  return out
}

export const distill = stage({
  name: "distill",
  version: "2",
  description: "Mat2Vec-S/H/L: distilled element tables (CrabNet CSV) and distance heatmaps beside Mat2Vec's (Fig. 4.7)",
  params: z.object({
    variant: z.enum(["S", "H", "L"]).describe("S: best γ per setting; H / L: pure-channel models"),
    nComponents: z.number().int().positive().describe("dimension of the distilled table"),
    maxIter: z.number().int().positive().default(2000),
    nInit: z.number().int().positive().default(8),
    mdsSeed: z.number().int().default(42),
    cut: z.number().positive().default(0.7).describe("upper-triangle display cut-off of the distilled table's distances"),
    mat2vecCut: z.number().positive().default(0.4).describe("the same for Mat2Vec"),
  }),
  grid: { variant: ["S", "H", "L"], nComponents: [32, 64] },
  presets: { smoke: { variant: ["S"], nComponents: [32], maxIter: 200, nInit: 1 } },
  inputs: { models },
  // drawn beside the distilled table (Fig. 4.7)
  data: () => ({ mat2vec: elementTableInput("mat2vec") }),
  outputs: { table: artifact.text("csv"), vectors: artifact.matrix(), heatmap: artifact.text("svg"), summary: artifact.json(DistillSummary) },
  run: ({ params, inputs, data, progress, log }) => {
    const sel = selectForDistillation(inputs.models.map((g) => g.value.meta), params.variant)
    const chosen = sel.chosen.map((i) => inputs.models[i]!)
    if (chosen.length === 0) throw new Error(`no ${params.variant === "S" ? "trained" : `pure-${params.variant}`} models among the ${inputs.models.length} inputs to distil Mat2Vec-${params.variant}`)
    const name = `Mat2Vec-${params.variant}${sel.publishedFallback ? " (from published tables)" : ""}`
    const note = sel.publishedFallback
      ? `no trained H/L/hybrid models were given: distilled the ${chosen.length} published tables instead (${chosen.map((g) => g.value.meta.backbone).join(", ")})`
      : `distilled ${chosen.length} models`
    log(note)
    const res = distil(
      chosen.map(({ value: m }) => ({ symbols: m.symbols, ...fromRows(m.fused) })),
      SYMBOLS,
      { nComponents: params.nComponents, maxIter: params.maxIter, nInit: params.nInit, seed: params.mdsSeed, onInit: (d, t) => progress(d, t, "SMACOF starts") },
    )
    const n = res.symbols.length
    const Dout = cosineDistances(res.vectors, n, params.nComponents).D
    // Mat2Vec on the same elements, same order
    const m2v = loadElementTable("mat2vec", data.mat2vec)
    const at = res.symbols.map((s) => m2v.symbols.indexOf(s))
    const shared = at.filter((i) => i >= 0)
    const mSym = res.symbols.filter((_, k) => at[k]! >= 0)
    const mX = Float64Array.from(shared.flatMap((i) => Array.from(m2v.vectors.subarray(i * m2v.dim, (i + 1) * m2v.dim))))
    const mD = cosineDistances(mX, shared.length, m2v.dim).D
    const heatmap = sideBySideSvg(`${name}, ${params.nComponents}-d, beside Mat2Vec (thesis Fig. 4.7)`, [
      heatmapSvg({ values: truncatedUpper(Dout, n, params.cut), n, labels: res.symbols, title: `${name}: cosine distance (upper: < ${params.cut})`, colorbarLabel: "1 − cos" }),
      heatmapSvg({ values: truncatedUpper(mD, shared.length, params.mat2vecCut), n: shared.length, labels: mSym, title: `Mat2Vec: cosine distance (upper: < ${params.mat2vecCut})`, colorbarLabel: "1 − cos" }),
    ])
    const exported = elementPropertiesCsv(res.symbols, res.vectors, params.nComponents)
    return {
      table: exported.csv,
      vectors: { rows: n, cols: params.nComponents, data: res.vectors, labels: res.symbols },
      heatmap,
      summary: {
        table: name,
        variant: params.variant,
        nComponents: params.nComponents,
        publishedFallback: sel.publishedFallback,
        note,
        sources: chosen.map((g) => g.node),
        elements: n,
        dropped: res.dropped,
        zeroRows: exported.zeroRows,
        stress: res.stress,
        nIter: res.nIter,
        range: distanceRange(Dout, n),
        mat2vecRange: shared.length >= 2 ? distanceRange(mD, shared.length) : null,
      },
    }
  },
})
