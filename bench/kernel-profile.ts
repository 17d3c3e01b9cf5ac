// Where a training step's time goes, per tfjs kernel (tf.profile), for CGCNN or MEGNet on the
// reference batch (models/backend/steps/graph-step.ts), or CrabNet on the steels batch of
// ../shared/bench/crabnet-step (models/backend/steps/crabnet-step.ts). A profiling aid, not a benchmark:
//   node bin/pipeline-ts.mjs bench/kernel-profile.ts [megnet|cgcnn|crabnet] [dim]
import * as tf from "@tensorflow/tfjs-core"
import { initBackend } from "../models/backend/runtime/backend.js"
import { cgcnnBatch } from "../models/backend/steps/cgcnn-batch.js"
import { join } from "node:path"
import { crabnetReference } from "../models/backend/steps/crabnet-step.js"
import { crabnetHarness } from "./crabnet-harness.js"
import { graphModelStepRunner } from "../models/backend/steps/graph-step.js"
import { mulberry32 } from "../numerics/random.js"

const model = process.argv[2] ?? "megnet"
await initBackend()
const run = model === "crabnet" ? crabnetRunner() : graphModelStepRunner(cgcnnBatch(), model as "megnet" | "cgcnn", Number(process.argv[3] ?? 16))

function crabnetRunner(): { step(): void; dispose(): void } {
  const ref = crabnetReference(join(crabnetHarness(), "data"), 0.1)
  const rng = mulberry32(1)
  return { step: () => void ref.trainer.step(ref.batch, ref.y, 1e-3, rng), dispose: () => ref.dispose() }
}
for (let i = 0; i < 2; i++) run.step()
const info = await tf.profile(() => void run.step())
const byShape = new Map<string, { ms: number; n: number }>()
const byName = new Map<string, number>()
for (const k of info.kernels) {
  const ms = Number(await k.kernelTimeMs)
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`.slice(0, 110)
  const e = byShape.get(key) ?? { ms: 0, n: 0 }
  byShape.set(key, { ms: e.ms + ms, n: e.n + 1 })
  byName.set(k.name, (byName.get(k.name) ?? 0) + ms)
}
const total = [...byName.values()].reduce((a, b) => a + b, 0)
console.log(`kernels ${info.kernels.length}, total kernel ms ${total.toFixed(0)}`)
for (const [k, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(1).padStart(8)} ms ${k}`)
console.log("--- by shape")
for (const [k, e] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`${e.ms.toFixed(1).padStart(8)} ms ×${e.n} ${k}`)
run.dispose()
