// Running a plan. Every node is a fiber that waits for its inputs, recomputes its key from the
// actual input hashes (so an upstream rerun with identical output is an early cutoff), uses a
// verified cache record when there is one, and otherwise runs under the pool's semaphore and a key
// lease shared with every process and host using the cache. A failed node fails only its
// dependents; everything finished stays cached.
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { statSync } from "node:fs"
import { join } from "node:path"
import { StageFailed } from "./errors.js"
import type { Executor, InputEntry } from "./executors/executor.js"
import { localExecutor } from "./executors/local.js"
import type { Plan, PlannedNode } from "./graph.js"
import { acquireLease, describeLease } from "./lease.js"
import { mergeLock, readLock, type LockEntry } from "./lockfile.js"
import { silentReporter, type Reporter } from "./progress.js"
import type { CacheRecord, OutputEntry } from "./store.js"
import { DATA_INPUT, lockedHit, materialize, nodeKey, type InputHashes, type Workspace } from "./workspace.js"

export interface RunOptions {
  readonly jobs?: number
  readonly reporter?: Reporter
  /** local executor: run stages that declare resources inline, not in worker threads (tests, debugging) */
  readonly inlineHeavy?: boolean
  /** where missed nodes are computed (default: this machine) */
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

export interface RunSummary {
  readonly outcomes: ReadonlyMap<string, Outcome>
  readonly ran: string[]
  readonly cached: string[]
  readonly failed: { id: string; error: StageFailed }[]
  readonly skipped: string[]
}

export async function runPlan(plan: Plan, ws: Workspace, options: RunOptions = {}): Promise<RunSummary> {
  const reporter = options.reporter ?? silentReporter
  const executor = options.executor ?? localExecutor(ws, options)
  const lock = readLock(ws.lockFile)
  const entries: Record<string, LockEntry> = {}
  let lockChanged = false
  const record = (node: PlannedNode, outcome: Extract<Outcome, { status: "ran" | "cached" }>, ups: ReadonlyMap<string, Outcome>) => {
    const prev = lock.nodes[node.id]
    const entry = lockEntry(ws, node, outcome.key, ups, outcome.outputs, prev)
    if (!prev || prev.key !== entry.key || !sameOutputs(prev, entry)) lockChanged = true
    entries[node.id] = entry
  }
  reporter.start(plan.nodes.length)

  // Fast path (no fibers): walk the plan in order and settle every node whose inputs are settled
  // hits and whose own key has a verified record. A no-op run ends here.
  const known = new Map<string, Outcome>()
  for (const node of plan.nodes) {
    if (!node.inputs.every((i) => i.upstream.every((u) => known.has(u.id)))) continue
    const key = nodeKey(node, ws.code(node.stage), inputHashes(ws, node, known))
    const hit = lockedHit(ws, lock.nodes[node.id], key) ?? cachedRecord(ws, key)
    if (!hit) continue
    const outcome = { id: node.id, status: "cached", key, outputs: hit.outputs, ms: 0 } as const
    known.set(node.id, outcome)
    record(node, outcome, known)
    reporter.nodeDone(node.id, "cached", 0)
  }
  const pending = plan.nodes.filter((n) => !known.has(n.id))

  const program = Effect.gen(function* () {
    const pool = fifoPool(executor.slots)
    const done = new Map<string, Deferred.Deferred<Outcome>>()
    for (const n of pending) done.set(n.id, yield* Deferred.make<Outcome>())
    const settled = (id: string) => (known.has(id) ? Effect.succeed(known.get(id)!) : Deferred.await(done.get(id)!))

    const nodeFiber = (node: PlannedNode) =>
      Effect.gen(function* () {
        const ups = new Map<string, Outcome>()
        for (const input of node.inputs) for (const up of input.upstream) ups.set(up.id, yield* settled(up.id))
        const broken = [...ups.values()].find((o) => o.status === "failed" || o.status === "skipped")
        const outcome: Outcome = broken
          ? { id: node.id, status: "skipped", because: `input ${broken.id} ${broken.status}` }
          : yield* execute(node, ups, pool)
        if (outcome.status === "ran" || outcome.status === "cached") {
          record(node, outcome, ups)
          reporter.nodeDone(node.id, outcome.status, outcome.ms)
        } else if (outcome.status === "failed") reporter.nodeDone(node.id, "failed", 0, outcome.error.message)
        else if (outcome.status === "skipped") reporter.nodeDone(node.id, "skipped", 0, outcome.because)
        yield* Deferred.succeed(done.get(node.id)!, outcome)
        return outcome
      })

    const execute = (node: PlannedNode, ups: Map<string, Outcome>, pool: Pool) =>
      Effect.gen(function* () {
        const key = nodeKey(node, ws.code(node.stage), inputHashes(ws, node, ups))
        const hit = cachedRecord(ws, key)
        if (hit) return { id: node.id, status: "cached", key, outputs: hit.outputs, ms: 0 } as Outcome
        return yield* pool.withPermits(1)(
          Effect.gen(function* () {
            const release = yield* acquireKeyLease(ws, node, key, reporter)
            return yield* Effect.ensuring(
              Effect.suspend(() => {
                // another run may have produced it while we waited for the lock
                const again = cachedRecord(ws, key)
                if (again) return Effect.succeed({ id: node.id, status: "cached", key, outputs: again.outputs, ms: 0 } as Outcome)
                return compute(node, key, ups)
              }),
              Effect.sync(release),
            )
          }),
        )
      }).pipe(
        // whatever fails around the stage (a lease in an unwritable cache/locks, data gone mid-run)
        // fails this node only; the rest of the run goes on
        Effect.catchAllCause((cause) => Effect.succeed({ id: node.id, status: "failed", error: new StageFailed({ node: node.id, cause: Cause.squash(cause) }) } as Outcome)),
      )

    const compute = (node: PlannedNode, key: string, ups: Map<string, Outcome>): Effect.Effect<Outcome> => {
      const t0 = Date.now()
      reporter.nodeStarted(node.id)
      const cb = {
        progress: (d: number, t: number, label?: string) => reporter.nodeProgress(node.id, d, t, label),
        log: (m: string) => reporter.log(node.id, m),
      }
      return Effect.suspend(() => executor.compute({ node, key, inputs: inputEntries(node, ups) }, cb)).pipe(
        Effect.map((outputs) => ({ id: node.id, status: "ran", key, outputs, ms: Date.now() - t0 }) as Outcome),
        Effect.catchAll((error) => Effect.succeed({ id: node.id, status: "failed", error } as Outcome)),
      )
    }

    return yield* Effect.forEach(pending, nodeFiber, { concurrency: "unbounded" })
  })

  const fiber = Effect.runFork(program)
  const interrupt = () => Effect.runFork(Fiber.interrupt(fiber))
  options.signal?.addEventListener("abort", interrupt)
  const exit = await Effect.runPromise(Fiber.await(fiber)).finally(() => options.signal?.removeEventListener("abort", interrupt))
  reporter.finish()
  ws.flush()
  if (lockChanged) await mergeLock(ws.lockFile, entries, join(ws.store.root, "tmp"))
  if (Exit.isInterrupted(exit)) throw new RunInterrupted()
  if (Exit.isFailure(exit)) throw new Error(`executor crashed: ${String(exit.cause)}`)
  const all = [...known.values(), ...exit.value]
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

interface Pool {
  withPermits(n: 1): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** A FIFO counting semaphore: O(1) per acquire/release however many nodes wait (10,000-node fan-outs). */
function fifoPool(size: number): Pool {
  let free = size
  const waiting: (() => void)[] = []
  const acquire = Effect.async<void>((resume) => {
    if (free > 0) {
      free--
      resume(Effect.void)
    } else waiting.push(() => resume(Effect.void))
  })
  const release = Effect.sync(() => {
    const next = waiting.shift()
    if (next) next()
    else free++
  })
  return { withPermits: () => (self) => Effect.acquireUseRelease(acquire, () => self, () => release) }
}

function inputHashes(ws: Workspace, node: PlannedNode, ups: ReadonlyMap<string, Outcome>): InputHashes {
  const hashes: InputHashes = {}
  for (const input of node.inputs) hashes[input.name] = input.upstream.map((up) => ({ node: up.id, hash: okOutputs(ups.get(up.id)!)[input.output]!.hash }))
  if (node.stage.dataFiles) hashes[DATA_INPUT] = ws.data(node)
  return hashes
}

const sameOutputs = (a: LockEntry, b: LockEntry) =>
  Object.keys(a.outputs).length === Object.keys(b.outputs).length &&
  Object.entries(b.outputs).every(([k, o]) => a.outputs[k]?.hash === o.hash && a.outputs[k]?.path === o.path && a.outputs[k]?.mtimeMs === o.mtimeMs)

const okOutputs = (o: Outcome): Record<string, OutputEntry> => (o.status === "ran" || o.status === "cached" ? o.outputs : {})

/** A record counts only if every blob it names is present and hashes right (a corrupt blob is a miss). */
function cachedRecord(ws: Workspace, key: string): CacheRecord | undefined {
  const r = ws.store.readRecord(key)
  return r && ws.store.recordIsUsable(r, true) ? r : undefined
}

function inputEntries(node: PlannedNode, ups: Map<string, Outcome>): Record<string, InputEntry> {
  const entries: Record<string, InputEntry> = {}
  for (const input of node.inputs) {
    const entry = (up: PlannedNode) => okOutputs(ups.get(up.id)!)[input.output]!
    entries[input.name] = input.gather
      ? input.upstream.map((up) => ({ node: up.id, point: { ...up.point }, params: { ...up.params }, entry: entry(up) }))
      : entry(input.upstream[0]!)
  }
  return entries
}

/**
 * Wait until this process holds the key's lease (engine/lease.ts), saying who holds it meanwhile;
 * the lease is renewed by a heartbeat while the node computes and released after.
 */
function acquireKeyLease(ws: Workspace, node: PlannedNode, key: string, reporter: Reporter): Effect.Effect<() => void, unknown> {
  return Effect.tryPromise({
    try: () =>
      acquireLease(ws.store.leaseFile(key), {
        what: node.id,
        onWait: (_held, who) => reporter.log(node.id, `waiting: key ${key} is leased by ${who}`),
      }),
    catch: (cause) => cause,
  }).pipe(
    Effect.map((lease) => {
      lease.heartbeat((now) =>
        reporter.log(node.id, `lost the lease on key ${key}${now ? ` to ${describeLease(now, Date.now())}` : ""}; the result stays correct (content-addressed), it may be computed twice`),
      )
      return () => lease.release()
    }),
  )
}

function lockEntry(
  ws: Workspace,
  node: PlannedNode,
  key: string,
  ups: ReadonlyMap<string, Outcome>,
  outputs: Record<string, OutputEntry>,
  prev: LockEntry | undefined,
): LockEntry {
  if (prev && prev.key === key && Object.entries(outputs).every(([k, o]) => prev.outputs[k]?.hash === o.hash && prev.outputs[k]?.mtimeMs !== undefined)) {
    // unchanged node: make sure its artifacts are in place, keep the entry as it was
    for (const [name, entry] of Object.entries(outputs)) materialize(ws, node, name, entry, prev.outputs[name]?.hash)
    return prev
  }
  const code = ws.code(node.stage)
  const inputs: LockEntry["inputs"] = inputHashes(ws, node, ups)
  const outs: LockEntry["outputs"] = {}
  for (const [name, entry] of Object.entries(outputs)) {
    const path = materialize(ws, node, name, entry, prev?.outputs[name]?.hash)
    // the blob was hashed during this run: remember its mtime so the next no-op run can trust it
    const mtimeMs = statSync(ws.store.blobPath(entry.hash), { throwIfNoEntry: false })?.mtimeMs
    outs[name] = { hash: entry.hash, size: entry.size, path: path.slice(ws.root.length + 1), ...(mtimeMs !== undefined ? { mtimeMs } : {}) }
  }
  return { stage: node.stage.name, key, params: { ...node.params }, code: { hash: code.hash, version: node.stage.version, files: { ...code.files } }, inputs, outputs: outs }
}
