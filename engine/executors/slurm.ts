// The SLURM executor. A node whose stage declares resources becomes a batch job that runs
// `pipeline exec-node` on a compute node against the same workspace and content-addressed cache
// (shared filesystem); cheap nodes run here. Nodes that become ready together go in as one job
// array per stage and resource set; the run's pool keeps queued + running jobs within --max-jobs.
//
// A submitted job is a scoped resource whose release is `scancel` when the run is interrupted
// (Ctrl-C). One poller asks `squeue` about every tracked job (no sacct: small clusters lack
// slurmdbd); a job's record in the cache, not its state, decides success. Each way a job can end
// badly is its own error. A job marker beside the spec lets a later run adopt a job that is still
// queued or running after its submitter was killed, instead of submitting the node again.
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schedule from "effect/Schedule"
import { execFile, spawnSync } from "node:child_process"
import { accessSync, closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from "node:fs"
import { delimiter, join, relative } from "node:path"
import { ConfigError, type SlurmConfig } from "../config.js"
import { StageFailed } from "../errors.js"
import type { PlannedNode } from "../graph.js"
import { projectRoot } from "../paths.js"
import { formatMemory, formatMinutes, minutesOf, sbatchResourceArgs, type Resources } from "../resources.js"
import { atomicWrite, type OutputEntry } from "../store.js"
import type { Workspace } from "../workspace.js"
import type { Executor, NodeCallbacks, NodeTask } from "./executor.js"
import { localExecutor } from "./local.js"
import type { ArraySpec, JobSpec } from "./slurm-job.js"

// ── how a job ends badly ────────────────────────────────────────────────────────────────────────
export class JobFailed extends Data.TaggedError("JobFailed")<{ readonly job: string; readonly exit: string; readonly log: string; readonly last: string }> {
  override get message() {
    return `SLURM job ${this.job} failed${this.exit ? ` (exit ${this.exit})` : ""}${this.last ? `: ${this.last}` : ""} — log ${this.log}`
  }
}
export class JobCancelled extends Data.TaggedError("JobCancelled")<{ readonly job: string; readonly log: string }> {
  override get message() {
    return `SLURM job ${this.job} was cancelled (scancel, or an administrator) — log ${this.log}; run again to resubmit it`
  }
}
export class TimeLimit extends Data.TaggedError("TimeLimit")<{ readonly job: string; readonly stage: string; readonly minutes?: number }> {
  override get message() {
    const limit = this.minutes ? `its time limit of ${formatMinutes(this.minutes)} (--time)` : "the partition's time limit"
    return `SLURM job ${this.job} hit ${limit} — raise ${this.stage}'s resources.time (--resource ${this.stage}.time=…)`
  }
}
export class OutOfMemory extends Data.TaggedError("OutOfMemory")<{ readonly job: string; readonly stage: string; readonly memGB?: number }> {
  override get message() {
    const limit = this.memGB ? `its memory limit of ${formatMemory(this.memGB)} (--mem)` : "the partition's default memory limit"
    return `SLURM job ${this.job} ran out of memory: it exceeded ${limit} — raise ${this.stage}'s resources.memGB (--resource ${this.stage}.memGB=…)`
  }
}
/** The node the job ran on failed or the job was preempted: requeued once, then a failure. */
export class NodeLost extends Data.TaggedError("NodeLost")<{ readonly job: string; readonly state: string }> {
  override get message() {
    return `SLURM job ${this.job} ended ${this.state}: its compute node was lost, for the second time`
  }
}
export class SubmitFailed extends Data.TaggedError("SubmitFailed")<{ readonly problem: string; readonly transient: boolean }> {
  override get message() {
    return `sbatch failed: ${this.problem}`
  }
}
type JobError = JobFailed | JobCancelled | TimeLimit | OutOfMemory | NodeLost | SubmitFailed

// ── talking to SLURM ────────────────────────────────────────────────────────────────────────────
interface ShResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}
const sh = (cmd: string, args: readonly string[]): Promise<ShResult> =>
  new Promise((resolve) =>
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 127) : 0, stdout: String(stdout), stderr: String(stderr || (err && !stderr ? err.message : "")) }),
    ),
  )

