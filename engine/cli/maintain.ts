// verify (re-hash what pipeline.lock promises) and gc (drop what nothing references, never while
// a run is live).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { hashBytes } from "../hash.js"
import { readLock } from "../lockfile.js"
import { leaseState, readLease } from "../lease.js"
import { enterGc } from "../sessions.js"
import { workspace, type Workspace } from "../workspace.js"
import type { Args } from "./args.js"
import type { Loaded } from "./main.js"

export function verifyCommand(loaded: Loaded): number {
  const ws = workspace(loaded.root)
  const lock = readLock(ws.lockFile)
  const problems: string[] = []
  let checked = 0
  const check = (file: string, what: string, hash: string) => {
    checked++
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch {
      return problems.push(`missing ${what}: ${file}`)
    }
    const got = hashBytes(bytes)
    if (got !== hash) problems.push(`mismatch ${what}: ${file} (expected ${hash}, got ${got})`)
  }
  for (const [id, e] of Object.entries(lock.nodes))
    for (const [name, o] of Object.entries(e.outputs)) {
      check(join(ws.root, o.path), `artifact ${id} → ${name}`, o.hash)
      check(ws.store.blobPath(o.hash), `cache blob ${o.hash} of ${id} → ${name}`, o.hash)
    }
  for (const p of problems) process.stdout.write(`${p}\n`)
  // nothing checked is no evidence: a CI step that verifies an empty lock must not pass
  if (checked === 0) {
    process.stdout.write(`nothing to verify: ${ws.lockFile} names no artifacts — run a target first\n`)
    return 1
  }
  process.stdout.write(problems.length === 0 ? `verified ${checked} files of ${Object.keys(lock.nodes).length} nodes: all match\n` : `${problems.length} of ${checked} files do not match pipeline.lock\n`)
  return problems.length === 0 ? 0 : 1
}

export function gcCommand(loaded: Loaded, args: Args): number {
  const ws = workspace(loaded.root)
  // gc and run exclude each other: gc refuses while a run is live (it may be using anything)
  const entry = enterGc(ws.store)
  if (!entry.ok) {
    process.stderr.write(`pipeline: gc: the cache is in use by ${entry.blockedBy}; nothing removed — run gc again when it is done\n`)
    return 1
  }
  try {
    return collect(ws, args.keepDays)
  } finally {
    entry.lease.release()
  }
}

/** Drop records unused for `keepDays` (by last use) that pipeline.lock does not name, then unreferenced blobs. */
function collect(ws: Workspace, keepDays: number): number {
  const lock = readLock(ws.lockFile)
  const cutoff = Date.now() - keepDays * 86_400_000
  const keepBlobs = new Set<string>()
  const lockedKeys = new Set(Object.values(lock.nodes).map((e) => e.key))
  for (const e of Object.values(lock.nodes)) for (const o of Object.values(e.outputs)) keepBlobs.add(o.hash)
  let records = 0
  for (const r of ws.store.listRecords()) {
    const rec = ws.store.readRecord(r.key)
    // a record's mtime is its last use: run touches a record it reuses and one leaving pipeline.lock
    if (lockedKeys.has(r.key) || (rec && r.mtimeMs >= cutoff)) {
      for (const o of Object.values(rec?.outputs ?? {})) keepBlobs.add(o.hash)
    } else {
      ws.store.removeRecord(r.key)
      records++
    }
  }
  let blobs = 0
  let bytes = 0
  for (const h of ws.store.listBlobs()) {
    if (keepBlobs.has(h)) continue
    const path = ws.store.blobPath(h)
    try {
      bytes += statSync(path).size
    } catch {
      /* raced with another gc */
    }
    ws.store.removeBlob(h)
    blobs++
  }
  // temp files of runs killed mid-write are never read (a failed write removes its own); no run is
  // live now, so every one is garbage
  let temps = 0
  for (const t of ws.store.listTemps()) {
    rmSync(t.path, { force: true })
    temps++
  }
  // leases of runs that died (kill -9) without releasing them
  const runs = join(ws.store.root, "locks", "runs")
  for (const f of existsSync(runs) ? readdirSync(runs) : []) {
    const r = readLease(join(runs, f))
    if (!r || leaseState(r) !== "live") rmSync(join(runs, f), { force: true })
  }
  process.stdout.write(`gc: removed ${records} records, ${blobs} blobs (${(bytes / 1e6).toFixed(1)} MB) and ${temps} temp files; kept ${keepBlobs.size} blobs\n`)
  return 0
}
