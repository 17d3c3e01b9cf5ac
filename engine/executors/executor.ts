// The executor interface: where a node that missed the cache is computed. `local` (this process or
// a worker thread) and `slurm` (a batch job on a cluster) implement it; another backend (a
// Kubernetes Job, a queue of remote workers) is one more file. Whatever runs the stage, the result
// lands the same way: output blobs in the content-addressed store, then the key's record.
import type * as Effect from "effect/Effect"
import type { DataSpec } from "../data.js"
import type { StageFailed } from "../errors.js"
import { fsFault } from "../fs-fault.js"
import type { PlannedNode } from "../graph.js"
import type { CacheRecord, OutputEntry, Store } from "../store.js"
import type { EncodedInput } from "./invoke.js"

/** An input as blob references: one upstream output, or a gather of them with each node's point. */
export type InputEntry = OutputEntry | { node: string; point: Record<string, unknown>; params: Record<string, unknown>; entry: OutputEntry }[]

export interface NodeTask {
  readonly node: PlannedNode
  readonly key: string
  /** the inputs as blob references (what a job on another machine reads) */
  readonly inputs: Record<string, InputEntry>
  /** the same inputs, already read and verified by the scheduler (what this machine uses) */
  readonly encoded: Record<string, EncodedInput>
  /** the declared data files, held to the hashes the key was made of */
  readonly data: DataSpec
}

export interface NodeCallbacks {
  progress(done: number, total: number, label?: string): void
  log(message: string): void
}

export interface Executor {
  readonly name: string
  /** most nodes computing at once (the run's pool size) */
  readonly slots: number
  /** Compute the node; when it succeeds its blobs and record are in the store. */
  compute(task: NodeTask, cb: NodeCallbacks): Effect.Effect<Record<string, OutputEntry>, StageFailed>
  /** Check the configuration before anything runs (a ConfigError is exit 2, nothing submitted). */
  preflight?(nodes: readonly PlannedNode[]): Effect.Effect<void, unknown>
}

/** Read an input's blobs (verified) into what a stage's decoder takes. */
export function readInputBytes(store: Store, inputs: Record<string, InputEntry>): Record<string, EncodedInput> {
  const out: Record<string, EncodedInput> = {}
  for (const [name, input] of Object.entries(inputs))
    out[name] = Array.isArray(input) ? input.map((g) => ({ node: g.node, point: g.point, params: g.params, bytes: store.readBlob(g.entry) })) : store.readBlob(input)
  return out
}

/** Write a computed node's outputs: every blob first, then the record that names them. */
export function storeResult(store: Store, ids: { key: string; node: string; stage: string }, bytes: Record<string, Uint8Array>, t0: number): Record<string, OutputEntry> {
  try {
    const outputs: Record<string, OutputEntry> = {}
    for (const [name, b] of Object.entries(bytes)) outputs[name] = store.writeBlob(b)
    // the wall time lives in the record, never in an artifact (artifacts are pure content)
    const record: CacheRecord = { ...ids, outputs, createdAt: new Date().toISOString(), durationMs: Date.now() - t0 }
    store.writeRecord(record) // only after every blob is durable
    return outputs
  } catch (e) {
    throw fsFault(e, "storing its outputs in the cache")
  }
}
