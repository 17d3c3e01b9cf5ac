// The scheduler. Every node not settled by run's fast path is a fiber that waits for its
// inputs, recomputes its key from the actual input hashes (so an upstream rerun with identical
// output is an early cutoff), uses a verified cache record when there is one, and otherwise runs
// under the pool's semaphore and a key lease shared with every process and host using the cache,
// by the executor (engine/executors/: this machine, or a SLURM job).
// A consumer that finds an input blob corrupt has its producer recomputed in the same run. A
// failed node fails only its dependents; everything finished stays cached. Loaded only when some
// node must run: a no-op run never pays for loading Effect.
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { CorruptBlob, StageFailed } from "./errors.js"
import type { InputEntry } from "./executors/executor.js"
import type { EncodedInput } from "./executors/invoke.js"
import { localExecutor } from "./executors/local.js"
import { freshResult } from "./freshness.js"
import type { Plan, PlannedNode } from "./graph.js"
import { fsFault } from "./fs-fault.js"
import { acquireLease, describeLease } from "./lease.js"
import type { LockFile } from "./lockfile.js"
import type { Reporter } from "./progress.js"
import { inputHashes, okOutputs, RunInterrupted, type Outcome, type RunOptions, type Settled } from "./run.js"
import type { OutputEntry } from "./store.js"
import { DATA_INPUT, nodeKey, type InputHashes, type Workspace } from "./workspace.js"

/** one try at a node: an outcome, or "an input blob of `up` is corrupt" (repair it, try again) */
type Attempt = Outcome | { readonly id: string; readonly status: "corrupt-input"; readonly up: string }

/** Thrown by readInputs: the blob of upstream node `up` does not hash right. */
class CorruptInput {
  constructor(
    readonly up: string,
    readonly blob: OutputEntry,
  ) {}
}

export interface Execution {
  readonly plan: Plan
  readonly ws: Workspace
  readonly jobs: number
  readonly reporter: Reporter
  readonly options: RunOptions
  readonly lock: LockFile
  /** nodes the fast path settled (a repair may replace one) */
  readonly known: Map<string, Outcome>
  /** filled here: the newest outcome of each node settled (a repair may settle a node twice) */
  readonly latest: Map<string, Outcome>
  readonly pending: readonly PlannedNode[]
  /** materialise a settled node's artifacts and note its lock entry; throws on a file-system error */
  record(node: PlannedNode, outcome: Settled, ups: ReadonlyMap<string, Outcome>, via: "record" | "ran"): void
}

export async function executePending(x: Execution): Promise<void> {
  const { plan, ws, jobs, reporter, options, lock, known, latest, pending, record } = x
  const executor = options.executor ?? localExecutor(ws, { jobs, inlineHeavy: options.inlineHeavy })
  const program = Effect.gen(function* () {
    const pool = fifoPool(executor.slots)
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
        const hashes = inputHashes(ws, node, ups)
        const key = nodeKey(node, ws.code(node.stage), hashes)
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
                return compute(node, key, ups, hashes[DATA_INPUT] ?? [])
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

    /** `keyedData`: the data hashes the key was made of; the node's handles hold it to exactly those bytes */
    const compute = (node: PlannedNode, key: string, ups: Map<string, Outcome>, keyedData: InputHashes[string]): Effect.Effect<Attempt> => {
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
      const cb = {
        progress: (d: number, t: number, label?: string) => reporter.nodeProgress(node.id, d, t, label),
        log: (m: string) => reporter.log(node.id, m),
      }
      // the inputs were read and verified here (a corrupt one is repaired above); a cluster job
      // reads them again from the shared cache by their entries
      return executor.compute({ node, key, inputs: inputEntries(node, ups), encoded, data: ws.dataSpec(node, keyedData) }, cb).pipe(
        Effect.map((outputs) => ({ id: node.id, status: "ran", key, outputs, ms: Date.now() - t0 }) as Attempt),
        Effect.catchAll((error) => Effect.succeed({ id: node.id, status: "failed", error } as Attempt)),
      )
    }

    return yield* Effect.forEach(pending, nodeFiber, { concurrency: "unbounded" })
  })

  const fiber = Effect.runFork(program)
  const interrupt = () => Effect.runFork(Fiber.interrupt(fiber))
  options.signal?.addEventListener("abort", interrupt)
  const exit = await Effect.runPromise(Fiber.await(fiber)).finally(() => options.signal?.removeEventListener("abort", interrupt))
  if (Exit.isInterrupted(exit)) throw new RunInterrupted()
  if (Exit.isFailure(exit)) throw new Error(`executor crashed: ${String(exit.cause)}`)
}

interface Pool {
  withPermits(n: 1): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** A FIFO/** A FIFO counting semaphore: O(1) per acquire/release however many nodes wait (10,000-node fan-outs). */
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
