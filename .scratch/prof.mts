import { join } from "node:path"
import { initBackend } from "/work/main/models/backend/runtime/backend.ts"
import { crabnetReference } from "/work/main/models/backend/steps/crabnet-step.ts"
import { crabnetHarness } from "/work/main/bench/crabnet-harness.ts"
import { mulberry32 } from "/work/main/numerics/random.ts"
await initBackend()
const ref = crabnetReference(join(crabnetHarness(), "data"), 0.1)
const rng = mulberry32(1)
for (let i = 0; i < 5; i++) { const t0 = performance.now(); ref.trainer.step(ref.batch, ref.y, 1e-3, rng); console.log((performance.now()-t0).toFixed(0)) }
