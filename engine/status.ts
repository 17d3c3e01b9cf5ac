// Status: which nodes are stale and WHY, in words (redun's dry run, DVC's `status`). A node is fresh
// when engine/freshness.ts says its key's result is usable (run's fast path asks the same); a stale node's reasons come from diffing what it would run
// with against its pipeline.lock entry: params, code (which file), inputs (which upstream), cache.
import { formatValue, type Plan, type PlannedNode } from "./graph.js"
import type { LockEntry, LockFile } from "./lockfile.js"
import { freshResult } from "./freshness.js"
import type { OutputEntry } from "./store.js"
import { DATA_INPUT, nodeKey, type InputHashes, type Workspace } from "./workspace.js"
import { canonicalJson } from "./canonical.js"

export interface NodeState {
  readonly node: PlannedNode
  readonly fresh: boolean
  readonly key?: string
  /** the fresh node's outputs */
  readonly outputs?: Readonly<Record<string, OutputEntry>>
  readonly reasons: readonly string[]
}

export function evaluate(plan: Plan, ws: Workspace, lock: LockFile, verify = false): Map<string, NodeState> {
  const states = new Map<string, NodeState>()
  for (const node of plan.nodes) {
    const code = ws.code(node.stage)
    const staleInputs: string[] = []
    const hashes: InputHashes = {}
    for (const input of node.inputs) {
      hashes[input.name] = []
      for (const up of input.upstream) {
        const s = states.get(up.id)!
        if (!s.fresh || !s.outputs) staleInputs.push(`${input.name} ← ${up.id}`)
        else hashes[input.name]!.push({ node: up.id, hash: s.outputs[input.output]!.hash })
      }
    }
    const prev = lock.nodes[node.id]
    if (node.stage.dataFiles) hashes[DATA_INPUT] = ws.data(node)
    if (staleInputs.length > 0) {
      const reasons = [...ownChanges(node, code, prev), `input ${summarize(staleInputs)} will rerun`]
      states.set(node.id, { node, fresh: false, reasons })
      continue
    }
    const key = nodeKey(node, code, hashes)
    // the same test run's fast path uses, so status and run agree on what is stale
    const hit = freshResult(ws, node, key, prev, verify)
    if (hit) {
      states.set(node.id, { node, fresh: true, key, outputs: hit.outputs, reasons: [] })
      continue
    }
    const record = ws.store.readRecord(key)
    const reasons = ownChanges(node, code, prev)
    if (prev) reasons.push(...inputChanges(prev, hashes))
    if (reasons.length === 0)
      reasons.push(record ? "cached result is missing or corrupt" : prev?.key === key ? "cache entry was removed" : "cache key changed")
    states.set(node.id, { node, fresh: false, key, reasons })
  }
  return states
}

function ownChanges(node: PlannedNode, code: { hash: string; files: Readonly<Record<string, string>> }, prev: LockEntry | undefined): string[] {
  if (!prev) return ["never run"]
  const reasons: string[] = []
  if (prev.code.version !== node.stage.version) reasons.push(`stage version ${prev.code.version} → ${node.stage.version}`)
  if (prev.code.hash !== code.hash) {
    const files = new Set([...Object.keys(prev.code.files), ...Object.keys(code.files)])
    const changed = [...files].filter((f) => prev.code.files[f] !== code.files[f]).sort()
    if (changed.length > 0) reasons.push(`code changed: ${changed.join(", ")}`)
  }
  const keys = new Set([...Object.keys(prev.params), ...Object.keys(node.params)])
  for (const k of [...keys].sort()) {
    const a = prev.params[k]
    const b = node.params[k]
    if (canonicalJson(a) !== canonicalJson(b)) reasons.push(`param ${k}: ${show(a)} → ${show(b)}`)
  }
  return reasons
}

function inputChanges(prev: LockEntry, hashes: InputHashes): string[] {
  const out: string[] = []
  for (const [name, now] of Object.entries(hashes)) {
    const before = prev.inputs[name]
    if (canonicalJson(before) === canonicalJson(now)) continue
    if (name !== DATA_INPUT) out.push(`input ${name} changed`)
    else {
      const was = new Map((before ?? []).map((f) => [f.node, f.hash]))
      const changed = now.filter((f) => was.get(f.node) !== f.hash).map((f) => f.node)
      out.push(`data file${changed.length > 1 ? "s" : ""} changed: ${changed.join(", ") || "(list of files)"}`)
    }
  }
  return out
}

const show = (v: unknown) => (v === undefined ? "(unset)" : formatValue(v))

function summarize(items: string[]): string {
  return items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`
}
