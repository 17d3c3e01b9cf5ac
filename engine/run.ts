// `run`: settle what is fresh, execute the rest, record it. The fast path walks the plan in order
// and settles every node whose inputs are settled and whose own result is fresh (engine/freshness.ts,
// the same test `status` uses); a no-op run ends there, without loading the executor. The rest goes
// to the scheduler (engine/schedule.ts) and from there to an executor (engine/executors/). Then artifacts are materialised and pipeline.lock
// merged, under a run lease that keeps gc away (engine/sessions.ts).
import { statSync } from "node:fs"
import { availableParallelism } from "node:os"
import { ensureData } from "./data.js"
import type { StageFailed } from "./errors.js"
import type { Executor } from "./executors/executor.js"
import { freshResult, namesOutputs } from "./freshness.js"
import type { Plan, PlannedNode } from "./graph.js"
import { fsFault } from "./fs-fault.js"
import { mergeLock, readLock, type LockEntry } from "./lockfile.js"
import { silentReporter, type Reporter } from "./progress.js"
import { enterRun } from "./sessions.js"
import type { OutputEntry } from "./store.js"
import { artifactPath, DATA_INPUT, materialize, nodeKey, type InputHashes, type Workspace } from "./workspace.js"

export interface RunOptions {
  readonly jobs?: number
  readonly reporter?: Reporter
  /** local executor: run stages that declare resources inline, not in worker threads (tests, debugging) */
  readonly inlineHeavy?: boolean
  /** never fetch missing data files: name them and stop */
  readonly offline?: boolean
  /** where missed nodes are computed (engine/executors/; default: this machine) */
  readonly executor?: Executor
  /** abort = Ctrl-C: running nodes are interrupted (their executor cleans up), then RunInterrupted */
  readonly signal?: AbortSignal
}

/** The run was interrupted; finished nodes are cached and in pipeline.lock. */
export class RunInterrupted extends Error {
  constructor() {
    super("interrupted")
  }
}

export type Outcome =
  | { readonly id: string; readonly status: "ran" | "cached"; readonly key: string; readonly outputs: Record<string, OutputEntry>; readonly ms: number }
  | { readonly id: string; readonly status: "failed"; readonly error: StageFailed }
  | { readonly id: string; readonly status: "skipped"; readonly because: string }

export type Settled = Extract<Outcome, { status: "ran" | "cached" }>

export interface RunSummary {
  readonly outcomes: ReadonlyMap<string, Outcome>
  readonly ran: string[]
  readonly cached: string[]
  readonly failed: { id: string; error: StageFailed }[]
  readonly skipped: string[]
}

export async function runPlan(plan: Plan, ws: Workspace, options: RunOptions = {}): Promise<RunSummary> {
  const reporter = options.reporter ?? silentReporter
  const jobs = Math.max(1, options.jobs ?? availableParallelism())
  // every data file of the whole plan is there (or fetched now) before anything is read or written
  await ensureData(plan.nodes.flatMap((n) => (n.stage.data ? ws.dataRefs(n).map(([, ref]) => ref) : [])), ws.dataProvider, { offline: options.offline })
  // runs share the cache, gc has it alone (engine/sessions.ts)
  const leaveRun = await enterRun(ws.store, (m) => reporter.log("cache", m)).catch((e) => {
    // an unwritable cache/locks: the run goes on (nodes that must compute fail with the reason)
    reporter.log("cache", `cannot register this run, so a gc could not see it: ${messageOf(fsFault(e, "registering the run"))}`)
    return () => {}
  })
  try {
    return await runRegistered(plan, ws, jobs, reporter, options)
  } finally {
    leaveRun()
  }
}