/** States in which a job may still run (squeue's long names). */
const ACTIVE = new Set(["PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SUSPENDED", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD"])
const LOST = new Set(["NODE_FAIL", "BOOT_FAIL", "PREEMPTED"])
/** sbatch errors worth another try: the controller is busy or restarting. */
const TRANSIENT = /timed out|temporarily unavailable|try again|unable to contact|connection refused|Socket|Zero Bytes/i

export interface JobState {
  readonly job: string
  readonly state: string
  readonly reason: string
  readonly host: string
  readonly elapsed: string
}

const SQUEUE_FORMAT = "%i|%T|%r|%N|%M"

function parseSqueue(stdout: string): Map<string, JobState> {
  const out = new Map<string, JobState>()
  for (const line of stdout.split("\n")) {
    const [job, state, reason = "", host = "", elapsed = ""] = line.trim().split("|")
    if (job && state) out.set(job, { job, state, reason, host, elapsed })
  }
  return out
}

const squeueArgs = (jobs: Iterable<string>) => ["-h", "-r", "-t", "all", "-j", [...new Set([...jobs].map((j) => j.split("_")[0]!))].join(","), "-o", SQUEUE_FORMAT]
/** squeue exits 1 when it knows none of the ids (all ended long ago): that is an empty answer. */
const unknownIds = (r: ShResult) => r.code !== 0 && /Invalid job id/i.test(r.stderr)

export function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, cmd), constants.X_OK)
      return true
    } catch {
      /* next */
    }
  }
  return false
}

/**
 * Follow a running job's log (shared filesystem): each poll hands on the complete lines written
 * since the last one, so the submitter shows the node's progress bar and log as a local run does.
 */
function logFollower(file: string, cb: NodeCallbacks) {
  let offset = 0
  let partial = ""
  const line = /^\[[\d:]+\] [^:]*?\]?: (.*)$/
  return () => {
    let fd: number | undefined
    try {
      fd = openSync(file, "r")
      const size = fstatSync(fd).size
      if (size <= offset) return
      const buf = Buffer.alloc(Math.min(size - offset, 1 << 20))
      offset += readSync(fd, buf, 0, buf.length, offset)
      const lines = (partial + buf.toString("utf8")).split("\n")
      partial = lines.pop() ?? ""
      for (const l of lines) {
        const m = line.exec(l)?.[1]
        if (m === undefined) continue
        const p = /^▸ (\d+)\/(\d+)(?: (.*))?$/.exec(m)
        if (p) cb.progress(Number(p[1]), Number(p[2]), p[3])
        else if (!m.startsWith("· ")) cb.log(m)
      }
    } catch {
      /* not created yet */
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

function tail(file: string, lines = 15): string[] {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines)
  } catch {
    return []
  }
}

// ── the executor ────────────────────────────────────────────────────────────────────────────────
export interface SlurmOptions {
  readonly config: SlurmConfig
  readonly maxJobs?: number
  /** the node's resources, or undefined: a cheap node, run on this machine */
  readonly resourcesOf: (node: PlannedNode) => Resources | undefined
  /** said once when Ctrl-C cancels jobs */
  readonly say?: (line: string) => void
}

interface Submitted {
  readonly job: string
  readonly log: string
  /** submitted by this run (cancelled on Ctrl-C), not adopted from an earlier one */
  readonly ours: boolean
  /** the array's spec list, for an array task */
  readonly list?: string
}

export function slurmDir(ws: Workspace) {
  return join(ws.store.root, "slurm")
}
const jobsDir = (ws: Workspace) => join(slurmDir(ws), "jobs")
const markerOf = (ws: Workspace, key: string) => join(jobsDir(ws), `${key}.job.json`)

/** What a job marker says: which SLURM job computes which node (for adoption and `status`). */
interface Marker {
  readonly job: string
  readonly node: string
  readonly log: string
  readonly submittedAt: string
}

