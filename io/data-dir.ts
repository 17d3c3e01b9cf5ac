// Where the real data lives: PIPELINE_DATA_DIR, else a per-user cache directory (XDG). Stages never
// read it themselves: they declare `dataInput(file)`s (a path inside the data dir, with the source and
// checksum the fetch manifest gives it) and parse the handles the engine gives their `run`. The data
// *content* keys a node, so the location is not in any key.
import { createHash } from "node:crypto"
import { existsSync, readFileSync } from "node:fs"
import { homedir } from "node:os"
import { join, resolve } from "node:path"
import { dataRef, runningNode, type DataFile, type DataRef } from "../engine/index.js"
import { BadData, MissingData } from "../engine/errors.js"
import { manifestEntry } from "./fetch-manifest.js"

export function dataDir(): string {
  const env = process.env.PIPELINE_DATA_DIR
  if (env) return resolve(env)
  const xdg = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache")
  return join(xdg, "pipeline", "data")
}

/** A data file a stage declares: its path in the data dir, with its official source and sha256 when the manifest has them. */
export function dataInput(file: string): DataRef {
  const e = manifestEntry(file)
  return dataRef(file, e ? { ...(e.url ? { url: e.url } : {}), ...(e.sha256 ? { sha256: e.sha256 } : {}), ...(e.size ? { size: e.size } : {}) } : undefined)
}

/**
 * Outside a run (tests, benchmarks, notebooks): a handle on a file of the data dir, the same kind a
 * stage's `run` gets. Inside a node's `run` it refuses: the file would be read without being in the
 * key. (A raw fs read there is caught by the read guard of tests/hermetic.test.ts.)
 */
export function openDataFile(file: string, fetchHint = "npx pipeline fetch"): DataFile {
  const node = runningNode()
  if (node !== undefined) throw new Error(`${node} reads data file ${file} without declaring it: add it to the stage's \`data\``)
  const path = join(dataDir(), file)
  if (!existsSync(path)) throw new MissingData({ files: [file], hint: `not in ${dataDir()}; run \`${fetchHint}\` (or set PIPELINE_DATA_DIR)` })
  const bytes = () => readFileSync(path)
  return { file, path, hash: createHash("sha256").update(bytes()).digest("hex"), bytes, text: () => bytes().toString("utf8") }
}

/** JSON of a data file; BadData naming the file when it is not JSON (a truncated download, say). */
export function parseJsonFile(f: DataFile, text = f.text()): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new BadData({ file: f.path, problem: `not valid JSON (${(e as Error).message.split("\n")[0]})` })
  }
}