async function runRegistered(plan: Plan, ws: Workspace, jobs: number, reporter: Reporter, options: RunOptions): Promise<RunSummary> {
  const lock = readLock(ws.lockFile)
  const entries: Record<string, LockEntry> = {}
  let lockChanged = false
  /** Put a settled node's artifacts in place and note its lock entry; throws a FileSystemFault. */
  const record = (node: PlannedNode, outcome: Settled, ups: ReadonlyMap<string, Outcome>, via: "lock" | "record" | "ran") => {
    const prev = lock.nodes[node.id]
    const entry = lockEntry(ws, node, outcome.key, ups, outcome.outputs, prev, via)
    if (entry !== prev) {
      lockChanged = true
      // a key leaving pipeline.lock was in use until now: gc ages records by last use
      if (prev && prev.key !== entry.key) ws.store.touchRecord(prev.key)
    }
    entries[node.id] = entry
  }
  reporter.start(plan.nodes.length)

  // Fast path. Anything unusual (a data file gone, an artifact that cannot be written) is left to
  // the executor, which fails that node with a clear message.
  const known = new Map<string, Outcome>()
  const latest = new Map<string, Outcome>()
  for (const node of plan.nodes) {
    if (!node.inputs.every((i) => i.upstream.every((u) => known.has(u.id)))) continue
    try {
      const key = nodeKey(node, ws.code(node.stage), inputHashes(ws, node, known))
      const hit = freshResult(ws, node, key, lock.nodes[node.id])
      if (!hit) continue
      const outcome = { id: node.id, status: "cached", key, outputs: hit.outputs, ms: 0 } as const
      record(node, outcome, known, hit.via)
      if (hit.via === "record") ws.store.touchRecord(key)
      known.set(node.id, outcome)
      reporter.nodeDone(node.id, "cached", 0)
    } catch {
      continue
    }
  }
  const pending = plan.nodes.filter((n) => !known.has(n.id))

  let crash: unknown
  if (pending.length > 0) {
    const { executePending } = await import("./schedule.js")
    await executePending({ plan, ws, jobs, reporter, options, lock, known, latest, pending, record }).catch((e) => (crash = e))
  }
  reporter.finish()
  ws.flush()
  if (lockChanged) {
    try {
      mergeLock(ws.lockFile, entries)
    } catch (e) {
      throw new Error(`${messageOf(fsFault(e, "writing pipeline.lock"))} — finished results are cached; run again once it is writable`)
    }
  }
  if (crash) throw crash
  const all = plan.nodes.map((n) => latest.get(n.id) ?? known.get(n.id)!)
  const outcomes = new Map(all.map((o) => [o.id, o]))
  const by = (s: Outcome["status"]) => all.filter((o) => o.status === s)
  return {
    outcomes,
    ran: by("ran").map((o) => o.id),
    cached: by("cached").map((o) => o.id),
    failed: by("failed").map((o) => ({ id: o.id, error: (o as Extract<Outcome, { status: "failed" }>).error })),
    skipped: by("skipped").map((o) => o.id),
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

export function inputHashes(ws: Workspace, node: PlannedNode, ups: ReadonlyMap<string, Outcome>): InputHashes {
  const hashes: InputHashes = {}
  for (const input of node.inputs) hashes[input.name] = input.upstream.map((up) => ({ node: up.id, hash: okOutputs(ups.get(up.id)!)[input.output]!.hash }))
  if (node.stage.data) hashes[DATA_INPUT] = ws.data(node)
  return hashes
}

export const okOutputs = (o: Outcome): Record<string, OutputEntry> => (o.status === "ran" || o.status === "cached" ? o.outputs : {})

/**
 * The node's pipeline.lock entry, with its artifacts in place. An unchanged node keeps its entry
 * (the same object: nothing to write) when its artifacts are intact at the paths it names.
 */
/** Every artifact where the lock entry says, with the size and mtime it names (no hashing). */
function artifactsIntact(ws: Workspace, node: PlannedNode, outputs: Record<string, OutputEntry>, prev: LockEntry): boolean {
  for (const name in outputs) {
    const before = prev.outputs[name]!
    const path = artifactPath(ws, node, name)
    if (before.hash !== outputs[name]!.hash || before.path.length !== path.length - ws.root.length - 1 || !path.endsWith(before.path)) return false
    const st = statSync(path, { throwIfNoEntry: false })
    if (!st || st.size !== before.size || st.mtimeMs !== before.artifactMtimeMs) return false
  }
  return true
}

function lockEntry(
  ws: Workspace,
  node: PlannedNode,
  key: string,
  ups: ReadonlyMap<string, Outcome>,
  outputs: Record<string, OutputEntry>,
  prev: LockEntry | undefined,
  via: "lock" | "record" | "ran",
): LockEntry {
  const same = prev !== undefined && prev.key === key && namesOutputs(node, prev.outputs)
  if (same && via === "lock" && artifactsIntact(ws, node, outputs, prev)) return prev // the no-op case, allocation-free
  const outs: LockEntry["outputs"] = {}
  let unchanged = same
  for (const [name, entry] of Object.entries(outputs)) {
    const before = same && prev.outputs[name]!.hash === entry.hash ? prev.outputs[name]! : undefined
    const { path, mtimeMs: artifactMtimeMs } = materialize(ws, node, name, entry, before?.artifactMtimeMs)
    const rel = path.slice(ws.root.length + 1)
    // a blob trusted through the lock has the mtime the lock names; any other was hashed this run,
    // so its mtime now is the one the next no-op run may trust
    const mtimeMs = via === "lock" && before ? before.mtimeMs : statSync(ws.store.blobPath(entry.hash), { throwIfNoEntry: false })?.mtimeMs
    outs[name] = { hash: entry.hash, size: entry.size, path: rel, ...(mtimeMs !== undefined ? { mtimeMs } : {}), artifactMtimeMs }
    if (!before || before.path !== rel || before.mtimeMs !== mtimeMs || before.artifactMtimeMs !== artifactMtimeMs || before.size !== entry.size) unchanged = false
  }
  if (unchanged) return prev!
  if (same) return { ...prev, outputs: outs }
  const code = ws.code(node.stage)
  const inputs: LockEntry["inputs"] = inputHashes(ws, node, ups)
  return { stage: node.stage.name, key, params: { ...node.params }, code: { hash: code.hash, version: node.stage.version, files: { ...code.files } }, inputs, outputs: outs }
}
