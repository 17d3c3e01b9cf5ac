// Inside a worker thread: import the stage's module, run the node, send encoded outputs back.
import type { MessagePort } from "node:worker_threads"
import { openDataFiles, type DataSpec } from "../data.js"
import { initHash } from "../hash.js"
import { decodeInputs, encodeOutputs, invokeStage, loadStage, type EncodedInput } from "./invoke.js"

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
    const values = await invokeStage(stage, {
      params: job.params,
      inputs: decodeInputs(stage, job.inputs),
      data: openDataFiles(job.data),
      node: job.node,
      progress: (done, total, label) => port.postMessage({ type: "progress", done, total, label }),
      log: (message) => port.postMessage({ type: "log", message }),
    })
    const outputs = encodeOutputs(stage, values)
    port.postMessage({ type: "done", outputs }, Object.values(outputs).map((b) => b.buffer as ArrayBuffer).filter(uniqueBuffers()))
  } catch (e) {
    port.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined })
  }
}

function uniqueBuffers() {
  const seen = new Set<ArrayBuffer>()
  return (b: ArrayBuffer) => (seen.has(b) ? false : (seen.add(b), true))
}
