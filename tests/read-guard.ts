// Bazel's sandbox idea for the test suite: while nodes run (in-process: heavy stages inline), every
// read of a file under the data directory is recorded with the node whose `run` made it (the engine's
// async-local `currentNode`), so a test can fail on any read that the node did not declare. Reads
// outside a node (the engine hashing declared files) are not the node's and are not recorded.
import fs from "node:fs"
import { syncBuiltinESMExports } from "node:module"
import { isAbsolute, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { currentNode } from "../engine/executors/invoke.js"
import type { Plan } from "../engine/graph.js"
import type { Workspace } from "../engine/workspace.js"

export interface DataRead {
  readonly node: string
  /** path inside the data directory it was read from */
  readonly file: string
  /** false: read from another copy of the data (not through the node's handles) */
  readonly inDataDir: boolean
  readonly via: string
}

type Patchable = "readFileSync" | "openSync" | "createReadStream" | "readFile" | "open"

/**
 * Record reads under `dataDir` (and under `otherCopies` of the data, e.g. a mirror a stray env var
 * points at) by node until `stop()`; patches node:fs for every importer (ESM included).
 */
export function recordDataReads(dataDir: string, otherCopies: readonly string[] = []): { readonly reads: DataRead[]; stop(): void } {
  const roots = [resolve(dataDir), ...otherCopies.map((d) => resolve(d))]
  const reads: DataRead[] = []
  const note = (via: string, p: unknown) => {
    const node = currentNode.getStore()
    if (node === undefined) return
    if (typeof p !== "string" && !(p instanceof URL) && !Buffer.isBuffer(p)) return // a file descriptor: its open was seen
    const abs = resolve(p instanceof URL ? fileURLToPath(p) : String(p))
    roots.some((root, i) => {
      const rel = relative(root, abs)
      if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return false
      reads.push({ node, file: rel.split("\\").join("/"), inDataDir: i === 0, via })
      return true
    })
  }
  const mutableFs = fs as unknown as Record<Patchable, (...args: unknown[]) => unknown>
  const promises = fs.promises as unknown as Record<"readFile" | "open", (...args: unknown[]) => unknown>
  const saved = new Map<string, (...args: unknown[]) => unknown>()
  const wrap = (target: Record<string, (...args: unknown[]) => unknown>, name: string, label: string) => {
    const orig = target[name]!
    saved.set(label, orig)
    target[name] = function (this: unknown, ...args: unknown[]) {
      note(label, args[0])
      return orig.apply(this, args)
    }
  }
  for (const name of ["readFileSync", "openSync", "createReadStream", "readFile", "open"] as const) wrap(mutableFs, name, name)
  for (const name of ["readFile", "open"] as const) wrap(promises, name, `promises.${name}`)
  syncBuiltinESMExports()
  return {
    reads,
    stop() {
      for (const name of ["readFileSync", "openSync", "createReadStream", "readFile", "open"] as const) mutableFs[name] = saved.get(name)!
      for (const name of ["readFile", "open"] as const) promises[name] = saved.get(`promises.${name}`)!
      syncBuiltinESMExports()
    },
  }
}

/** Reads a node made of data files it did not declare ("node → file"), sorted and deduplicated (readFileSync opens too). */
export function undeclaredReads(plan: Plan, ws: Workspace, reads: readonly DataRead[]): string[] {
  const declared = new Map(plan.nodes.map((n) => [n.id, new Set(ws.dataRefs(n).map(([, r]) => r.file))]))
  const bad = reads
    .filter((r) => !r.inDataDir || !declared.get(r.node)?.has(r.file))
    .map((r) => `${r.node} → ${r.file}${r.inDataDir ? "" : " (another copy of the data)"}`)
  return [...new Set(bad)].sort()
}
