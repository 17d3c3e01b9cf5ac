// Raw data as a declared input of a stage (Bazel's declared srcs, DVC's deps): a stage names the
// files it reads, relative to the data directory; the engine resolves them, keys the node by their
// *content* (never by where the data directory is), checks that every file of a plan is present
// before the first node starts, and hands `run` a handle per declared file, and nothing else of the
// data directory. Where the data directory is and how a missing file is obtained is the pipeline's
// business (a DataProvider); the engine knows no file, source or format.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { MissingData } from "./errors.js"
import { hashBytes } from "./hash.js"

/** Where a file comes from, as far as the engine passes it on (the provider reads the rest). */
export interface DataSource {
  readonly url?: string
  readonly sha256?: string
  readonly size?: number
}

/** A data file a stage declares: a path relative to the data directory, with its source if known. */
export interface DataRef {
  readonly _tag: "DataRef"
  readonly file: string
  readonly source?: DataSource
}

export const dataRef = (file: string, source?: DataSource): DataRef => ({ _tag: "DataRef", file, ...(source ? { source } : {}) })

/**
 * A declared data file as `run` sees it. `bytes()` re-hashes what it read and refuses content that
 * differs from what keyed the node (the file was replaced mid-run), so a result never comes from
 * bytes its key does not name. `path` is for error messages (BadData names the file).
 */
export interface DataFile {
  readonly file: string
  readonly path: string
  readonly hash: string
  bytes(): Buffer
  text(): string
}

/** What a stage's `data` declaration resolves to in `run`. */
export type DataFiles<D> = { [K in keyof D]: D[K] extends DataRef ? DataFile : D[K] extends DataRef | undefined ? DataFile | undefined : never }

/** The serialisable form of a node's data handles (to a worker thread and back into DataFiles). */
export type DataSpec = Record<string, { file: string; path: string; hash: string }>

export function openDataFiles(spec: DataSpec): Record<string, DataFile> {
  return Object.fromEntries(Object.entries(spec).map(([name, s]) => [name, dataFile(s.file, s.path, s.hash)]))
}

export function dataFile(file: string, path: string, hash: string): DataFile {
  const bytes = () => {
    const b = readFileSync(path)
    const got = hashBytes(b)
    if (got !== hash) throw new Error(`data file ${file} changed while the run was using it (${path}) — run again`)
    return b
  }
  return { file, path, hash, bytes, text: () => bytes().toString("utf8") }
}

/** A file the provider could not obtain, and why (offline, no known source, unreachable…). */
export interface Unobtainable {
  readonly file: string
  readonly why: string
}

/**
 * The pipeline's data service: where declared files live, and how missing ones are obtained
 * (download with resume and checksum, say). Without one, files are relative to the project root.
 */
export interface DataProvider {
  readonly dir: () => string
  /** Obtain these missing files; returns those it could not. Not called with `offline`. */
  readonly obtain?: (missing: readonly DataRef[]) => Promise<readonly Unobtainable[]>
  /** The one command that gets these files, named in the refusal (undefined: none does). */
  readonly fetchCommand?: (missing: readonly DataRef[]) => string | undefined
}

export const projectData = (root: string): DataProvider => ({ dir: () => root })

/**
 * Before anything runs: every declared file of every node present, or obtained now; otherwise one
 * MissingData naming all that are missing and the command that gets them (nothing has been written).
 */
export async function ensureData(refs: Iterable<DataRef>, provider: DataProvider, options: { offline?: boolean } = {}): Promise<void> {
  const dir = provider.dir()
  const unique = new Map<string, DataRef>()
  for (const r of refs) if (!unique.has(r.file)) unique.set(r.file, r)
  const absent = () => [...unique.values()].filter((r) => !existsSync(join(dir, r.file)))
  const missing = absent()
  if (missing.length === 0) return
  let why = options.offline ? "--offline" : "no way to fetch them"
  if (!options.offline && provider.obtain) {
    const failed = await provider.obtain(missing)
    const reasons = [...new Set(failed.map((f) => f.why))]
    if (reasons.length > 0) why = reasons.join("; ")
  }
  const still = absent()
  if (still.length === 0) return
  const files = still.map((r) => r.file).sort()
  const command = provider.fetchCommand?.(still)
  const them = files.length > 1 ? "them" : "it"
  throw new MissingData({ files, hint: `not in ${dir} (${why}); ${command ? `get ${them} with \`${command}\`` : `put ${them} there`}, then run again` })
}
