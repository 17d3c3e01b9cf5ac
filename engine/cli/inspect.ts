// Read-only commands: status (what is stale and why), dag (Mermaid), params, show (lineage).
import { relative, resolve } from "node:path"
import { readLock, type LockEntry } from "../lockfile.js"
import { clusterActivity } from "../executors/slurm.js"
import { evaluate } from "../status.js"
import { DATA_INPUT, workspace } from "../workspace.js"
import { canonicalJson } from "../canonical.js"
import { inputRefs } from "../stage.js"
import { UsageError, type Args } from "./args.js"
import type { Loaded } from "./main.js"
import { planFromArgs } from "./run.js"

export function statusCommand(loaded: Loaded, args: Args): number {
  const p = planFromArgs(loaded, args, true)
  const ws = workspace(loaded.root, loaded.pipeline.data)
  const states = evaluate(p, ws, readLock(ws.lockFile))
  let stale = 0
  for (const s of states.values()) {
    if (s.fresh) continue
    stale++
    process.stdout.write(`${s.node.id}: ${s.reasons.join("; ")}\n`)
  }
  process.stdout.write(stale === 0 ? `all ${states.size} nodes up to date\n` : `${stale} of ${states.size} nodes stale\n`)
  // a run in progress elsewhere (another shell, a login node): its nodes on the cluster now
  const onCluster = clusterActivity(ws)
  for (const a of onCluster) {
    const s = a.state
    const what = s.state === "RUNNING" ? `running on ${s.host} for ${s.elapsed}` : `${s.state.toLowerCase()}${s.reason && s.reason !== "None" ? ` (${s.reason})` : ""}`
    process.stdout.write(`${a.node}: ${what} — SLURM job ${s.job}, log ${a.log}\n`)
  }
  if (onCluster.length > 0) process.stdout.write(`${onCluster.length} nodes queued or running on the cluster\n`)
  return 0
}

export function dagCommand(loaded: Loaded, args: Args): number {
  const p = planFromArgs(loaded, args, true)
  const lines = ["graph TD"]
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_")
  if (args.nodes) {
    for (const n of p.nodes) lines.push(`  ${id(n.id)}["${n.id}"]`)
    for (const n of p.nodes) for (const i of n.inputs) for (const u of i.upstream) lines.push(`  ${id(u.id)} -->|${i.name}| ${id(n.id)}`)
  } else {
    const counts = new Map<string, number>()
    for (const n of p.nodes) counts.set(n.stage.name, (counts.get(n.stage.name) ?? 0) + 1)
    for (const s of p.stages) lines.push(`  ${id(s.name)}["${s.name}${(counts.get(s.name) ?? 0) > 1 ? ` ×${counts.get(s.name)}` : ""}"]`)
    for (const s of p.stages)
      for (const [name, ref] of inputRefs(s)) {
        const up = ref._tag === "GatherRef" ? ref.ref.stage : ref.stage
        lines.push(`  ${id(up.name)} -->|${name}${ref._tag === "GatherRef" ? " (all)" : ""}| ${id(s.name)}`)
      }
  }
  process.stdout.write(lines.join("\n") + "\n")
  return 0
}

export function paramsCommand(loaded: Loaded, args: Args): number {
  const p = planFromArgs(loaded, args, false)
  const targets = new Set(p.targets)
  for (const n of p.nodes) if (targets.has(n.stage)) process.stdout.write(`${n.id} ${canonicalJson(n.params)}\n`)
  return 0
}

export function showCommand(loaded: Loaded, args: Args): number {
  const what = args.positionals[0]
  if (!what) throw new UsageError("show needs a node id or an artifact path")
  const ws = workspace(loaded.root)
  const lock = readLock(ws.lockFile)
  const rel = relative(loaded.root, resolve(what))
  const id =
    what in lock.nodes
      ? what
      : Object.entries(lock.nodes).find(([, e]) => Object.values(e.outputs).some((o) => o.path === rel || o.path === what))?.[0]
  if (!id) throw new UsageError(`'${what}' is neither a node nor an artifact in pipeline.lock — run it first, or see \`pipeline status\``)
  const seen = new Set<string>()
  const print = (nodeId: string, depth: number, viaHash?: string) => {
    const e: LockEntry | undefined = lock.nodes[nodeId]
    const pad = "  ".repeat(depth)
    if (!e) return void process.stdout.write(`${pad}${nodeId} (not in pipeline.lock)\n`)
    const outdated = viaHash && !Object.values(e.outputs).some((o) => o.hash === viaHash) ? " [upstream has changed since]" : ""
    // wall time lives in the cache record (artifacts hold content only, so equal runs are byte-identical)
    const rec = ws.store.readRecord(e.key)
    const took = rec ? `  ran ${(rec.durationMs / 1000).toFixed(1)} s at ${rec.createdAt}` : ""
    process.stdout.write(`${pad}${nodeId}  stage ${e.stage} v${e.code.version}  key ${e.key}${took}${outdated}\n`)
    if (seen.has(nodeId)) return
    seen.add(nodeId)
    process.stdout.write(`${pad}  params ${canonicalJson(e.params)}\n`)
    for (const [name, o] of Object.entries(e.outputs)) process.stdout.write(`${pad}  → ${name}: ${o.path} (${o.hash}, ${o.size} B)\n`)
    for (const [name, ups] of Object.entries(e.inputs)) {
      if (name === DATA_INPUT) {
        for (const f of ups) process.stdout.write(`${pad}  ← data file ${f.node} (${f.hash})\n`)
        continue
      }
      process.stdout.write(`${pad}  ← ${name}${ups.length > 1 ? ` (${ups.length} nodes)` : ""}\n`)
      for (const u of ups.slice(0, 20)) print(u.node, depth + 2, u.hash)
      if (ups.length > 20) process.stdout.write(`${pad}    … ${ups.length - 20} more\n`)
    }
  }
  print(id, 0)
  return 0
}
