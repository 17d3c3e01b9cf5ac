// Worker threads for stages that declare resources: CPU-bound training runs off the main thread so the
// pool uses every core; one worker per node keeps memory of one model from leaking into the next.
import { Worker } from "node:worker_threads"
import type { EncodedInput } from "./invoke.js"
import type { WorkerJob } from "./worker-run.js"

export interface WorkerCallbacks {
  progress(done: number, total: number, label?: string): void
  log(message: string): void
}

export function runInWorker(job: WorkerJob, cb: WorkerCallbacks, signal?: AbortSignal): Promise<Record<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb() },
    })
    let settled = false
    const settle = (f: () => void) => {
      if (settled) return
      settled = true
      f()
      void worker.terminate()
    }
    signal?.addEventListener("abort", () => settle(() => reject(new Error("interrupted"))))
    worker.on("message", (m: { type: string; [k: string]: unknown }) => {
      if (m.type === "progress") cb.progress(m.done as number, m.total as number, m.label as string | undefined)
      else if (m.type === "log") cb.log(m.message as string)
      else if (m.type === "done") settle(() => resolve(m.outputs as Record<string, Uint8Array>))
      else if (m.type === "error") settle(() => reject(Object.assign(new Error(m.message as string), { stack: m.stack })))
    })
    worker.on("error", (e) => settle(() => reject(e)))
    worker.on("exit", (code) => settle(() => reject(new Error(`worker exited with code ${code} before finishing`))))
  })
}

export type { EncodedInput }

/**
 * Young-generation size of a heavy worker. Heavy stages make many short-lived objects per step
 * (tensor handles around large typed arrays); V8's default 16 MiB semi-spaces scavenge them
 * several times a step and promote some. `PIPELINE_WORKER_YOUNG_MB` overrides (0 = V8's default).
 */
function youngGenerationMb(): number | undefined {
  const v = Number(process.env.PIPELINE_WORKER_YOUNG_MB ?? 192)
  return Number.isFinite(v) && v > 0 ? v : undefined
}
