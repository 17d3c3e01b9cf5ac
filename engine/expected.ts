// Expected artifact hashes, committed beside the pipeline (as DVC commits dvc.lock): per node and output the
// hash a run from an empty cache must produce. `verify --expected FILE` compares pipeline.lock with it and
// names every artifact that moved; `--update` rewrites it from pipeline.lock, so a change meant to alter
// results carries the new hashes and `git diff` shows which artifacts moved. Outputs known not to be
// bit-reproducible across machines are listed per stage with the reason, and skipped.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { z } from "zod"
import { canonicalJson } from "./canonical.js"
import type { LockFile } from "./lockfile.js"

export const ExpectedHashes = z.object({
  version: z.literal(1),
  /** how the hashes were made, for the reader (e.g. the run command) */
  run: z.string(),
  /** the one command that regenerates this file */
  regenerate: z.string(),
  /** stage → output → why it is not compared */
  unreproducible: z.record(z.record(z.string())).default({}),
  /** node → output → hash */
  artifacts: z.record(z.record(z.string())),
})
export type ExpectedHashes = z.infer<typeof ExpectedHashes>

export function readExpected(file: string): ExpectedHashes {
  if (!existsSync(file)) throw new Error(`${file} not found — create it with \`pipeline verify --expected ${file} --update\` after a run from an empty cache`)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message})`)
  }
  const r = ExpectedHashes.safeParse(raw)
  if (!r.success) throw new Error(`${file} is not an expected-hashes file: ${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`)
  return r.data
}

export interface Comparison {
  problems: string[]
  compared: number
  skipped: { node: string; output: string; why: string }[]
}

/** Every artifact in `lock` against `expected`: moved, missing from either side, or skipped (with why). */
export function compareExpected(lock: LockFile, expected: ExpectedHashes, file: string): Comparison {
  const problems: string[] = []
  const skipped: Comparison["skipped"] = []
  let compared = 0
  for (const [node, e] of Object.entries(lock.nodes).sort(([a], [b]) => a.localeCompare(b)))
    for (const [output, o] of Object.entries(e.outputs)) {
      const why = expected.unreproducible[e.stage]?.[output]
      if (why !== undefined) {
        skipped.push({ node, output, why })
        continue
      }
      const want = expected.artifacts[node]?.[output]
      if (want === undefined) problems.push(`artifact ${node} → ${output} is not in ${file} (a new artifact? regenerate: ${expected.regenerate})`)
      else {
        compared++
        if (want !== o.hash) problems.push(`artifact ${node} → ${output} moved: produced ${o.hash}, ${file} has ${want}`)
      }
    }
  for (const [node, outputs] of Object.entries(expected.artifacts))
    for (const output of Object.keys(outputs))
      if (!lock.nodes[node]?.outputs[output]) problems.push(`artifact ${node} → ${output} is in ${file} but was not produced`)
  return { problems, compared, skipped }
}

/** `expected` with its artifacts replaced by what `lock` holds (unreproducible outputs left out). */
export function updatedExpected(lock: LockFile, expected: ExpectedHashes): ExpectedHashes {
  const artifacts: Record<string, Record<string, string>> = {}
  for (const [node, e] of Object.entries(lock.nodes))
    for (const [output, o] of Object.entries(e.outputs))
      if (expected.unreproducible[e.stage]?.[output] === undefined) (artifacts[node] ??= {})[output] = o.hash
  return { ...expected, artifacts }
}

export function writeExpected(file: string, expected: ExpectedHashes): void {
  // canonical JSON: sorted keys, one line per entry, so `git diff` shows exactly the artifacts that moved
  writeFileSync(file, canonicalJson(expected, 1) + "\n")
}
