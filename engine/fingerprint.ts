// Code fingerprint of a stage: its declared version plus the xxhash of the source of the module
// that defines it and of every project-local module that module imports (transitively), so an
// edit to a stage or to the numerics it calls invalidates exactly the stages that use it.
// Imports of other stages' modules are not followed (their effect arrives as input hashes).
// Not tracked: npm dependencies (pin them in package-lock.json), the engine itself (it does not
// change results), data read from outside the DAG, and environment variables.
import { readFileSync } from "node:fs"
import { dirname, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { hashString } from "./hash.js"
import { toSource } from "./paths.js"
import { stageModules } from "./stage.js"

const engineDir = dirname(toSource(fileURLToPath(import.meta.url)).replace(/\.js$/, ".ts"))
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g

export interface CodeFingerprint {
  readonly hash: string
  /** project-relative path → source hash, so `status` can say which file changed */
  readonly files: Readonly<Record<string, string>>
}

const fileHashCache = new Map<string, { hash: string; imports: string[] }>()

function scan(file: string): { hash: string; imports: string[] } {
  const cached = fileHashCache.get(file)
  if (cached) return cached
  const source = readFileSync(file, "utf8")
  const imports: string[] = []
  for (const m of source.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!
    imports.push(resolveTs(resolve(dirname(file), spec)))
  }
  const entry = { hash: hashString(source), imports }
  fileHashCache.set(file, entry)
  return entry
}

/** `./x.js` in TS source means `./x.ts` on disk. */
function resolveTs(path: string): string {
  return path.endsWith(".js") ? path.slice(0, -3) + ".ts" : path
}

export function fingerprint(modules: readonly string[], version: string, root: string): CodeFingerprint {
  const files: Record<string, string> = {}
  const stack = [...modules]
  const seen = new Set<string>()
  while (stack.length > 0) {
    const file = stack.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    if (file.startsWith(engineDir + "/") || file.includes("/node_modules/")) continue
    if (!modules.includes(file) && stageModules.has(file)) continue
    let entry
    try {
      entry = scan(file)
    } catch {
      continue // JSON imports or generated files: not source we can hash
    }
    files[relative(root, file)] = entry.hash
    stack.push(...entry.imports)
  }
  const sorted = Object.keys(files).sort()
  const hash = hashString(version + "\0" + sorted.map((f) => `${f}:${files[f]}`).join("\n"))
  return { hash, files: Object.fromEntries(sorted.map((f) => [f, files[f]!])) }
}

/** Forget cached source hashes (long-lived processes, tests that edit modules). */
export const clearFingerprintCache = () => fileHashCache.clear()
