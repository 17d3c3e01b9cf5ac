// verify (re-hash what pipeline.lock promises) and gc (drop what nothing references).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { hashBytes } from "../hash.js"
import { compareExpected, readExpected, updatedExpected, writeExpected, type ExpectedHashes } from "../expected.js"
import { readLock } from "../lockfile.js"
import { workspace } from "../workspace.js"
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
  process.stdout.write(problems.length === 0 ? `verified ${checked} files of ${Object.keys(lock.nodes).length} nodes: all match\n` : `${problems.length} of ${checked} files do not match pipeline.lock\n`)
  return problems.length === 0 ? 0 : 1
}

/** `verify --expected FILE [--update]`: pipeline.lock against (or into) committed artifact hashes. */
export function verifyExpectedCommand(loaded: Loaded, file: string, update: boolean): number {
  const lock = readLock(workspace(loaded.root).lockFile)
  const path = resolve(file)
  const name = basename(path)
  if (Object.keys(lock.nodes).length === 0) {
    process.stderr.write(`pipeline: pipeline.lock records no nodes: run the pipeline before comparing with ${name}\n`)
    return 1
  }
  if (update) {
    const skeleton: ExpectedHashes = { version: 1, run: "(the run these hashes come from)", regenerate: `npx pipeline verify --expected ${file} --update`, unreproducible: {}, artifacts: {} }
    const before = existsSync(path) ? readExpected(path) : skeleton
    const after = updatedExpected(lock, before)
    writeExpected(path, after)
    const c = compareExpected(lock, before, name)
    process.stdout.write(`wrote ${name}: ${Object.values(after.artifacts).reduce((n, o) => n + Object.keys(o).length, 0)} artifacts; ${c.problems.length} changed, new or gone\n`)
    return 0
  }
  const c = compareExpected(lock, readExpected(path), name)
  for (const p of c.problems) process.stdout.write(`${p}\n`)
  const why = new Map<string, number>()
  for (const s of c.skipped) why.set(s.why, (why.get(s.why) ?? 0) + 1)
  for (const [reason, n] of why) process.stdout.write(`skipped ${n} artifact${n === 1 ? "" : "s"}: ${reason}\n`)
  process.stdout.write(c.problems.length === 0 ? `${name}: all ${c.compared} compared artifacts match\n` : `${name}: ${c.problems.length} artifact${c.problems.length === 1 ? " differs" : "s differ"} (of ${c.compared} compared)\n`)
  return c.problems.length === 0 ? 0 : 1
}

export function gcCommand(loaded: Loaded, args: Args): number {
  const ws = workspace(loaded.root)
  const lock = readLock(ws.lockFile)
  const cutoff = Date.now() - args.keepDays * 86_400_000
  const keepBlobs = new Set<string>()
  const lockedKeys = new Set(Object.values(lock.nodes).map((e) => e.key))
  for (const e of Object.values(lock.nodes)) for (const o of Object.values(e.outputs)) keepBlobs.add(o.hash)
  let records = 0
  for (const r of ws.store.listRecords()) {
    const rec = ws.store.readRecord(r.key)
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
  // temp files of runs that died mid-write are never read; clear the old ones
  const tmp = join(ws.store.root, "tmp")
  try {
    for (const f of readdirSync(tmp)) if (statSync(join(tmp, f)).mtimeMs < Date.now() - 3_600_000) rmSync(join(tmp, f), { force: true })
  } catch {
    /* no tmp dir */
  }
  process.stdout.write(`gc: removed ${records} records and ${blobs} blobs (${(bytes / 1e6).toFixed(1)} MB); kept ${keepBlobs.size} blobs\n`)
  return 0
}
