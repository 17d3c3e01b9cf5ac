// numerics/ordering/readings.ts: the readings of thesis §3.1.3 that the text leaves open. Eq. 3.3 sums
// S_ij·D_ij over i < j "with S the substitutability matrix built in §3.1.2", which is asymmetric (eq. 3.1);
// the printed Table 3.1 spans exactly 1…95, i.e. positions were rescaled ("等比例放缩") to span 1…N.
//   raw       S[order_i, order_j] as stored (row = the element earlier in the order)
//   mean      (S_AB + S_BA)/2
//   max       max(S_AB, S_BA) (the symmetrisation §3.1.2 applies to distances: min d = max S)
//   completed 1/D of the path-completed, symmetrised chemical distance of §3.1.2 (0 where unreachable)
// and, for each, positions either rescaled to span 1…N or left as 1 + Σ gaps.
import { permute, symmetrize } from "./substitution.js"

export const weightReadings = ["raw", "mean", "max", "completed"] as const
export type WeightReading = (typeof weightReadings)[number]
export const readings = weightReadings.flatMap((w) => [`${w}-rescaled`, `${w}-unscaled`] as const)
export type Reading = `${WeightReading}-${"rescaled" | "unscaled"}`

export function parseReading(r: Reading): { weights: WeightReading; rescale: boolean } {
  const [w, s] = r.split("-") as [WeightReading, string]
  return { weights: w, rescale: s === "rescaled" }
}

/**
 * Weights W in the order for a reading. `S` is the asymmetric substitution matrix and `D` the completed
 * symmetric distance, both over `m` elements; `order[a]` is the row of the a-th ordered element (−1 when it
 * has no substitution data: its weights are 0, so only the λ/D repulsion acts on it).
 */
export function spacingWeights(reading: WeightReading, S: Float64Array, D: Float64Array, m: number, order: readonly number[]): Float64Array {
  switch (reading) {
    case "raw":
      return permute(S, m, order)
    case "mean":
    case "max":
      return permute(symmetrize(S, m, reading), m, order)
    case "completed": {
      const inv = D.map((v, k) => (Number.isFinite(v) && v > 0 && k % (m + 1) !== 0 ? 1 / v : 0))
      return permute(inv, m, order)
    }
  }
}
