// A workspace: the project root with its cache/, artifacts/ and pipeline.lock. Keys are computed
// here from a node's stage, code fingerprint, canonical params and input artifact hashes.
import { copyFileSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs"
import type { LockEntry } from "./lockfile.js"
import { dirname, join, relative, sep } from "node:path"
import { canonicalJson } from "./canonical.js"
import { projectData, type DataProvider, type DataRef, type DataSpec } from "./data.js"
import { MissingData } from "./errors.js"
import { fingerprint, type CodeFingerprint } from "./fingerprint.js"
import type { PlannedNode } from "./graph.js"
import { hashBytes, hashString } from "./hash.js"
import { lockPath } from "./lockfile.js"
import { dataRefs, type AnyStage } from "./stage.js"
import { atomicWrite, localStore, type CacheRecord, type OutputEntry, type Store } from "./store.js"

export interface Workspace {
  readonly root: string
  readonly artifactsDir: string
  readonly lockFile: string
  readonly store: Store
  code(stage: AnyStage): CodeFingerprint
  /** where declared data files live and how missing ones are obtained */
  readonly dataProvider: DataProvider
  /** the node's declared data files, by name */
  dataRefs(node: PlannedNode): [string, DataRef][]
  /** content hashes of the node's declared data files, by their path in the data directory (DATA_INPUT in its input hashes) */
  data(node: PlannedNode): { node: string; hash: string }[]
  /** the node's data handles as `run` gets them: resolved, and held to the hashes its key was made of */
  dataSpec(node: PlannedNode, keyed: readonly { node: string; hash: string }[]): DataSpec
  /** persist what was learnt this run (the data-file hash cache) */
  flush(): void
}

/** The pseudo-input under which data-file hashes enter a key and the lock. */
export const DATA_INPUT = "@data"

export function workspace(root: string, dataProvider: DataProvider = projectData(root)): Workspace {
  const codes = new Map<AnyStage, CodeFingerprint>()
  const cacheDir = join(root, "cache")
  const files = fileHashCache(join(cacheDir, "files.json"))
  const locate = (ref: DataRef) => join(dataProvider.dir(), ref.file)
  // a key names a data file by its path *inside* the data directory and its content, so an identical
  // copy of the data elsewhere gives the same keys
  const dataOf = (node: PlannedNode) =>
    dataRefs(node.stage, node.params).map(([name, ref]) => {
      const path = locate(ref)
      return { name, file: ref.file, path, hash: files.hash(path, ref.file) }
    })
  return {
    dataProvider,
    dataRefs: (node) => dataRefs(node.stage, node.params),
    data: (node) =>
      dataOf(node)
        .map((d) => ({ node: d.file, hash: d.hash }))
        .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
    dataSpec: (node, keyed) => {
      const hashOf = new Map(keyed.map((k) => [k.node, k.hash]))
      return Object.fromEntries(
        dataRefs(node.stage, node.params).map(([name, ref]) => {
          const hash = hashOf.get(ref.file)
          if (hash === undefined) throw new Error(`data file ${ref.file} of ${node.id} is not in its key`)
          return [name, { file: ref.file, path: locate(ref), hash }]
        }),
      )
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


/** path → content hash, re-hashed only when size, mtime or ctime moved (large data files, every run). */
function fileHashCache(file: string) {
  let entries: Record<string, { size: number; mtimeMs: number; ctimeMs?: number; hash: string }> | undefined
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
    hash(path: string, name: string): string {
      const st = statSync(path, { throwIfNoEntry: false })
      if (!st) throw new MissingData({ files: [name], hint: `not at ${path}; run again to fetch it` })
      const e = load()[path]
      // ctime too: a copy that keeps size and mtime (cp -p, touch -r) still moves it
      if (e && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs) return e.hash
      const hash = hashBytes(readFileSync(path))
      load()[path] = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, hash }
      dirty = true
      return hash
    },
    save() {
      if (dirty && entries) atomicWrite(file, JSON.stringify(entries))
      dirty = false
    },
  }
}
