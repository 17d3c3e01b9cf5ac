// Incremental transpile of the project's TypeScript into .build/ (esbuild, one file at a time, no
// bundling, so every module keeps its identity and path). Only files newer than their output are
// redone; a run after an edit costs milliseconds. Type checking is `npm run typecheck`'s job.
import { transformSync } from "esbuild"
import fg from "fast-glob"
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, copyFileSync } from "node:fs"
import { dirname, join } from "node:path"

export function buildProject(root) {
  const out = join(root, ".build")
  const files = fg.sync(["**/*.ts", "**/*.mjs"], {
    cwd: root,
    ignore: ["**/node_modules/**", ".build/**", ".git/**", "**/cache/**", "**/artifacts/**", "**/*.test.ts", "**/*.d.ts", "bin/**", "vitest.config.ts"],
    dot: true,
  })
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
      const { code } = transformSync(readFileSync(src, "utf8"), { loader: "ts", format: "esm", target: "node20", sourcefile: src, sourcemap: "inline" })
      writeFileSync(tmp, code)
    }
    renameSync(tmp, dst)
    built++
  }
  return built
}
