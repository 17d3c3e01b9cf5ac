// A workspace: the project root with its cache/, artifacts/ and pipeline.lock. Keys are computed
// here from a node's stage, code fingerprint, canonical params and input artifact hashes.
import { copyFileSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { canonicalJson } from "./canonical.js"
import { fingerprint, type CodeFingerprint } from "./fingerprint.js"
import type { PlannedNode } from "./graph.js"
import { hashBytes, hashString } from "./hash.js"
import { lockPath } from "./lockfile.js"
import type { AnyStage } from "./stage.js"
import { atomicWrite, localStore, type OutputEntry, type Store } from "./store.js"

export interface Workspace {
  readonly root: string
  readonly artifactsDir: string
  readonly lockFile: string
  readonly store: Store
  code(stage: AnyStage): CodeFingerprint
  /** content hashes of the node's declared data files (DATA_INPUT in its input hashes) */
  data(node: PlannedNode): { node: string; hash: string }[]
  /** persist what was learnt this run (the data-file hash cache) */
  flush(): void
}

/** The pseudo-input under which data-file hashes enter a key and the lock. */
export const DATA_INPUT = "@data"

export function workspace(root: string): Workspace {
  const codes = new Map<AnyStage, CodeFingerprint>()
  const cacheDir = join(root, "cache")
  const files = fileHashCache(join(cacheDir, "files.json"))
  return {
    data(node) {
      const list = node.stage.dataFiles?.(node.params) ?? []
      return [...list].sort().map((f) => ({ node: relative(root, f).startsWith("..") ? f : relative(root, f), hash: files.hash(f) }))
    },
    flush: () => files.save(),
    root,
    artifactsDir: join(root, "artifacts"),
    lockFile: lockPath(root),
    store: localStore(cacheDir),
    code(stage) {
      let c = codes.get(stage)
      if (!c) codes.set(stage, (c = fingerprint(stage.codeModules, stage.version, root)))
      return c
    },
  }
}

export type InputHashes = Record<string, { node: string; hash: string }[]>

/** The cache key: what was run (stage + code), with what (params), on what (input content). */
export function nodeKey(node: PlannedNode, code: CodeFingerprint, inputs: InputHashes): string {
  return hashString(canonicalJson({ stage: node.stage.name, code: code.hash, params: node.params, inputs }))
}

export function artifactPath(ws: Workspace, node: PlannedNode, output: string): string {
  const ext = node.stage.outputs[output]!.ext
  // stage names, grid paths (made path-safe by the planner) and output names need no path.join
  const dir = node.gridPath ? `${ws.artifactsDir}${sep}${node.stage.name}${sep}${node.gridPath}` : `${ws.artifactsDir}${sep}${node.stage.name}`
  return `${dir}${sep}${output}${ext ? "." + ext : ""}`
}

/**
 * Put a blob at its human-facing path (a reflink where the filesystem can) unless an intact copy is
 * there: one with the size and mtime it had when last checked (`trustedMtimeMs`) is trusted; one of
 * the right size but another mtime is re-hashed; anything else is replaced. So a byte flipped in
 * artifacts/ is repaired by the next run. Returns the path and the artifact's mtime to trust next time.
 */
export function materialize(ws: Workspace, node: PlannedNode, output: string, entry: OutputEntry, trustedMtimeMs?: number): { path: string; mtimeMs: number } {
  const path = artifactPath(ws, node, output)
  const st = statSync(path, { throwIfNoEntry: false })
  if (st?.isFile() && st.size === entry.size && (st.mtimeMs === trustedMtimeMs || hashBytes(readFileSync(path)) === entry.hash)) return { path, mtimeMs: st.mtimeMs }
  mkdirSync(dirname(path), { recursive: true })
  if (st) rmSync(path, { recursive: true, force: true }) // a hard link or reflink is replaced, never written through
  copyFileSync(ws.store.blobPath(entry.hash), path, constants.COPYFILE_FICLONE)
  return { path, mtimeMs: statSync(path).mtimeMs }
}

/** path → content hash, re-hashed only when size or mtime moved (large data files, every run). */
function fileHashCache(file: string) {
  let entries: Record<string, { size: number; mtimeMs: number; hash: string }> | undefined
  let dirty = false
  const load = () => {
    if (entries) return entries
    try {
      entries = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}
    } catch {
      entries = {} // a corrupt hash cache only costs re-hashing
    }
    return entries!
  }
  return {
    hash(path: string): string {
      const st = statSync(path, { throwIfNoEntry: false })
      if (!st) throw new Error(`data file ${path} is missing`)
      const e = load()[path]
      if (e && e.size === st.size && e.mtimeMs === st.mtimeMs) return e.hash
      const hash = hashBytes(readFileSync(path))
      load()[path] = { size: st.size, mtimeMs: st.mtimeMs, hash }
      dirty = true
      return hash
    },
    save() {
      if (dirty && entries) atomicWrite(file, JSON.stringify(entries))
      dirty = false
    },
  }
}
