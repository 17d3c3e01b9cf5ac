// Leases on the shared cache: who is computing a key (or, for a SLURM job, a node) right now.
// A lease file names its holder (host, pid, run id, optionally a scheduler job) and an expiry that
// the holder's heartbeat pushes forward while it works. Anyone, on any host, may take over a lease
// past its expiry; on the holder's own host a dead pid frees it at once (kill -9). A live process
// that is not holding (pid reuse, a hung holder) stops renewing, so its lease expires: nothing
// blocks forever. Chubby/etcd leases work the same way; the clocks of hosts sharing a cache are
// assumed to agree within `skewMs` (NTP).
//
// Every change to a lease file (take, renew, release) happens under a short guard file created
// with O_EXCL, and the lease itself is replaced by rename, so readers see a whole lease or none and
// two hosts taking over the same expired lease cannot both win.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs"
import { hostname } from "node:os"
import { basename, dirname, join } from "node:path"
import { z } from "zod"

export const LeaseHolder = z.object({
  host: z.string(),
  pid: z.number().int(),
  /** one id per pipeline process (a submitting process and its jobs can share it) */
  runId: z.string(),
  /** a scheduler's job id (SLURM: "12345" or "12345_7") when the holder is a batch job */
  job: z.string().optional(),
  /** what the holder is doing, for the waiting message (a node id) */
  what: z.string().optional(),
})
export type LeaseHolder = z.infer<typeof LeaseHolder>

export const LeaseRecord = z.object({
  holder: LeaseHolder,
  /** distinguishes two takes by the same holder: renew/release act only on their own lease */
  token: z.string(),
  acquiredAt: z.number(),
  renewedAt: z.number(),
  expiresAt: z.number(),
  ttlMs: z.number().positive(),
})
export type LeaseRecord = z.infer<typeof LeaseRecord>

/** What a lease needs from the world; tests inject two hosts and a clock. */
export interface LeaseEnv {
  readonly host: string
  readonly pid: number
  now(): number
  /** only asked about pids on this env's own host */
  pidAlive(pid: number): boolean
}

export const systemLeaseEnv: LeaseEnv = {
  host: process.env.PIPELINE_HOST || hostname(),
  pid: process.pid,
  now: () => Date.now(),
  pidAlive(pid) {
    try {
      process.kill(pid, 0)
      return true
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM"
    }
  },
}

/** This process's run id (stable for its lifetime). */
export const currentRunId = `${systemLeaseEnv.host}-${process.pid}-${Date.now().toString(36)}`

export const DEFAULT_TTL_MS = Number(process.env.PIPELINE_LEASE_TTL_MS) || 60_000

export interface LeaseOptions {
  readonly env?: LeaseEnv
  readonly ttlMs?: number
  readonly runId?: string
  readonly job?: string
  readonly what?: string
  /** allowed disagreement between hosts' clocks before a lease counts as expired */
  readonly skewMs?: number
}

/** Why a lease does or does not stop someone else from taking it. */
export type LeaseState = "live" | "expired" | "holder-dead"

export function leaseState(rec: LeaseRecord, env: LeaseEnv = systemLeaseEnv, skewMs = 0): LeaseState {
  if (rec.holder.host === env.host && rec.holder.pid !== env.pid && !env.pidAlive(rec.holder.pid)) return "holder-dead"
  return env.now() > rec.expiresAt + skewMs ? "expired" : "live"
}

export function readLease(file: string): LeaseRecord | undefined {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw e
  }
  // written by rename, so never torn; anything unparsable is garbage and counts as no lease
  try {
    const r = LeaseRecord.safeParse(JSON.parse(text))
    return r.success ? r.data : undefined
  } catch {
    return undefined
  }
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19)

/** "host h pid 12 (run r, job 99) since 10:00:01 UTC, expires 10:01:01 UTC (in 42 s)" */
export function describeLease(rec: LeaseRecord, now: number): string {
  const h = rec.holder
  const extra = [`run ${h.runId}`, ...(h.job ? [`job ${h.job}`] : []), ...(h.what ? [h.what] : [])].join(", ")
  const left = Math.round((rec.expiresAt - now) / 1000)
  return `host ${h.host} pid ${h.pid} (${extra}) since ${clock(rec.acquiredAt)} UTC, expires ${clock(rec.expiresAt)} UTC (${left >= 0 ? `in ${left} s` : `${-left} s ago`})`
}

export interface Lease {
  readonly file: string
  /** the lease as last written by this holder */
  readonly record: LeaseRecord
  /** push the expiry forward; false when the lease was lost (taken over, removed) */
  renew(): boolean
  /** renew every ttl/3 until released; `onLost` once if a renewal finds the lease gone */
  heartbeat(onLost?: (now: LeaseRecord | undefined) => void): void
  release(): void
}

export type TryLease = { readonly ok: true; readonly lease: Lease } | { readonly ok: false; readonly held: LeaseRecord }

