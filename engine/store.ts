// Content-addressed store under cache/: blobs by content hash, one small record per cache key
// (written only after its blobs), and per-key leases (engine/lease.ts) so concurrent `run`s, on any
// host sharing the cache, never compute the same node at once. Writes are temp file + rename: a
// reader sees a whole file or none, and a run killed mid-write leaves only a temp file that is
// never read (gc removes old ones). Records are validated on read: an invalid one is a miss.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from "node:fs"
import { basename, dirname, join, sep } from "node:path"
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
  /** the record of `key`, or undefined when absent or invalid (an invalid record is a miss) */
  readRecord(key: string): CacheRecord | undefined
  writeRecord(record: CacheRecord): void
  /** true when every output blob exists with its recorded size (and, with `verify`, its hash) */
  recordIsUsable(record: CacheRecord, verify: boolean): boolean
  readBlob(entry: OutputEntry): Uint8Array
  writeBlob(bytes: Uint8Array): OutputEntry
  blobPath(hash: string): string
  removeBlob(hash: string): void
  listBlobs(): string[]
  /** records with their last use (mtime: written, or touched when used) */
  listRecords(): { key: string; mtimeMs: number }[]
  removeRecord(key: string): void
  /** mark a record as used now (gc ages records by last use) */
  touchRecord(key: string): void
  /** temp files left by writes that never finished (a run killed mid-write) */
  listTemps(): { path: string; mtimeMs: number }[]
  /** The lease file guarding the computation of one key (engine/lease.ts). */
  leaseFile(key: string): string
}

/** Marks a temp file; listings of blobs and records skip it. */
export const TEMP_SUFFIX = ".tmp"

/**
 * Write via a temp file beside the target and rename: readers see the whole file or none, and the
 * rename never crosses a filesystem (cache/ may be a symlink to another disk). A failed write
 * removes its temp file. `durable` adds an fsync (survives an OS crash). Blobs and records skip
 * it: every read re-hashes, so a torn file after a power cut is a cache miss, never a wrong result,
 * and 10,000 fsyncs would dominate a cold run.
 */
export function atomicWrite(file: string, data: Uint8Array | string, durable = false): void {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}${TEMP_SUFFIX}`
  try {
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
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

export function localStore(cacheDir: string): Store {
  const blobs = join(cacheDir, "blobs")
  const records = join(cacheDir, "records")
  const locks = join(cacheDir, "locks")
  // hashes are hex: plain concatenation, no path.join (a no-op run builds 10,000s of these)
  const blobPath = (hash: string) => `${blobs}${sep}${hash.slice(0, 2)}${sep}${hash}`
  const recordPath = (key: string) => `${records}${sep}${key.slice(0, 2)}${sep}${key}.json`

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
      // read only when pipeline.lock does not already vouch for the key, so a zod pass is affordable
      const r = CacheRecord.safeParse(safeJson(text))
      return r.success && r.data.key === key ? r.data : undefined
    },
    writeRecord(record) {
      atomicWrite(recordPath(record.key), JSON.stringify(record))
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
      atomicWrite(path, bytes)
      return entry
    },
    removeBlob(hash) {
      rmSync(blobPath(hash), { force: true })
    },
    listBlobs() {
      return files(blobs).filter((f) => !f.endsWith(TEMP_SUFFIX)).map((f) => basename(f))
    },
    listRecords() {
      return files(records)
        .filter((f) => f.endsWith(".json"))
        .flatMap((f) => {
          const st = statSync(f, { throwIfNoEntry: false })
          return st ? [{ key: basename(f, ".json"), mtimeMs: st.mtimeMs }] : []
        })
    },
    removeRecord(key) {
      rmSync(recordPath(key), { force: true })
    },
    touchRecord(key) {
      const now = new Date()
      try {
        utimesSync(recordPath(key), now, now)
      } catch {
        /* gone or read-only: gc may then age it by its write time, which only costs a recompute */
      }
    },
    listTemps() {
      // not cache/locks: a lease's temp file lives for microseconds and a failed write removes its own
      return [...files(blobs), ...files(records), ...files(cacheDir, false)]
        .filter((f) => f.endsWith(TEMP_SUFFIX))
        .flatMap((f) => {
          const st = statSync(f, { throwIfNoEntry: false })
          return st ? [{ path: f, mtimeMs: st.mtimeMs }] : []
        })
    },
    leaseFile(key) {
      return join(locks, `${key}.lease`)
    },
  }
}

/** files under `dir` (one level of fan-out subdirectories when `nested`) */
function files(dir: string, nested = true): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      if (nested) for (const f of readdirSync(p)) out.push(join(p, f))
    } else out.push(p)
  }
  return out
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
