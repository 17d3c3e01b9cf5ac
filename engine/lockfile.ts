// pipeline.lock: per node, the key, params, code fingerprint, input hashes and output hashes of the
// last successful run. It is what `status` diffs against to say WHY a node is stale, what `verify`
// re-hashes, and what `gc` keeps. Concurrent runs merge into it under a short store-wide lock.
import { existsSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { z } from "zod"
import { canonicalJson } from "./canonical.js"
import { atomicWrite, OutputEntry } from "./store.js"

export const LockEntry = z.object({
  stage: z.string(),
  key: z.string(),
  params: z.record(z.unknown()),
  code: z.object({ hash: z.string(), version: z.string(), files: z.record(z.string()) }),
  inputs: z.record(z.array(z.object({ node: z.string(), hash: z.string() }))),
  outputs: z.record(OutputEntry.extend({ path: z.string() })),
})
export type LockEntry = z.infer<typeof LockEntry>

export const LockFile = z.object({ version: z.literal(1), nodes: z.record(LockEntry) })
export type LockFile = z.infer<typeof LockFile>

export function readLock(file: string): LockFile {
  if (!existsSync(file)) return { version: 1, nodes: {} }
  const parsed = LockFile.safeParse(JSON.parse(readFileSync(file, "utf8")))
  if (!parsed.success) throw new Error(`${file} is not a valid pipeline.lock (${parsed.error.issues[0]?.message}) — delete it and rerun`)
  return parsed.data
}

/** Merge `entries` into the lock file on disk (read-modify-write under an exclusive lock file). */
export async function mergeLock(file: string, entries: Readonly<Record<string, LockEntry>>, tmpDir: string): Promise<void> {
  const guard = file + ".writing"
  const { openSync, closeSync, rmSync } = await import("node:fs")
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(guard, "wx"))
      break
    } catch {
      // a writer that died leaves the guard behind: lock writes take milliseconds, so 10 s is stale
      try {
        if (Date.now() - statSync(guard).mtimeMs > 10_000) rmSync(guard, { force: true })
      } catch {
        /* gone already */
      }
      await sleep(Math.min(5 + i * 5, 100))
    }
  }
  try {
    const lock = readLock(file)
    Object.assign(lock.nodes, entries)
    // canonical: sorted keys (stable diffs), and γ = ±∞ survives as a string
    atomicWrite(file, canonicalJson(lock, 1) + "\n", tmpDir)
  } finally {
    rmSync(guard, { force: true })
  }
}

export const lockPath = (root: string) => join(root, "pipeline.lock")
