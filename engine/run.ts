// The local executor. Every node is a fiber that waits for its inputs, recomputes its key from the
// actual input hashes (so an upstream rerun with identical output is an early cutoff), uses a
// verified cache record when there is one, and otherwise runs under the pool's semaphore and a key
// lease shared with every process and host using the cache. A failed node fails only its
// dependents; everything finished stays cached.
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { statSync } from "node:fs"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import { CorruptBlob, StageFailed } from "./errors.js"
import { decodeInputs, encodeOutputs, invokeStage, type EncodedInput } from "./executors/invoke.js"
import { runInWorker } from "./executors/worker.js"
import { freshResult, namesOutputs } from "./freshness.js"
import type { Plan, PlannedNode } from "./graph.js"
import { fsFault } from "./fs-fault.js"
import { acquireLease, describeLease } from "./lease.js"
import { mergeLock, readLock, type LockEntry } from "./lockfile.js"
import { silentReporter, type Reporter } from "./progress.js"
import { enterRun } from "./sessions.js"
import type { CacheRecord, OutputEntry } from "./store.js"
import { DATA_INPUT, materialize, nodeKey, type InputHashes, type Workspace } from "./workspace.js"

export interface RunOptions {
  readonly jobs?: number
  readonly reporter?: Reporter
  /** run heavy stages inline instead of in worker threads (tests, debugging) */
  readonly inlineHeavy?: boolean
}

export type Outcome =
  | { readonly id: string; readonly status: "ran" | "cached"; readonly key: string; readonly outputs: Record<string, OutputEntry>; readonly ms: number }
  | { readonly id: string; readonly status: "failed"; readonly error: StageFailed }
  | { readonly id: string; readonly status: "skipped"; readonly because: string }

type Settled = Extract<Outcome, { status: "ran" | "cached" }>
/** one try at a node: an outcome, or "an input blob of `up` is corrupt" (repair it, try again) */
type Attempt = Outcome | { readonly id: string; readonly status: "corrupt-input"; readonly up: string }

