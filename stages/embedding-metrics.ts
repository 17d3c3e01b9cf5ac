// stages/embedding-metrics.ts: thesis §3.2.3 (Fig. 3.9 inputs) and §3.2.4 (Fig. 3.10, the K-means
// references of the consensus) — per model: spectral radius, spectral gap, Fiedler value of
// A_ij = exp(−‖v_i − v_j‖²); effective rank; variance entropy; K-means (k = classes present) ARI and
// silhouette; ARI of each message-passing layer; best-silhouette K-means over k = 2…10. No grid of its
// own: it inherits its upstream's, so there is one node per model and adding a model adds one node.
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { elementGroupsInput, loadChemicalClasses } from "../io/element-facts.js"
import { analyseTable } from "../numerics/embedding/metrics.js"
import { fromRows } from "../numerics/embedding/rows.js"
import { ModelEmbeddings } from "../models/embeddings.js"
import { model } from "./embedding-sources.js"

/** JSON has no NaN: the store writes it as the string "NaN" (engine/canonical.ts). */
export const Num = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number)])

export const ModelAnalysis = z.object({
  meta: ModelEmbeddings.shape.meta,
  symbols: z.array(z.string()),
  metrics: z.object({
    n: z.number(),
    dim: z.number(),
    spectralRadius: Num,
    spectralGap: Num,
    fiedler: Num,
    effectiveRank: Num,
    entropy: Num,
    ari: Num,
    silhouette: Num,
    classes: z.number(),
  }),
  layerAri: z.array(Num),
  bestK: z.object({ k: z.number().int(), silhouette: Num, labels: z.array(z.number().int()) }),
})
export type ModelAnalysis = z.infer<typeof ModelAnalysis>

export const embeddingMetrics = stage({
  name: "embedding-metrics",
  version: "1",
  description: "structure metrics, per-layer ARI and best-silhouette K-means of one model's element vectors",
  params: z.object({
    kmeansInit: z.number().int().positive().default(10).describe("K-means restarts (best inertia kept)"),
    kmeansSeed: z.number().int().default(0),
    kMin: z.number().int().min(2).default(2).describe("consensus references: smallest k tried"),
    kMax: z.number().int().min(2).default(10).describe("consensus references: largest k tried"),
  }),
  presets: { smoke: { kmeansInit: 2, kMax: 5 } },
  inputs: { model },
  // the ten chemical classes the ARI is measured against
  data: () => ({ groups: elementGroupsInput() }),
  outputs: { metrics: artifact.json(ModelAnalysis) },
  run: ({ params, inputs, data }) => {
    const classes = loadChemicalClasses(data.groups)
    const m = inputs.model
    const { vectors, n, dim } = fromRows(m.fused)
    const ks = Array.from({ length: Math.max(0, params.kMax - params.kMin + 1) }, (_, i) => params.kMin + i)
    const a = analyseTable(vectors, n, dim, m.symbols.map((s) => classes.get(s)), {
      nInit: params.kmeansInit,
      seed: params.kmeansSeed,
      ks,
      layers: (m.layers ?? []).map((l) => fromRows(l)),
    })
    return { metrics: { meta: m.meta, symbols: m.symbols, ...a } }
  },
})
