// Where the real data lives: PIPELINE_DATA_DIR, else a per-user cache directory (XDG).
// Read once at the CLI boundary and passed into stages as a param-free service would be:
// the data *content* is hashed through the stages that read it, so the path itself is not a key.
import { existsSync } from "node:fs"
import { homedir } from "node:os"
import { join, resolve } from "node:path"
import { MissingData } from "../engine/errors.js"

export function dataDir(): string {
  const env = process.env.PIPELINE_DATA_DIR
  if (env) return resolve(env)
  const xdg = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache")
  return join(xdg, "pipeline", "data")
}

/** Absolute path of a file under the data dir; a one-line MissingData error says which fetch to run. */
export function dataFile(relative: string, fetchHint = "npx pipeline fetch"): string {
  const file = join(dataDir(), relative)
  if (!existsSync(file)) throw new MissingData({ file, hint: `run \`${fetchHint}\` (or set PIPELINE_DATA_DIR)` })
  return file
}
