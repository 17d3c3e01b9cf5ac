// pipeline.lock: per node, the key, params, code fingerprint, input hashes and output hashes of the
// last successful run. It is what `status` diffs against to say WHY a node is stale, what `verify`
// re-hashes, and what `gc` keeps. Concurrent runs merge into it under a short store-wide lock.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { canonicalJson } from "./canonical.js"
import { systemLeaseEnv, withGuard } from "./lease.js"
import { atomicWrite, OutputEntry } from "./store.js"

export const LockEntry = z.object({
  stage: z.string(),
  key: z.string(),
  params: z.record(z.unknown()),
  code: z.object({ hash: z.string(), version: z.string(), files: z.record(z.string()) }),
  inputs: z.record(z.array(z.object({ node: z.string(), hash: z.string() }))),
  /**
   * mtimeMs: the blob's mtime when it was last hashed (a no-op run trusts an unchanged blob);
   * artifactMtimeMs: the same for the copy under artifacts/ (a changed one is re-hashed, repaired)
   */
  outputs: z.record(OutputEntry.extend({ path: z.string(), mtimeMs: z.number().optional(), artifactMtimeMs: z.number().optional() })),
})
export type LockEntry = z.infer<typeof LockEntry>

export const LockFile = z.object({ version: z.literal(1), nodes: z.record(LockEntry) })
export type LockFile = z.infer<typeof LockFile>

export function readLock(file: string): LockFile {
  if (!existsSync(file)) return { version: 1, nodes: {} }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    // JSON.parse quotes the text around the error, newlines included: keep the advice on one line
    throw new Error(`${file} is not valid JSON (${(e as Error).message.replace(/\s+/g, " ")}) — delete it and rerun`)
  }
  // A full zod pass over 10,000 entries costs more than the rest of a no-op run: check the shape
  // of the file and validate entries lazily where they are used (status, show, verify).
  const p = parsed as Partial<LockFile> | null
  if (!p || p.version !== 1 || typeof p.nodes !== "object" || p.nodes === null)
    throw new Error(`${file} is not a pipeline.lock of version 1 — delete it and rerun`)
  return p as LockFile
}

/**
 * Merge `entries` into the lock file on disk: read-modify-write under a guard file (engine/lease.ts
 * withGuard). Only a guard that exists means "another run is writing"; an unwritable project root
 * is an error naming the file, never a wait.
 */
export function mergeLock(file: string, entries: Readonly<Record<string, LockEntry>>): void {
  withGuard(file, systemLeaseEnv, () => {
    const lock = readLock(file)
    Object.assign(lock.nodes, entries)
    // canonical: sorted keys (stable diffs), and γ = ±∞ survives as a string
    atomicWrite(file, canonicalJson(lock, 1) + "\n", true)
  })
}

export const lockPath = (root: string) => join(root, "pipeline.lock")
