// Leases between two hosts sharing one cache directory, simulated by two injected hostnames and
// one injected clock (issue 11 §6).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { acquireLease, describeLease, leaseState, readLease, tryAcquireLease, withGuard, type LeaseEnv } from "./lease.js"

const dir = mkdtempSync(join(tmpdir(), "lease-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = () => join(dir, `k${n++}.lease`)

/** One clock shared by both "hosts"; each host knows which of its own pids are alive. */
function world() {
  let t = 1_700_000_000_000
  const alive = new Set<string>()
  const host = (name: string, pid: number): LeaseEnv => {
    alive.add(`${name}:${pid}`)
    return { host: name, pid, now: () => t, pidAlive: (p) => alive.has(`${name}:${p}`) }
  }
  return { host, advance: (ms: number) => (t += ms), kill: (name: string, pid: number) => alive.delete(`${name}:${pid}`) }
}

describe("leases across two hosts", () => {
  it("a live lease on host A blocks host B; past its expiry B takes it over and A learns it lost it", () => {
    const w = world()
    const a = w.host("node-a", 100)
    const b = w.host("node-b", 100) // the same pid on another host is another process
    const f = file()
    const got = tryAcquireLease(f, { env: a, ttlMs: 30_000, runId: "run-a", what: "train[fold=0]" })
    expect(got.ok).toBe(true)
    const held = tryAcquireLease(f, { env: b, ttlMs: 30_000, runId: "run-b" })
    expect(held.ok).toBe(false)
    if (held.ok || !got.ok) return
    expect(held.held.holder).toEqual({ host: "node-a", pid: 100, runId: "run-a", what: "train[fold=0]" })
    expect(describeLease(held.held, a.now())).toMatch(/^host node-a pid 100 \(run run-a, train\[fold=0\]\) since \d\d:\d\d:\d\d UTC, expires \d\d:\d\d:\d\d UTC \(in 30 s\)$/)
    // A dies without releasing (its host went down): B cannot see A's pids, so only expiry frees it
    w.advance(30_000)
    expect(tryAcquireLease(f, { env: b, runId: "run-b" }).ok).toBe(false) // exactly at expiry: still A's
    w.advance(1)
    const taken = tryAcquireLease(f, { env: b, ttlMs: 30_000, runId: "run-b" })
    expect(taken.ok).toBe(true)
    expect(readLease(f)?.holder.host).toBe("node-b")
    // A comes back: its renewal fails, its release leaves B's lease alone
    expect(got.lease.renew()).toBe(false)
    got.lease.release()
    expect(readLease(f)?.holder.runId).toBe("run-b")
  })

  it("a holder that keeps renewing is never taken over, however long it works", () => {
    const w = world()
    const a = w.host("node-a", 1)
    const b = w.host("node-b", 2)
    const f = file()
    const got = tryAcquireLease(f, { env: a, ttlMs: 10_000 })
    if (!got.ok) throw new Error("not acquired")
    for (let i = 0; i < 100; i++) {
      w.advance(5_000)
      expect(got.lease.renew()).toBe(true)
      expect(tryAcquireLease(f, { env: b }).ok).toBe(false)
    }
    got.lease.release()
    expect(readLease(f)).toBeUndefined()
    expect(tryAcquireLease(f, { env: b }).ok).toBe(true)
  })

  it("on its own host, a dead holder frees the lease at once; a live pid that is not renewing only until expiry", () => {
    const w = world()
    const a1 = w.host("node-a", 11)
    const a2 = w.host("node-a", 12)
    const f = file()
    expect(tryAcquireLease(f, { env: a1, ttlMs: 60_000 }).ok).toBe(true)
    expect(tryAcquireLease(f, { env: a2 }).ok).toBe(false)
    w.kill("node-a", 11) // kill -9
    const held = readLease(f)!
    expect(leaseState(held, a2)).toBe("holder-dead")
    expect(tryAcquireLease(f, { env: a2, ttlMs: 60_000 }).ok).toBe(true)
    // pid reuse: a process with the holder's pid is alive but not a pipeline run (it never renews)
    const g = file()
    expect(tryAcquireLease(g, { env: a2, ttlMs: 60_000 }).ok).toBe(true)
    const a3 = w.host("node-a", 13)
    expect(tryAcquireLease(g, { env: a3 }).ok).toBe(false)
    w.advance(60_001)
    expect(tryAcquireLease(g, { env: a3 }).ok).toBe(true)
  })

  it("a waiter says who holds the lease, since when and until when, and stops waiting at expiry", async () => {
    const w = world()
    const a = w.host("node-a", 1)
    const b = w.host("node-b", 1)
    const f = file()
    expect(tryAcquireLease(f, { env: a, ttlMs: 20_000, job: "4711", runId: "submit-1" }).ok).toBe(true)
    const messages: string[] = []
    const slept: number[] = []
    const lease = await acquireLease(f, {
      env: b,
      onWait: (_held, who) => messages.push(who),
      // the injected sleep moves the shared clock: the wait is bounded by the holder's expiry
      sleep: async (ms) => {
        slept.push(ms)
        w.advance(ms)
      },
    })
    expect(lease.record.holder.host).toBe("node-b")
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^host node-a pid 1 \(run submit-1, job 4711\) since .* \(in 20 s\)$/)
    expect(slept.reduce((p, q) => p + q, 0)).toBeGreaterThan(20_000)
    expect(slept.reduce((p, q) => p + q, 0)).toBeLessThan(20_000 + 300)
  })

  it("a SLURM-style holder: the submitter sees job X still alive and waits instead of resubmitting", () => {
    const w = world()
    const compute = w.host("cn042", 5555)
    const login = w.host("login1", 7)
    const f = file()
    const job = tryAcquireLease(f, { env: compute, ttlMs: 90_000, job: "123_4", runId: "run-x" })
    if (!job.ok) throw new Error("not acquired")
    w.advance(80_000)
    job.lease.renew() // the job's heartbeat
    w.advance(80_000)
    const seen = readLease(f)!
    expect(seen.holder.job).toBe("123_4")
    expect(leaseState(seen, login)).toBe("live")
    w.advance(10_001)
    expect(leaseState(seen, login)).toBe("expired") // the job stopped heartbeating: safe to resubmit
  })

  it("garbage in a lease file counts as no lease; a guard is only 'held' on EEXIST", () => {
    const w = world()
    const a = w.host("h", 1)
    const f = file()
    writeFileSync(f, "{not json")
    expect(tryAcquireLease(f, { env: a }).ok).toBe(true)
    expect(JSON.parse(readFileSync(f, "utf8")).holder.host).toBe("h")
    // a guard whose directory cannot be created throws at once instead of spinning
    const blocked = join(dir, "plain-file")
    writeFileSync(blocked, "")
    expect(() => withGuard(join(blocked, "x.lease"), a, () => 1)).toThrow(/ENOTDIR|EEXIST/)
  })
})
