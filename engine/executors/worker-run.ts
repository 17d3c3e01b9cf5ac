// Inside a worker thread: import the stage's module, run the node, send encoded outputs back.
import type { MessagePort } from "node:worker_threads"
import type { DataSpec } from "../data.js"
import { initHash } from "../hash.js"
import { loadStage, runNode, type EncodedInput } from "./invoke.js"

export interface WorkerJob {
  readonly modulePath: string
  readonly stageName: string
  readonly node: string
  readonly params: Record<string, unknown>
  readonly inputs: Record<string, EncodedInput>
  readonly data: DataSpec
}

export async function runInThisWorker(job: WorkerJob, port: MessagePort): Promise<void> {
  try {
    await initHash() // data handles re-hash what they read
    const stage = await loadStage(job.modulePath, job.stageName)
    const outputs = await runNode(stage, { params: job.params, inputs: job.inputs, data: job.data, node: job.node }, {
      progress: (done, total, label) => port.postMessage({ type: "progress", done, total, label }),
      log: (message) => port.postMessage({ type: "log", message }),
    })
    port.postMessage({ type: "done", outputs }, Object.values(outputs).map((b) => b.buffer as ArrayBuffer).filter(uniqueBuffers()))
  } catch (e) {
    port.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined })
  }
}

function uniqueBuffers() {
  const seen = new Set<ArrayBuffer>()
  return (b: ArrayBuffer) => (seen.has(b) ? false : (seen.add(b), true))
}
