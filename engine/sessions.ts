// Runs share the cache; gc has it alone. Each run holds a lease of its own under cache/locks/runs/
// for as long as it works (heartbeat), and gc holds cache/locks/gc.lease. Each side writes its own
// lease before looking for the other's, so of a run and a gc starting together at least one sees
// the other: a run waits for gc to finish (gc takes seconds), gc refuses while a run is live (a
// run may take hours) instead of deleting what the run is about to use.
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { acquireLease, currentRunId, describeLease, leaseState, readLease, systemLeaseEnv, tryAcquireLease, type Lease, type LeaseRecord } from "./lease.js"
import type { Store } from "./store.js"

const locksDir = (store: Store) => join(store.root, "locks")
const gcFile = (store: Store) => join(locksDir(store), "gc.lease")
const runsDir = (store: Store) => join(locksDir(store), "runs")

/** Runs other than this process's whose leases are live. */
export function liveRuns(store: Store): LeaseRecord[] {
  let names: string[] = []
  try {
    names = readdirSync(runsDir(store)).filter((f) => f.endsWith(".lease"))
  } catch {
    return []
  }
  return names.flatMap((f) => {
    const r = readLease(join(runsDir(store), f))
    return r && r.holder.runId !== currentRunId && leaseState(r) === "live" ? [r] : []
  })
}

/**
 * Register this run (waiting while a gc holds the cache); returns the release. `onWait` hears once
 * per gc who holds it.
 */
export async function enterRun(store: Store, onWait: (message: string) => void): Promise<() => void> {
  const mine = join(runsDir(store), `${currentRunId}.lease`)
  for (;;) {
    const got = tryAcquireLease(mine)
    if (!got.ok) throw new Error(`run lease ${mine} is held by ${describeLease(got.held, Date.now())}`)
    const gc = readLease(gcFile(store))
    if (!gc || leaseState(gc) !== "live") {
      got.lease.heartbeat()
      return () => got.lease.release()
    }
    got.lease.release()
    // wait for the gc's lease itself (released when it ends, or expired if it died)
    const held = await acquireLease(gcFile(store), { onWait: (_r, who) => onWait(`waiting: gc is cleaning the cache (${who})`) })
    held.release()
  }
}

export type GcEntry = { readonly ok: true; readonly lease: Lease } | { readonly ok: false; readonly blockedBy: string }

/** Take the cache for gc, or say which gc or runs hold it. */
export function enterGc(store: Store): GcEntry {
  const got = tryAcquireLease(gcFile(store), { what: "gc" })
  if (!got.ok) return { ok: false, blockedBy: `another gc (${describeLease(got.held, systemLeaseEnv.now())})` }
  const runs = liveRuns(store)
  if (runs.length > 0) {
    got.lease.release()
    const now = systemLeaseEnv.now()
    return { ok: false, blockedBy: `${runs.length} running pipeline run${runs.length > 1 ? "s" : ""} (${runs.map((r) => describeLease(r, now)).join("; ")})` }
  }
  got.lease.heartbeat()
  return { ok: true, lease: got.lease }
}
