// stages/cluster-ensemble.ts: thesis §3.2.4, eqs. 3.9–3.10, Fig. 3.11 — every model contributes its
// best-silhouette K-means labelling (k = 2…10, computed per model in embedding-metrics); a genetic
// algorithm finds the labelling with the highest mean pairwise co-assignment agreement (population
// 500, 2,000 generations, crossover 0.5, mutation 0.2 with per-gene 0.1, tournament 3, number of
// groups free), then single-element moves polish the GA's best (a departure, see consensus-ga.ts).
// Thesis: 17 groups from 400 models.
import { z } from "zod"
import { SYMBOLS, zOf } from "../chem/elements.js"
import { all, artifact, stage } from "../engine/index.js"
import { periodicTableSvg } from "../figures/periodic-table.js"
import { consensusGa, pairWeights } from "../numerics/cluster/consensus-ga.js"
import { embeddingMetrics } from "./embedding-metrics.js"

export const Consensus = z.object({
  symbols: z.array(z.string()),
  labels: z.array(z.number().int()),
  groups: z.number().int(),
  fitness: z.number(),
  /** the GA's own best before the single-move polish (numerics/cluster/consensus-ga.ts) */
  gaFitness: z.number(),
  references: z.array(z.object({ model: z.string(), k: z.number().int(), silhouette: z.union([z.number(), z.string()]) })),
  /** best fitness every 1 % of the generations */
  history: z.array(z.number()),
})
export type Consensus = z.infer<typeof Consensus>

export const clusterEnsemble = stage({
  name: "cluster-ensemble",
  version: "1",
  description: "consensus element groups by a GA maximising mean pairwise co-assignment agreement (Fig. 3.11)",
  params: z.object({
    populationSize: z.number().int().min(2).default(500),
    generations: z.number().int().min(1).default(2000),
    crossoverRate: z.number().min(0).max(1).default(0.5),
    mutationRate: z.number().min(0).max(1).default(0.2),
    geneMutationRate: z.number().min(0).max(1).default(0.1),
    tournamentSize: z.number().int().min(1).default(3),
    gaSeed: z.number().int().default(42),
    polish: z.boolean().default(true).describe("single-element moves after the GA (not in the thesis; false = the GA alone)"),
  }),
  presets: { smoke: { populationSize: 60, generations: 60 } },
  inputs: { analyses: all(embeddingMetrics.out.metrics) },
  outputs: { consensus: artifact.json(Consensus), groups: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ params, inputs, progress }) => {
    // the element universe: every element some model has, in Z order
    const present = new Set(inputs.analyses.flatMap((g) => g.value.symbols))
    const symbols = SYMBOLS.filter((s) => present.has(s))
    const index = new Map(symbols.map((s, i) => [s, i]))
    const refs = inputs.analyses.map(({ value: a }) => {
      const ref = new Int32Array(symbols.length).fill(-1)
      a.symbols.forEach((s, i) => (ref[index.get(s)!] = a.bestK.labels[i]!))
      return ref
    })
    const res = consensusGa(pairWeights(refs, symbols.length), {
      populationSize: params.populationSize,
      generations: params.generations,
      crossoverRate: params.crossoverRate,
      mutationRate: params.mutationRate,
      geneMutationRate: params.geneMutationRate,
      tournamentSize: params.tournamentSize,
      seed: params.gaSeed,
      polish: params.polish,
      onGeneration: (g) => g % 50 === 0 && progress(g, params.generations, "generations"),
    })
    const step = Math.max(1, Math.floor(params.generations / 100))
    const consensus: Consensus = {
      symbols,
      labels: Array.from(res.labels),
      groups: res.groups,
      fitness: res.fitness,
      gaFitness: res.gaFitness,
      references: inputs.analyses.map(({ node, value: a }) => ({ model: node, k: a.bestK.k, silhouette: a.bestK.silhouette })),
      history: Array.from(res.history.filter((_, g) => g % step === 0 || g === params.generations)),
    }
    return {
      consensus,
      groups: ["element,group", ...symbols.map((s, i) => `${s},${res.labels[i]}`)].join("\n") + "\n",
      figure: periodicTableSvg({
        title: `Consensus element groups: ${res.groups} groups from ${refs.length} models (thesis Fig. 3.11: 17)`,
        z: zOf,
        groupOf: new Map(symbols.map((s, i) => [s, `G${res.labels[i]! + 1}`])),
      }),
    }
  },
})
