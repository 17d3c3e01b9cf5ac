// Incremental transpile of the project's TypeScript into .build/ (esbuild, one file at a time, no
// bundling, so every module keeps its identity and path). Only files newer than their output are
// redone; a run after an edit costs milliseconds. Type checking is `npm run typecheck`'s job.
// This runs before every CLI call, so it walks the tree with readdirSync (a few ms) rather than loading
// a glob library, and loads esbuild only when a file is stale.
import { createRequire } from "node:module"
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"

const SKIP_DIRS = new Set(["node_modules", ".build", ".git", "cache", "artifacts", "bin"])
const SKIP_FILES = /(\.test\.ts|\.d\.ts)$|^vitest\.config\.ts$/

/** project-relative paths of the .ts/.mjs sources to build */
function sources(root, rel = "", out = []) {
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) sources(root, path, out)
    } else if ((e.name.endsWith(".ts") || e.name.endsWith(".mjs")) && !SKIP_FILES.test(e.name)) out.push(path)
  }
  return out
}

let esbuild
const transform = (code, options) => (esbuild ??= createRequire(import.meta.url)("esbuild")).transformSync(code, options)

export function buildProject(root) {
  const out = join(root, ".build")
  const files = sources(root)
  let built = 0
  for (const rel of files) {
    const src = join(root, rel)
    const dst = join(out, rel.replace(/\.ts$/, ".js"))
    let stale = true
    try {
      stale = statSync(dst).mtimeMs < statSync(src).mtimeMs
    } catch {
      /* not built yet */
    }
    if (!stale) continue
    mkdirSync(dirname(dst), { recursive: true })
    const tmp = `${dst}.${process.pid}.tmp`
    if (rel.endsWith(".mjs")) copyFileSync(src, tmp)
    else {
      const { code } = transform(readFileSync(src, "utf8"), { loader: "ts", format: "esm", target: "node20", sourcefile: src, sourcemap: "inline" })
      writeFileSync(tmp, code)
    }
    renameSync(tmp, dst)
    built++
  }
  return built
}
