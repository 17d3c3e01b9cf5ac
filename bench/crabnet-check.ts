// The port against PyTorch at full size: the first losses of `crabnet_torch.py --check` (dropout off, no
// jitter, lr by CyclicLR from 1e-4) on the harness's batch and weights, from a writable copy of
// ../shared/bench/crabnet-step where gen_batch.py has written data/ (prepared by crabnet-harness.ts).
//   npx tsx bench/crabnet-check.ts [--data DIR] [--steps 13]
import { initBackend } from "../models/backend/runtime/backend.js"
import { join } from "node:path"
import { crabnetReference } from "../models/backend/steps/crabnet-step.js"
import { crabnetHarness } from "./crabnet-harness.js"
import { cyclicLr } from "../models/crabnet/optim.js"

// ../shared/bench/crabnet-step/README.md, `--check`, 1 thread (losses 7 and 13 follow Lookahead syncs)
const PYTORCH = [1.0641859, 1.0558589, 0.9918001, 1.4184189, 0.977125, 0.972071, 0.9325493, 0.9931405, 1.0064983,
  1.0051644, 0.9439037, 0.8422112, 0.8775904]
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : dflt
}
const steps = Number(arg("steps", "13"))
const backend = await initBackend()
const ref = crabnetReference(arg("data", join(crabnetHarness(), "data")), 0)
let worst = 0
for (let t = 0; t < steps; t++) {
  const loss = ref.trainer.step(ref.batch, ref.y, cyclicLr(t, ref.stepSizeUp), null)
  const rel = Math.abs(loss - PYTORCH[t]!) / PYTORCH[t]!
  worst = Math.max(worst, rel)
  console.log(`step ${String(t + 1).padStart(2)}  port ${loss.toFixed(7)}  pytorch ${PYTORCH[t]!.toFixed(7)}  rel ${rel.toExponential(1)}`)
}
ref.dispose()
console.log(JSON.stringify({ backend: backend.name, steps, max_rel_diff: worst }))