/** Take the lease if it is free, expired, or held by a dead process on this host; never waits. */
export function tryAcquireLease(file: string, opts: LeaseOptions = {}): TryLease {
  const env = opts.env ?? systemLeaseEnv
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS
  const holder: LeaseHolder = {
    host: env.host,
    pid: env.pid,
    runId: opts.runId ?? currentRunId,
    ...(opts.job ? { job: opts.job } : {}),
    ...(opts.what ? { what: opts.what } : {}),
  }
  return withGuard(file, env, () => {
    const prev = readLease(file)
    if (prev && leaseState(prev, env, opts.skewMs) === "live") return { ok: false, held: prev } as const
    const now = env.now()
    const rec: LeaseRecord = { holder, token: Math.random().toString(36).slice(2), acquiredAt: now, renewedAt: now, expiresAt: now + ttlMs, ttlMs }
    writeLease(file, rec)
    return { ok: true, lease: makeLease(file, rec, env) } as const
  })
}

function makeLease(file: string, first: LeaseRecord, env: LeaseEnv): Lease {
  let rec = first
  let timer: ReturnType<typeof setInterval> | undefined
  let released = false
  const renew = (): boolean => {
    if (released) return false
    return withGuard(file, env, () => {
      const on = readLease(file)
      if (!on || on.token !== rec.token) return false
      const now = env.now()
      rec = { ...rec, renewedAt: now, expiresAt: now + rec.ttlMs }
      writeLease(file, rec)
      return true
    })
  }
  return {
    file,
    get record() {
      return rec
    },
    renew,
    heartbeat(onLost) {
      if (timer) return
      timer = setInterval(() => {
        let ok: boolean
        try {
          ok = renew()
        } catch {
          return // a transient error (NFS hiccup): the next beat tries again before expiry
        }
        if (!ok && !released) {
          clearInterval(timer)
          onLost?.(readLease(file))
        }
      }, Math.max(10, Math.floor(rec.ttlMs / 3)))
      timer.unref?.()
    },
    release() {
      if (released) return
      released = true
      if (timer) clearInterval(timer)
      try {
        withGuard(file, env, () => {
          if (readLease(file)?.token === rec.token) rmSync(file, { force: true })
        })
      } catch {
        /* unwritable: the lease simply expires */
      }
    },
  }
}

function writeLease(file: string, rec: LeaseRecord): void {
  mkdirSync(dirname(file), { recursive: true })
  // temp beside the target: rename stays on one filesystem and is atomic
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`)
  const fd = openSync(tmp, "w")
  try {
    writeSync(fd, JSON.stringify(rec))
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

/** A guard is held for a few syscalls; one older than this belongs to a process that died inside. */
const GUARD_STALE_MS = 10_000

/**
 * Run `fn` while holding `file.guard` (O_EXCL create). Only EEXIST means "someone else holds it":
 * any other error (EACCES, EROFS, ENOSPC) is thrown, never mistaken for a held guard. The wait is
 * bounded: a guard older than GUARD_STALE_MS is removed.
 */
export function withGuard<T>(file: string, env: LeaseEnv, fn: () => T): T {
  const guard = `${file}.guard`
  mkdirSync(dirname(guard), { recursive: true })
  const deadline = env.now() + 2 * GUARD_STALE_MS
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(guard, "wx"))
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      const age = ageMs(guard)
      if (age > GUARD_STALE_MS) rmSync(guard, { force: true })
      else if (env.now() > deadline || i > 20_000) throw new Error(`${guard} stays held; remove it if no pipeline is running`)
      else sleepSync(Math.min(1 + i, 20))
    }
  }
  try {
    return fn()
  } finally {
    rmSync(guard, { force: true })
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0
  }
}

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4))
const sleepSync = (ms: number) => Atomics.wait(sleepBuffer, 0, 0, ms)

export interface WaitOptions extends LeaseOptions {
  /** called whenever the lease we wait for changes hands (and once at the start) */
  readonly onWait?: (held: LeaseRecord, description: string) => void
  /** longest pause between tries; a wait never sleeps past the lease's expiry */
  readonly pollMs?: number
  readonly sleep?: (ms: number) => Promise<void>
}

/**
 * Wait until the lease is ours. While someone else holds it, `onWait` says who, since when and
 * until when; the wait ends when they release it, their lease expires, or (same host) they die.
 */
export async function acquireLease(file: string, opts: WaitOptions = {}): Promise<Lease> {
  const env = opts.env ?? systemLeaseEnv
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let announced: string | undefined
  for (let i = 0; ; i++) {
    const r = tryAcquireLease(file, opts)
    if (r.ok) return r.lease
    const now = env.now()
    if (r.held.token !== announced) {
      announced = r.held.token
      opts.onWait?.(r.held, describeLease(r.held, now))
    }
    const untilExpiry = Math.max(1, r.held.expiresAt + (opts.skewMs ?? 0) - now + 1)
    await sleep(Math.min(20 * (i + 1), opts.pollMs ?? 250, untilExpiry))
  }
}
