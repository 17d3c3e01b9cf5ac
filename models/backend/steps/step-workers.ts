// Runs the step benchmark in n worker threads at once (one model each): sweep throughput on this machine.
import { Worker } from "node:worker_threads"
import type { StepWorkerJob } from "./step-worker-run.js"

export interface WorkerTiming { backend: string; medianMs: number; p10Ms: number; p90Ms: number; losses: number[]; wallMs: number }

export function runStepWorkers(n: number, job: StepWorkerJob): Promise<WorkerTiming[]> {
  return Promise.all(
    Array.from({ length: n }, () => new Promise<WorkerTiming>((resolve, reject) => {
      const w = new Worker(new URL("./step-worker.mjs", import.meta.url), { workerData: job })
      w.once("message", (m: WorkerTiming) => { resolve(m); void w.terminate() })
      w.once("error", reject)
    })),
  )
}
