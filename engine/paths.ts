// The CLI runs the project's TypeScript as plain ESM transpiled into .build/ (bin/build.mjs): going
// through a loader hook costs seconds of startup on this size of project. Stage module paths are
// always reported as the .ts sources (what is hashed and what people read).
import { existsSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(import.meta.url)
export const BUILD_DIR = ".build"
export const isBuilt = here.includes(`${sep}${BUILD_DIR}${sep}`)
export const projectRoot = resolve(dirname(here), isBuilt ? "../.." : "..")
const buildRoot = join(projectRoot, BUILD_DIR)

/** .build/x/y.js → x/y.ts (when that source exists); anything else unchanged. */
export function toSource(file: string): string {
  if (!file.startsWith(buildRoot + sep)) return file
  const src = join(projectRoot, relative(buildRoot, file)).replace(/\.js$/, ".ts")
  return existsSync(src) ? src : file
}

/** x/y.ts → .build/x/y.js when running built; unchanged otherwise. */
export function toRuntime(file: string): string {
  if (!isBuilt || !file.endsWith(".ts") || !file.startsWith(projectRoot + sep) || file.includes(`${sep}node_modules${sep}`)) return file
  return join(buildRoot, relative(projectRoot, file)).replace(/\.ts$/, ".js")
}
