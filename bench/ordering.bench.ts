// bench/ordering.bench.ts: thesis §3.1 at the thesis's settings — SMACOF to 1-D over the chemical distance
// (96 elements with data, n_init 20,000, max_iter 500, seed 42) and the spacing fit for all ten λ.
// Timings are wall-clock on a shared machine: noisy. The 1-D SMACOF does scikit-learn 1.2.1's arithmetic to the bit
// (numerics/mds/numpy-arith.ts); scikit-learn itself took 89 s for the 20,000 starts here, under load.
// Prints one JSON line last. Data: PIPELINE_DATA_DIR, else the shared mirror beside the repo.
import { existsSync } from "node:fs"
import { join } from "node:path"
import { chemDistance } from "../stages/chem-distance.js"
import { finiteDistances } from "../stages/ordering-1d.js"
import { referenceOrder } from "../stages/reference-order.js"
import { spacing } from "../stages/spacing.js"
import { substitution } from "../stages/substitution.js"
import { smacof } from "../numerics/mds/smacof.js"
import { repoRoot } from "../tests/fixtures.js"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"

const mirror = join(repoRoot, "..", "shared", "data")
if (!process.env.PIPELINE_DATA_DIR && existsSync(mirror)) process.env.PIPELINE_DATA_DIR = mirror

const sub = await runStage(substitution, { dataDir: dataDir() })
const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
const { keep, F } = finiteDistances(cd.D.data, cd.D.rows, "fill-max")

const nInit = Number(process.argv[2] ?? 20_000)
let t = performance.now()
const mds = smacof(F, keep.length, { nComponents: 1, nInit, maxIter: 500, eps: 1e-3, seed: 42 })
const smacofMs = performance.now() - t
console.log(`SMACOF 1-D: ${keep.length} elements, n_init ${nInit}: ${(smacofMs / 1000).toFixed(2)} s, stress ${mds.stress.toFixed(3)}, n_iter ${mds.nIter}`)

const ro = await runStage(referenceOrder, { dataDir: dataDir() })
const lambdas = [1, 2, 4, 6, 8, 12, 16, 32, 64, 100]
const times: number[] = []
for (let rep = 0; rep < 5; rep++) {
  t = performance.now()
  for (const lambda of lambdas) await runStage(spacing, { params: { lambda }, inputs: { S: sub.S, D: cd.D, order: ro.order } })
  times.push(performance.now() - t)
}
times.sort((a, b) => a - b)
const spacingMs = times[2]
console.log(`spacing, 10 λ (median of 5): ${spacingMs.toFixed(0)} ms`)
console.log(
  JSON.stringify({
    smacof_1d_ms: Math.round(smacofMs),
    smacof_n_elements: keep.length,
    smacof_n_init: nInit,
    smacof_stress: mds.stress,
    smacof_ms_per_init: smacofMs / nInit,
    spacing_all_lambdas_ms: Math.round(spacingMs),
  }),
)
