// Body of step-worker.mjs: init the backend in this thread, time one model's steps.
import { initBackend } from "../runtime/backend.js"
import { cgcnnBatch } from "./cgcnn-batch.js"
import { cgcnnStepRunner, timeSteps } from "./cgcnn-step.js"
import { graphModelStepRunner } from "./graph-step.js"

export interface StepWorkerJob {
  model: "cgcnn" | "megnet"
  warmup: number
  steps: number
  /** smaller batch (tests): crystals and atoms of cgcnnBatch */
  scale?: { N: number; A: number }
}

export async function runStepWorker(job: StepWorkerJob) {
  const backend = await initBackend()
  const batch = cgcnnBatch(job.scale)
  const r = job.model === "cgcnn" ? cgcnnStepRunner(batch) : graphModelStepRunner(batch, "megnet")
  const t0 = performance.now()
  const res = timeSteps(r, job.warmup, job.steps)
  const wallMs = performance.now() - t0
  r.dispose()
  return { backend: backend.name, ...res, wallMs }
}
