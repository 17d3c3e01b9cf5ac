// One answer to "can this node's result be used as it is?", shared by `status` (and `run --dry-run`)
// and by run's fast path, so the two cannot disagree about what is stale. A key is fresh when
// pipeline.lock names it and its blobs have the size and mtime they had when last hashed (git's
// index and DVC do the same), or when its cache record is valid, names exactly the stage's outputs,
// and every blob re-hashes right. `verify` skips the lock's shortcut and always re-hashes.
import { statSync } from "node:fs"
import type { PlannedNode } from "./graph.js"
import type { LockEntry } from "./lockfile.js"
import type { CacheRecord, OutputEntry } from "./store.js"
import type { Workspace } from "./workspace.js"

export interface Fresh {
  readonly outputs: Record<string, OutputEntry>
  /** the cache record, when the answer came from it (not from pipeline.lock) */
  readonly record?: CacheRecord
  readonly via: "lock" | "record"
}

export function freshResult(ws: Workspace, node: PlannedNode, key: string, locked: LockEntry | undefined, verify = false): Fresh | undefined {
  if (!verify) {
    const outputs = lockedOutputs(ws, node, locked, key)
    if (outputs) return { outputs, via: "lock" }
  }
  const record = ws.store.readRecord(key)
  if (record && namesOutputs(node, record.outputs) && ws.store.recordIsUsable(record, true)) return { outputs: record.outputs, record, via: "record" }
  return undefined
}

/** A record or lock entry must name exactly the stage's outputs (a damaged name is a miss, not a crash). */
export function namesOutputs(node: PlannedNode, outputs: Readonly<Record<string, unknown>>): boolean {
  const names = Object.keys(node.stage.outputs)
  return Object.keys(outputs).length === names.length && names.every((n) => outputs[n] !== undefined)
}

/**
 * pipeline.lock is checked for shape only when read (a zod pass over 10,000 entries costs more than
 * the rest of a no-op run), so each entry is checked here, where it is used.
 */
function lockedOutputs(ws: Workspace, node: PlannedNode, entry: LockEntry | undefined, key: string): Record<string, OutputEntry> | undefined {
  if (!entry || entry.key !== key || typeof entry.outputs !== "object" || entry.outputs === null || !namesOutputs(node, entry.outputs)) return undefined
  for (const name in entry.outputs) {
    const o = entry.outputs[name]!
    if (typeof o.hash !== "string" || typeof o.size !== "number" || typeof o.mtimeMs !== "number") return undefined
    const st = statSync(ws.store.blobPath(o.hash), { throwIfNoEntry: false })
    if (!st || st.size !== o.size || st.mtimeMs !== o.mtimeMs) return undefined
  }
  return entry.outputs // lock outputs are OutputEntries with extra fields (path, mtimes)
}
