// stages/spacing.ts: thesis §3.1.3, eq. 3.3 — gaps along the fixed GA order, one node per λ:
// L(x, λ) = η(Σx − N)² + Σ_{i<j} (S_ij·D_ij + λ/D_ij), x0 = 1, quasi-Newton (L-BFGS on log-gaps, analytic
// gradient). Which S enters and whether positions are rescaled to span 1…N are readings of the thesis
// (numerics/ordering/readings.ts; numbers of each in stages/ORDERING-READINGS.md).
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { barsSvg } from "../figures/svg.js"
import { rescaledVariance } from "../numerics/ordering/pareto.js"
import { parseReading, readings, spacingWeights, type Reading } from "../numerics/ordering/readings.js"
import { fitGaps, positionsFromGaps, rescaleGaps } from "../numerics/ordering/spacing.js"
import { chemDistance } from "./chem-distance.js"
import { referenceOrder } from "./reference-order.js"
import { substitution } from "./substitution.js"

export const readingParam = z.enum(readings as unknown as [Reading, ...Reading[]])
export const DEFAULT_READING: Reading = "max-rescaled"

export const SpacingResult = z.object({
  lambda: z.number(),
  eta: z.number(),
  reading: z.string(),
  symbols: z.array(z.string()),
  /** optimised gaps (the minimiser of eq. 3.3) */
  gaps: z.array(z.number()),
  /** positions under the reading (rescaled to 1…N or 1 + Σ gaps) */
  positions: z.array(z.number()),
  lossX: z.number(),
  lossY: z.number(),
  loss: z.number(),
  /** variance of the gaps rescaled to sum N (the λ-selection criterion) */
  variance: z.number(),
  withoutData: z.array(z.string()),
  iterations: z.number(),
  converged: z.boolean(),
})
export type SpacingResult = z.infer<typeof SpacingResult>

export const spacing = stage({
  name: "spacing",
  version: "1",
  description: "gaps along the GA order minimising eq. 3.3, one node per λ",
  params: z.object({
    lambda: z.number().positive().default(6).describe("λ: weight of the 1/D repulsion"),
    eta: z.number().positive().default(0.1).describe("η: weight of (Σx − N)²"),
    reading: readingParam.default(DEFAULT_READING).describe("which S enters eq. 3.3 and whether positions span 1…N"),
  }),
  grid: { lambda: [1, 2, 4, 6, 8, 12, 16, 32, 64, 100] },
  presets: { smoke: { lambda: [1, 6, 100] } },
  inputs: { S: substitution.out.S, D: chemDistance.out.D, order: referenceOrder.out.order },
  outputs: { result: artifact.json(SpacingResult), bars: artifact.text("svg") },
  run: ({ params, inputs }) => {
    const { weights, rescale } = parseReading(params.reading)
    const m = inputs.S.rows
    const row = new Map((inputs.S.labels ?? []).map((s, i) => [s, i]))
    const symbols = inputs.order.symbols
    const order = symbols.map((s) => row.get(s) ?? -1)
    const withoutData = symbols.filter((_, a) => order[a] < 0)
    const n = symbols.length
    const W = spacingWeights(weights, inputs.S.data, inputs.D.data, m, order)
    const fit = fitGaps(W, n, { lambda: params.lambda, eta: params.eta })
    const positions = rescale ? positionsFromGaps(rescaleGaps(fit.gaps, n - 1), 1) : positionsFromGaps(fit.gaps, 1)
    const shown = rescale ? rescaleGaps(fit.gaps, n - 1) : fit.gaps
    return {
      result: {
        lambda: params.lambda,
        eta: params.eta,
        reading: params.reading,
        symbols,
        gaps: Array.from(fit.gaps),
        positions: Array.from(positions),
        lossX: fit.lossX,
        lossY: fit.lossY,
        loss: fit.loss,
        variance: rescaledVariance(fit.gaps, n),
        withoutData,
        iterations: fit.iterations,
        converged: fit.converged,
      },
      bars: barsSvg({
        values: Array.from(shown),
        labels: symbols.slice(0, -1).map((s, k) => `${s}–${symbols[k + 1]}`),
        title: `gaps along the GA order, λ = ${params.lambda} (${params.reading})`,
        yLabel: rescale ? "gap (rescaled to span 1…N)" : "gap",
      }),
    }
  },
})