/** Thrown by readInputs: the blob of upstream node `up` does not hash right. */
class CorruptInput {
  constructor(
    readonly up: string,
    readonly blob: OutputEntry,
  ) {}
}

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

  // Fast path (no fibers): walk the plan in order and settle every node whose inputs are settled
  // and whose own result is fresh (engine/freshness.ts, the same test `status` uses). A no-op run
  // ends here. Anything unusual (a data file gone, an artifact that cannot be written) is left to
  // the fibers below, which fail that node with a clear message.
  const known = new Map<string, Outcome>()
  /** the newest outcome of each node the fibers settled (a repair may settle a node twice) */
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

  const program = Effect.gen(function* () {
    const pool = fifoPool(jobs)
    const done = new Map<string, Deferred.Deferred<Outcome>>()
    for (const n of pending) done.set(n.id, yield* Deferred.make<Outcome>())
    const settled = (id: string) => (known.has(id) ? Effect.succeed(known.get(id)!) : Deferred.await(done.get(id)!))
    // a producer recomputed because a consumer found its blob corrupt: one repair per producer, shared
    const repairs = new Map<string, Deferred.Deferred<Outcome>>()
    const upsOf = new Map<string, Map<string, Outcome>>()

    const nodeFiber = (node: PlannedNode) =>
      Effect.gen(function* () {
        const ups = new Map<string, Outcome>()
        for (const input of node.inputs) for (const up of input.upstream) ups.set(up.id, yield* settled(up.id))
        upsOf.set(node.id, ups)
        const broken = [...ups.values()].find((o) => o.status === "failed" || o.status === "skipped")
        let outcome: Outcome
        if (broken) {
          outcome = { id: node.id, status: "skipped", because: `input ${broken.id} ${broken.status}` }
          latest.set(node.id, outcome)
          reporter.nodeDone(node.id, "skipped", 0, outcome.because)
        } else outcome = yield* settle(node, ups)
        yield* Deferred.succeed(done.get(node.id)!, outcome)
        return outcome
      })

    /** execute, repairing corrupt inputs, then materialise; reports the node's end */
    const settle = (node: PlannedNode, ups: Map<string, Outcome>): Effect.Effect<Outcome> =>
      Effect.gen(function* () {
        let attempt = yield* execute(node, ups, pool)
        // a corrupt input blob: recompute its producer in this run, then this node again
        const tried = new Set<string>()
        while (attempt.status === "corrupt-input" && !tried.has(attempt.up)) {
          const up = attempt.up
          tried.add(up)
          reporter.log(node.id, `input blob of ${up} is corrupt: recomputing ${up}`)
          const fixed = yield* repair(up)
          if (fixed.status !== "ran" && fixed.status !== "cached") {
            attempt = { id: node.id, status: "skipped", because: `input ${up} ${fixed.status}` }
            break
          }
          ups.set(up, fixed)
          attempt = yield* execute(node, ups, pool)
        }
        const outcome = finish(node, attempt, ups)
        latest.set(node.id, outcome)
        if (outcome.status === "failed") reporter.nodeDone(node.id, "failed", 0, outcome.error.message)
        else if (outcome.status === "skipped") reporter.nodeDone(node.id, "skipped", 0, outcome.because)
        else reporter.nodeDone(node.id, outcome.status, outcome.ms)
        return outcome
      })

    const finish = (node: PlannedNode, attempt: Attempt, ups: Map<string, Outcome>): Outcome => {
      const fail = (cause: unknown): Outcome => ({ id: node.id, status: "failed", error: new StageFailed({ node: node.id, cause }) })
      if (attempt.status === "corrupt-input") return fail(new Error(`input blob of ${attempt.up} is still corrupt after recomputing it (failing disk?)`))
      if (attempt.status !== "ran" && attempt.status !== "cached") return attempt
      try {
        record(node, attempt, ups, attempt.status === "ran" ? "ran" : "record")
        return attempt
      } catch (e) {
        return fail(fsFault(e, "materialising its artifacts"))
      }
    }

    const repair = (id: string): Effect.Effect<Outcome> =>
      Effect.gen(function* () {
        const running = repairs.get(id)
        if (running) return yield* Deferred.await(running)
        const d = yield* Deferred.make<Outcome>()
        repairs.set(id, d)
        const node = plan.byId.get(id)!
        const ups = upsOf.get(id) ?? new Map(node.inputs.flatMap((i) => i.upstream.map((u) => [u.id, latest.get(u.id) ?? known.get(u.id)!] as const)))
        const outcome = yield* settle(node, ups)
        if (known.has(id)) known.set(id, outcome)
        yield* Deferred.succeed(d, outcome)
        return outcome
      })

    const execute = (node: PlannedNode, ups: Map<string, Outcome>, pool: Pool): Effect.Effect<Attempt> =>
      Effect.gen(function* () {
        const key = nodeKey(node, ws.code(node.stage), inputHashes(ws, node, ups))
        const hit = freshResult(ws, node, key, lock.nodes[node.id], true)
        if (hit) return { id: node.id, status: "cached", key, outputs: hit.outputs, ms: 0 } as Attempt
        return yield* pool.withPermits(1)(
          Effect.gen(function* () {
            const release = yield* acquireKeyLease(ws, node, key, reporter)
            return yield* Effect.ensuring(
              Effect.suspend(() => {
                // another run may have produced it while we waited for the lease
                const again = freshResult(ws, node, key, undefined, true)
                if (again) return Effect.succeed({ id: node.id, status: "cached", key, outputs: again.outputs, ms: 0 } as Attempt)
                return compute(node, key, ups)
              }),
              Effect.sync(release),
            )
          }),
        )
      }).pipe(
        // whatever fails around the stage (a lease in an unwritable cache/locks, data gone mid-run)
        // fails this node only; the rest of the run goes on
        Effect.catchAllCause((cause) =>
          Effect.succeed({ id: node.id, status: "failed", error: new StageFailed({ node: node.id, cause: fsFault(Cause.squash(cause), "preparing the node") }) } as Attempt),
        ),
      )

    const compute = (node: PlannedNode, key: string, ups: Map<string, Outcome>): Effect.Effect<Attempt> => {
      const t0 = Date.now()
      let encoded: Record<string, EncodedInput>
      try {
        encoded = readInputs(ws, node, ups)
      } catch (e) {
        if (e instanceof CorruptInput) {
          ws.store.removeBlob(e.blob.hash) // nobody may use it meanwhile; the producer writes it anew
          return Effect.succeed({ id: node.id, status: "corrupt-input", up: e.up })
        }
        return Effect.succeed({ id: node.id, status: "failed", error: new StageFailed({ node: node.id, cause: fsFault(e, "reading its inputs from the cache") }) })
      }
      reporter.nodeStarted(node.id)
      return Effect.tryPromise({
        try: async () => {
          const cb = {
            progress: (d: number, t: number, label?: string) => reporter.nodeProgress(node.id, d, t, label),
            log: (m: string) => reporter.log(node.id, m),
          }
          const bytes =
            node.stage.heavy && !options.inlineHeavy
              ? await runInWorker({ modulePath: node.stage.modulePath, stageName: node.stage.name, node: node.id, params: { ...node.params }, inputs: encoded }, cb)
              : encodeOutputs(
                  node.stage,
                  await invokeStage(node.stage, {
                    params: node.params,
                    inputs: decodeInputs(node.stage, encoded),
                    node: node.id,
                    ...cb,
                  }),
                )
          try {
            const outputs: Record<string, OutputEntry> = {}
            for (const [name, b] of Object.entries(bytes)) outputs[name] = ws.store.writeBlob(b)
            // the wall time lives in the record, never in an artifact (artifacts are pure content)
            const record: CacheRecord = { key, node: node.id, stage: node.stage.name, outputs, createdAt: new Date().toISOString(), durationMs: Date.now() - t0 }
            ws.store.writeRecord(record) // only after every blob is durable
            return { id: node.id, status: "ran", key, outputs, ms: Date.now() - t0 } as Attempt
          } catch (e) {
            throw fsFault(e, "storing its outputs in the cache")
          }
        },
        catch: (cause) => new StageFailed({ node: node.id, cause }),
      }).pipe(Effect.catchAll((error) => Effect.succeed({ id: node.id, status: "failed", error } as Attempt)))
    }

    return yield* Effect.forEach(pending, nodeFiber, { concurrency: "unbounded" })
  })

  const exit = await Effect.runPromiseExit(program)
  reporter.finish()
  ws.flush()
  if (lockChanged) {
    try {
      mergeLock(ws.lockFile, entries)
    } catch (e) {
      throw new Error(`${messageOf(fsFault(e, "writing pipeline.lock"))} — finished results are cached; run again once it is writable`)
    }
  }
  if (Exit.isFailure(exit)) throw new Error(`executor crashed: ${String(exit.cause)}`)
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

function readInputs(ws: Workspace, node: PlannedNode, ups: Map<string, Outcome>): Record<string, EncodedInput> {
  const encoded: Record<string, EncodedInput> = {}
  for (const input of node.inputs) {
    const read = (up: PlannedNode) => {
      const entry = okOutputs(ups.get(up.id)!)[input.output]!
      try {
        return ws.store.readBlob(entry)
      } catch (e) {
        throw e instanceof CorruptBlob ? new CorruptInput(up.id, entry) : e
      }
    }
    encoded[input.name] = input.gather
      ? input.upstream.map((up) => ({ node: up.id, point: { ...up.point }, params: { ...up.params }, bytes: read(up) }))
      : read(input.upstream[0]!)
  }
  return encoded
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

/**
 * The node's pipeline.lock entry, with its artifacts in place. An unchanged node keeps its entry
 * (the same object: nothing to write) when its artifacts are intact at the paths it names.
 */
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
