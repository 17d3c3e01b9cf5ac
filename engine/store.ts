// Content-addressed store under cache/: blobs by content hash, one small record per cache key
// (written only after its blobs), and per-key leases (engine/lease.ts) so concurrent `run`s, on any
// host sharing the cache, never compute the same node at once. Writes are temp file + rename: a reader sees a whole file or none, and a run killed
// mid-write leaves only a temp file that is never read.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs"
import { dirname, join } from "node:path"
import { z } from "zod"
import { CorruptBlob } from "./errors.js"
import { hashBytes } from "./hash.js"

export const OutputEntry = z.object({ hash: z.string(), size: z.number().int().nonnegative() })
export type OutputEntry = z.infer<typeof OutputEntry>

export const CacheRecord = z.object({
  key: z.string(),
  node: z.string(),
  stage: z.string(),
  outputs: z.record(OutputEntry),
  createdAt: z.string(),
  durationMs: z.number(),
})
export type CacheRecord = z.infer<typeof CacheRecord>

export interface Store {
  readonly root: string
  readRecord(key: string): CacheRecord | undefined
  writeRecord(record: CacheRecord): void
  /** true when every output blob exists with its recorded size (and, with `verify`, its hash) */
  recordIsUsable(record: CacheRecord, verify: boolean): boolean
  readBlob(entry: OutputEntry): Uint8Array
  writeBlob(bytes: Uint8Array): OutputEntry
  blobPath(hash: string): string
  removeBlob(hash: string): void
  listBlobs(): string[]
  listRecords(): { key: string; mtimeMs: number }[]
  removeRecord(key: string): void
  /** The lease file guarding the computation of one key (engine/lease.ts). */
  leaseFile(key: string): string
}

/**
 * Write via a temp file and rename: readers see the whole file or none. `durable` adds an fsync
 * (survives an OS crash). Blobs and records skip it: every read re-hashes, so a torn file after a
 * power cut is a cache miss, never a wrong result, and 10,000 fsyncs would dominate a cold run.
 */
export function atomicWrite(file: string, data: Uint8Array | string, tmpDir: string, durable = false): void {
  mkdirSync(dirname(file), { recursive: true })
  mkdirSync(tmpDir, { recursive: true })
  const tmp = join(tmpDir, `${process.pid}-${Math.random().toString(36).slice(2)}.tmp`)
  const fd = openSync(tmp, "w")
  try {
    const buf = typeof data === "string" ? Buffer.from(data) : data
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    if (durable) fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

export function localStore(cacheDir: string): Store {
  const blobs = join(cacheDir, "blobs")
  const records = join(cacheDir, "records")
  const locks = join(cacheDir, "locks")
  const tmp = join(cacheDir, "tmp")
  const blobPath = (hash: string) => join(blobs, hash.slice(0, 2), hash)
  const recordPath = (key: string) => join(records, key.slice(0, 2), `${key}.json`)

  const readBlob = (entry: OutputEntry): Uint8Array => {
    const path = blobPath(entry.hash)
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch {
      throw new CorruptBlob({ hash: entry.hash, path })
    }
    if (bytes.length !== entry.size || hashBytes(bytes) !== entry.hash) throw new CorruptBlob({ hash: entry.hash, path })
    return bytes
  }

  return {
    root: cacheDir,
    blobPath,
    readRecord(key) {
      let text: string
      try {
        text = readFileSync(recordPath(key), "utf8")
      } catch {
        return undefined
      }
      // hot path (one per node per run): a shape check, not a zod pass; a bad record is a miss
      const r = safeJson(text) as CacheRecord | undefined
      return r && r.key === key && typeof r.outputs === "object" && r.outputs !== null ? r : undefined
    },
    writeRecord(record) {
      atomicWrite(recordPath(record.key), JSON.stringify(record), tmp)
    },
    recordIsUsable(record, verify) {
      for (const entry of Object.values(record.outputs)) {
        if (verify) {
          try {
            readBlob(entry)
          } catch {
            return false
          }
        } else {
          try {
            if (statSync(blobPath(entry.hash)).size !== entry.size) return false
          } catch {
            return false
          }
        }
      }
      return true
    },
    readBlob,
    writeBlob(bytes) {
      const hash = hashBytes(bytes)
      const path = blobPath(hash)
      const entry = { hash, size: bytes.length }
      // Same content already stored and intact: nothing to write (dedup across nodes and runs).
      if (existsSync(path)) {
        try {
          readBlob(entry)
          return entry
        } catch {
          /* corrupt copy: overwrite it */
        }
      }
      atomicWrite(path, bytes, tmp)
      return entry
    },
    removeBlob(hash) {
      rmSync(blobPath(hash), { force: true })
    },
    listBlobs() {
      if (!existsSync(blobs)) return []
      return readdirSync(blobs).flatMap((d) => readdirSync(join(blobs, d)))
    },
    listRecords() {
      if (!existsSync(records)) return []
      return readdirSync(records).flatMap((d) =>
        readdirSync(join(records, d)).map((f) => ({ key: f.replace(/\.json$/, ""), mtimeMs: statSync(join(records, d, f)).mtimeMs })),
      )
    },
    removeRecord(key) {
      rmSync(recordPath(key), { force: true })
    },
    leaseFile(key) {
      return join(locks, `${key}.lease`)
    },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
