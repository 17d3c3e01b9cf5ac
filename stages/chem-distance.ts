// stages/chem-distance.ts: thesis §3.1.2, eq. 3.2 — d = 1/S, completed over substitution paths
// d_ij = min(d_ij, d_ik·d_kj) (k ∉ {i, j}) until stable, then D = min(d, dᵀ); unreachable pairs reported.
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { chemDistance as completedDistance, unreachablePairs } from "../numerics/ordering/chem-distance.js"
import { substitution } from "./substitution.js"

export const chemDistance = stage({
  name: "chem-distance",
  version: "1",
  description: "symmetric chemical distance D from path-completed 1/S (thesis eq. 3.2)",
  params: z.object({}),
  inputs: { S: substitution.out.S },
  outputs: {
    D: artifact.matrix(),
    report: artifact.json(
      z.object({
        sweeps: z.number(),
        improved: z.number(),
        unreachablePairs: z.number(),
        isolated: z.array(z.string()),
        examples: z.array(z.tuple([z.string(), z.string()])),
      }),
    ),
  },
  run: ({ inputs, log }) => {
    const { rows: n, data, labels = [] } = inputs.S
    const { D, completion } = completedDistance(data, n)
    const pairs = unreachablePairs(D, n)
    // an element with no finite distance to anyone: no substitution recorded at all (e.g. He, Ne, Ar)
    const isolated = labels.filter((_, i) => labels.every((__, j) => j === i || D[i * n + j] === Infinity))
    log(`completion: ${completion.improved} entries shortened in ${completion.sweeps} sweeps; ${pairs.length} pairs unreachable; isolated: ${isolated.join(", ")}`)
    return {
      D: { rows: n, cols: n, data: D, labels },
      report: {
        sweeps: completion.sweeps,
        improved: completion.improved,
        unreachablePairs: pairs.length,
        isolated,
        examples: pairs.slice(0, 20).map(([i, j]) => [labels[i], labels[j]] as [string, string]),
      },
    }
  },
})