export function slurmExecutor(ws: Workspace, opts: SlurmOptions): Executor {
  const cfg = opts.config
  const pollMs = Math.max(100, (cfg.pollSeconds ?? 1) * 1000)
  const logDir = join(ws.root, cfg.logDir ?? join(relative(ws.root, slurmDir(ws)), "logs"))
  const cli = join(projectRoot, "bin", "pipeline.mjs")
  const say = opts.say ?? ((l: string) => process.stderr.write(`pipeline: ${l}\n`))
  const local = localExecutor(ws)
  const localSlots = Effect.unsafeMakeSemaphore(local.slots)
  /** what the project's config asks of every job */
  const clusterArgs = [
    ...(cfg.partition ? [`--partition=${cfg.partition}`] : []),
    ...(cfg.account ? [`--account=${cfg.account}`] : []),
    ...(cfg.qos ? [`--qos=${cfg.qos}`] : []),
    ...(cfg.extraArgs ?? []),
  ]
  const common = () => [
    "--parsable",
    `--chdir=${process.cwd()}`,
    // a job whose node is lost ends NODE_FAIL and this executor resubmits it, once, instead of
    // SLURM requeueing it as often as its configuration says
    "--no-requeue",
    ...clusterArgs,
  ]
  const argsOf = (node: PlannedNode, r: Resources) => [`--job-name=pipeline:${node.stage.name}`, ...sbatchResourceArgs(r)]

  // ── submission: requests that arrive together become one array per stage + resource set ──────
  interface Request {
    readonly spec: string
    readonly args: string[]
    readonly done: Deferred.Deferred<Submitted, SubmitFailed>
  }
  let queue: Request[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstQueuedAt = 0
  const sbatch = (args: string[]) =>
    Effect.tryPromise({
      try: () => sh("sbatch", args),
      catch: (e) => new SubmitFailed({ problem: String(e), transient: false }),
    }).pipe(
      Effect.flatMap((r) =>
        r.code === 0 && /^\d+/.test(r.stdout.trim())
          ? Effect.succeed(r.stdout.trim().split(";")[0]!)
          : Effect.fail(new SubmitFailed({ problem: (r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`).split("\n")[0]!, transient: TRANSIENT.test(r.stderr) })),
      ),
      // a busy or restarting controller: try again with backoff, a few times
      Effect.retry({ schedule: Schedule.exponential("500 millis"), times: 4, while: (e) => e.transient }),
    )
  /** array list file → its tasks not yet settled; the file goes when the last one does */
  const arrays = new Map<string, number>()
  const settleArray = (list: string | undefined) => {
    if (!list) return
    const left = (arrays.get(list) ?? 1) - 1
    if (left > 0) arrays.set(list, left)
    else {
      arrays.delete(list)
      rmSync(list, { force: true })
    }
  }
  const flush = () => {
    timer = undefined
    const batch = queue
    queue = []
    const groups = new Map<string, Request[]>()
    for (const r of batch) groups.set(r.args.join("\u0000"), [...(groups.get(r.args.join("\u0000")) ?? []), r])
    for (const group of groups.values()) {
      const args = group[0]!.args
      const submit =
        group.length === 1
          ? sbatch([...common(), ...args, `--output=${join(logDir, "%j.out")}`, "--wrap", wrap(group[0]!.spec)]).pipe(
              Effect.map((id) => [{ job: id, log: join(logDir, `${id}.out`), ours: true }]),
            )
          : Effect.suspend(() => {
              const list = join(slurmDir(ws), "arrays", `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.json`)
              atomicWrite(list, JSON.stringify({ specs: group.map((r) => r.spec) } satisfies ArraySpec))
              arrays.set(list, group.length)
              return sbatch([...common(), ...args, `--array=0-${group.length - 1}`, `--output=${join(logDir, "%A_%a.out")}`, "--wrap", wrap(list)]).pipe(
                Effect.tapError(() => Effect.sync(() => (arrays.delete(list), rmSync(list, { force: true })))),
                Effect.map((id) => group.map((_, i) => ({ job: `${id}_${i}`, log: join(logDir, `${id}_${i}.out`), ours: true, list }))),
              )
            })
      Effect.runFork(
        submit.pipe(
          Effect.matchEffect({
            onSuccess: (subs) => Effect.forEach(group, (r, i) => Deferred.succeed(r.done, subs[i]!)),
            onFailure: (e) => Effect.forEach(group, (r) => Deferred.fail(r.done, e)),
          }),
        ),
      )
    }
  }
  const wrap = (file: string) => `exec ${shellQuote(process.execPath)} ${shellQuote(cli)} exec-node ${shellQuote(file)}`
  /**
   * Queue a job; the queue goes out 250 ms after the last request, at most 2 s after the first:
   * the nodes of a fan-out become ready one by one (each hashes its inputs first), and one array
   * costs the controller less than many jobs.
   */
  const enqueue = (spec: string, args: string[]) =>
    Effect.gen(function* () {
      const done = yield* Deferred.make<Submitted, SubmitFailed>()
      yield* Effect.sync(() => {
        if (queue.length === 0) firstQueuedAt = Date.now()
        queue.push({ spec, args, done })
        if (timer) clearTimeout(timer)
        timer = setTimeout(flush, Date.now() - firstQueuedAt > 2000 ? 0 : 250)
      })
      return yield* Deferred.await(done)
    })

  // ── tracking: one squeue call per poll for every job we wait on ──────────────────────────────
  const tracked = new Map<
    string,
    { readonly done: Deferred.Deferred<JobState | undefined>; misses: number; last?: string; onState: (s: JobState) => void; follow: () => void }
  >()
  let polling = false
  let squeueFailures = 0
  const pollOnce = Effect.promise(async () => {
    if (tracked.size === 0) return
    const r = await sh("squeue", squeueArgs(tracked.keys()))
    if (r.code !== 0 && !unknownIds(r)) {
      // the controller may be restarting: keep the jobs, say so once in a while
      if (squeueFailures++ % 30 === 0) say(`squeue failed (${r.stderr.trim().split("\n")[0]}); still waiting for ${tracked.size} jobs`)
      return
    }
    squeueFailures = 0
    const states = parseSqueue(r.stdout)
    for (const [job, t] of tracked) {
      const s = states.get(job)
      // a job SLURM no longer lists has ended (MinJobAge passed): "finished, state unknown";
      // two misses in a row, so a job caught between two states is not taken for gone
      if (!s) {
        if (++t.misses >= 2) {
          tracked.delete(job)
          Effect.runSync(Deferred.succeed(t.done, undefined))
        }
        continue
      }
      t.misses = 0
      if (s.state === "RUNNING" || !ACTIVE.has(s.state)) t.follow()
      if (s.state !== t.last) {
        t.last = s.state
        t.onState(s)
      }
      if (!ACTIVE.has(s.state)) {
        tracked.delete(job)
        Effect.runSync(Deferred.succeed(t.done, s))
      }
    }
  })
  const startPolling = () => {
    if (polling) return
    polling = true
    Effect.runFork(
      pollOnce.pipe(
        Effect.repeat({ schedule: Schedule.spaced(pollMs), while: () => tracked.size > 0 }),
        Effect.ensuring(Effect.sync(() => (polling = false))),
      ),
    )
  }
  /** Wait until the job leaves the queue; its last state, or undefined when SLURM forgot it. */
  const awaitJob = (job: string, onState: (s: JobState) => void, follow: () => void) =>
    Effect.gen(function* () {
      const done = yield* Deferred.make<JobState | undefined>()
      tracked.set(job, { done, misses: 0, onState, follow })
      startPolling()
      return yield* Deferred.await(done)
    }).pipe(Effect.onInterrupt(() => Effect.sync(() => tracked.delete(job))))

  // ── cancelling: Ctrl-C releases every job this run submitted with one scancel ────────────────
  let cancelQueue: string[] = []
  let cancelDone: Promise<void> | undefined
  const cancel = (job: string) =>
    Effect.promise(() => {
      cancelQueue.push(job)
      cancelDone ??= new Promise<void>((resolve) =>
        setTimeout(async () => {
          const jobs = cancelQueue
          cancelQueue = []
          cancelDone = undefined
          const r = await sh("scancel", jobs)
          say(r.code === 0 ? `interrupted: scancel'd the ${jobs.length} SLURM job${jobs.length > 1 ? "s" : ""} this run submitted (${summarize(jobs)})` : `scancel ${jobs.join(" ")} failed: ${r.stderr.trim()}`)
          resolve()
        }, 20),
      )
      return cancelDone
    })

  // ── one node ─────────────────────────────────────────────────────────────────────────────────
  const specOf = (task: NodeTask): JobSpec => ({
    root: ws.root,
    key: task.key,
    node: task.node.id,
    stage: task.node.stage.name,
    modulePath: task.node.stage.modulePath,
    codeHash: ws.code(task.node.stage).hash,
    params: { ...task.node.params },
    inputs: task.inputs,
    data: task.data,
  })

  /** A job an earlier (killed) run submitted for this key that is still queued or running. */
  const adoptable = (key: string) =>
    Effect.promise(async (): Promise<Submitted | undefined> => {
      let m: Marker
      try {
        m = JSON.parse(readFileSync(markerOf(ws, key), "utf8")) as Marker
      } catch {
        return undefined
      }
      const r = await sh("squeue", squeueArgs([m.job]))
      const s = parseSqueue(r.stdout).get(m.job)
      return s && ACTIVE.has(s.state) ? { job: m.job, log: m.log, ours: false } : undefined
    })

  const outcome = (task: NodeTask, r: Resources, sub: Submitted, s: JobState | undefined): Effect.Effect<Record<string, OutputEntry>, JobError> => {
    // the record is the truth: a job that wrote it succeeded whatever SLURM says about its end
    const rec = ws.store.readRecord(task.key)
    if (rec && ws.store.recordIsUsable(rec, true)) return Effect.succeed(rec.outputs)
    const stage = task.node.stage.name
    const state = s?.state ?? "gone"
    if (state === "TIMEOUT" || state === "DEADLINE") return Effect.fail(new TimeLimit({ job: sub.job, stage, ...(r.time ? { minutes: minutesOf(r.time) } : {}) }))
    if (state === "OUT_OF_MEMORY") return Effect.fail(new OutOfMemory({ job: sub.job, stage, memGB: r.memGB }))
    if (state === "CANCELLED") return Effect.fail(new JobCancelled({ job: sub.job, log: sub.log }))
    if (LOST.has(state)) return Effect.fail(new NodeLost({ job: sub.job, state }))
    return Effect.promise(() => sh("scontrol", ["-o", "show", "job", sub.job])).pipe(
      Effect.flatMap((sc) => {
        const exit = /\bExitCode=(\S+)/.exec(sc.stdout)?.[1] ?? ""
        const lines = tail(sub.log)
        const last = [...lines].reverse().find((l) => /^pipeline: /.test(l)) ?? lines.at(-1) ?? ""
        const detail = state === "COMPLETED" ? "it completed without writing its result" : state === "gone" ? "SLURM no longer knows how it ended" : ""
        return Effect.fail(new JobFailed({ job: sub.job, exit: exit || detail, log: relative(ws.root, sub.log), last: last.replace(/^pipeline: /, "") }))
      }),
    )
  }

  const runJob = (task: NodeTask, r: Resources, cb: NodeCallbacks) =>
    Effect.gen(function* () {
      const adopted = yield* adoptable(task.key)
      if (adopted) cb.log(`adopting SLURM job ${adopted.job}, submitted by an earlier run and still in the queue (log ${relative(ws.root, adopted.log)})`)
      const acquire = adopted
        ? Effect.succeed(adopted)
        : Effect.gen(function* () {
            const spec = join(jobsDir(ws), `${task.key}.spec.json`)
            atomicWrite(spec, JSON.stringify(specOf(task)))
            const sub = yield* enqueue(spec, argsOf(task.node, r))
            const marker: Marker = { job: sub.job, node: task.node.id, log: sub.log, submittedAt: new Date().toISOString() }
            atomicWrite(markerOf(ws, task.key), JSON.stringify(marker))
            cb.log(`submitted as SLURM job ${sub.job} (log ${relative(ws.root, sub.log)})`)
            return sub
          })
      return yield* Effect.acquireUseRelease(
        acquire,
        (sub) =>
          awaitJob(
            sub.job,
            (s) => {
              if (s.state === "RUNNING") cb.log(`job ${sub.job} running on ${s.host}`)
            },
            logFollower(sub.log, cb),
          ).pipe(Effect.flatMap((s) => outcome(task, r, sub, s))),
        (sub, exit) =>
          Effect.gen(function* () {
            // interrupted (Ctrl-C): the job is ours to cancel; an adopted one finishes for the next run
            if (Exit.isInterrupted(exit) && sub.ours) yield* cancel(sub.job)
            rmSync(markerOf(ws, task.key), { force: true })
            rmSync(join(jobsDir(ws), `${task.key}.spec.json`), { force: true })
            settleArray(sub.list)
            if (Exit.isFailure(exit) && !Exit.isInterrupted(exit)) for (const l of tail(sub.log)) cb.log(`  | ${l}`)
          }),
      )
    })

  return {
    name: "slurm",
    slots: Math.max(1, opts.maxJobs ?? 100),
    compute(whole, cb) {
      const r = opts.resourcesOf(whole.node)
      if (!r) return localSlots.withPermits(1)(local.compute(whole, cb))
      // the job reads its inputs from the shared cache: hold no bytes here while it queues and runs
      const task: NodeTask = { node: whole.node, key: whole.key, inputs: whole.inputs, encoded: {}, data: whole.data }
      mkdirSync(logDir, { recursive: true })
      return runJob(task, r, cb).pipe(
        // a lost compute node: submit once more
        Effect.tapError((e) => Effect.sync(() => e._tag === "NodeLost" && cb.log(`SLURM job ${e.job} ended ${e.state}: its compute node was lost; submitting the node once more`))),
        Effect.retry({ times: 1, while: (e) => e._tag === "NodeLost" }),
        Effect.mapError((cause) => new StageFailed({ node: task.node.id, cause })),
      )
    },
    preflight: (nodes) =>
      Effect.gen(function* () {
        for (const cmd of ["sbatch", "squeue", "scancel", "scontrol"])
          if (!onPath(cmd)) return yield* Effect.fail(new ConfigError({ problem: `executor slurm: '${cmd}' is not on PATH — run where SLURM's client commands are installed, or use --executor local` }))
        // one `sbatch --test-only` per stage: an unknown partition/account/QoS or an impossible
        // request is refused here, before anything is submitted
        const seen = new Set<string>()
        for (const node of nodes) {
          const r = opts.resourcesOf(node)
          if (!r || seen.has(node.stage.name)) continue
          seen.add(node.stage.name)
          const args = [...common(), ...argsOf(node, r), "--test-only", "--output=/dev/null", "--wrap", "true"]
          const res = yield* Effect.promise(() => sh("sbatch", args))
          if (res.code !== 0) {
            const why = res.stderr.trim().split("\n").find((l) => /error/i.test(l)) ?? res.stderr.trim().split("\n")[0] ?? `exit ${res.code}`
            return yield* Effect.fail(new ConfigError({ problem: `SLURM refuses jobs of stage ${node.stage.name} (${[...clusterArgs, ...sbatchResourceArgs(r)].join(" ")}): ${why.replace(/^sbatch: error: /, "")}` }))
          }
        }
      }),
  }
}

function summarize(jobs: string[]): string {
  return jobs.length <= 6 ? jobs.join(", ") : `${jobs.slice(0, 5).join(", ")} … ${jobs.at(-1)}`
}

/** For `pipeline status`: nodes whose SLURM jobs are queued or running now (any submitter). */
export function clusterActivity(ws: Workspace): { node: string; state: JobState; log: string }[] {
  const dir = jobsDir(ws)
  if (!existsSync(dir) || !onPath("squeue")) return []
  const markers: Marker[] = []
  for (const f of readdirSync(dir))
    if (f.endsWith(".job.json"))
      try {
        markers.push(JSON.parse(readFileSync(join(dir, f), "utf8")) as Marker)
      } catch {
        /* being written */
      }
  if (markers.length === 0) return []
  const r = spawnSync("squeue", squeueArgs(markers.map((m) => m.job)), { encoding: "utf8" })
  const states = parseSqueue(r.stdout ?? "")
  return markers.flatMap((m) => {
    const s = states.get(m.job)
    return s && ACTIVE.has(s.state) ? [{ node: m.node, state: s, log: relative(ws.root, m.log) }] : []
  })
}
