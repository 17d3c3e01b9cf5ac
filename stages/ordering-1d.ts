// stages/ordering-1d.ts: thesis §3.1.2 (Fig. 3.2) — metric MDS (SMACOF, scikit-learn 1.2.1 semantics) of the
// chemical distance D to one dimension; thesis settings n_init 20,000, max_iter 500, random seed 42.
// D has ∞ for pairs with no substitution path, which MDS cannot take. The thesis's Fig. 3.2 shows the
// data-poor elements (He, Ne, Ar, …) at the two ends, as a large constant distance puts them; `unreachable`
// says how to make D finite: "fill-max" (default) sets ∞ to the largest finite distance, "drop" keeps only
// the largest connected group of elements.
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { smacof } from "../numerics/mds/smacof.js"
import { chemDistance } from "./chem-distance.js"

/** Make D finite; returns the kept element indices and the finite matrix over them. */
export function finiteDistances(D: Float64Array, n: number, how: "fill-max" | "drop"): { keep: number[]; F: Float64Array } {
  if (how === "fill-max") {
    let max = 0
    for (const v of D) if (Number.isFinite(v) && v > max) max = v
    return { keep: [...Array(n).keys()], F: D.map((v) => (Number.isFinite(v) ? v : max)) }
  }
  // connected components over finite distances; keep the largest
  const comp = new Int32Array(n).fill(-1)
  let best: number[] = []
  for (let s = 0; s < n; s++) {
    if (comp[s] >= 0) continue
    const members = [s]
    comp[s] = s
    for (let q = 0; q < members.length; q++)
      for (let j = 0; j < n; j++)
        if (comp[j] < 0 && Number.isFinite(D[members[q] * n + j])) {
          comp[j] = s
          members.push(j)
        }
    if (members.length > best.length) best = members
  }
  const keep = best.sort((a, b) => a - b)
  const m = keep.length
  const F = new Float64Array(m * m)
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) F[a * m + b] = D[keep[a] * n + keep[b]]
  return { keep, F }
}

const Params = z.object({
  nInit: z.number().int().positive().default(20_000).describe("n_init: random starts"),
  maxIter: z.number().int().positive().default(500).describe("max_iter per start"),
  eps: z.number().positive().default(1e-3).describe("sklearn's relative stress tolerance"),
  seed: z.number().int().nonnegative().default(42).describe("numpy RandomState seed"),
  unreachable: z.enum(["fill-max", "drop"]).default("fill-max").describe("how ∞ distances enter MDS"),
})
const Order = z.object({ symbols: z.array(z.string()), coordinates: z.array(z.number()), stress: z.number(), nIter: z.number(), dropped: z.array(z.string()) })

/** The stage's computation; `onInit` sees every start (the n_init 20,000 check against scikit-learn watches them all). */
export function orderElements(
  D: { rows: number; data: Float64Array; labels?: readonly string[] },
  params: z.infer<typeof Params>,
  onInit?: (done: number, total: number, start: { stress: number; nIter: number }) => void,
): z.infer<typeof Order> {
  const { rows: n, data, labels = [] } = D
  const { keep, F } = finiteDistances(data, n, params.unreachable)
  const res = smacof(F, keep.length, { nComponents: 1, nInit: params.nInit, maxIter: params.maxIter, eps: params.eps, seed: params.seed, ...(onInit ? { onInit } : {}) })
  const idx = keep.map((_, a) => a).sort((a, b) => res.X[a]! - res.X[b]!)
  return {
    symbols: idx.map((a) => labels[keep[a]!]!),
    coordinates: idx.map((a) => res.X[a]!),
    stress: res.stress,
    nIter: res.nIter,
    dropped: labels.filter((_, i) => !keep.includes(i)),
  }
}

export const ordering1d = stage({
  name: "ordering-1d",
  version: "1",
  description: "1-D element ordering by metric MDS (SMACOF) of the chemical distance (thesis Fig. 3.2)",
  params: Params,
  presets: { smoke: { nInit: 200 } },
  inputs: { D: chemDistance.out.D },
  outputs: { order: artifact.json(Order) },
  resources: { cpus: 1, memGB: 2, time: "1h", presets: { smoke: { time: "10m" } } },
  run: ({ params, inputs, progress, log }) => {
    const step = Math.max(1, Math.floor(params.nInit / 100))
    const order = orderElements(inputs.D, params, (done, total) => {
      if (done % step === 0 || done === total) progress(done, total, "MDS starts")
    })
    log(`stress ${order.stress.toFixed(3)} after ${order.nIter} iterations of the best start; dropped: ${order.dropped.join(", ") || "none"}`)
    return { order }
  },
})
