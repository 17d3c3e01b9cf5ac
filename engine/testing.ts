// Calling one stage directly, as Dagster's asset tests do: params parsed with the stage's schema
// (so defaults apply), inputs given as values, declared data files read from `dataDir`, whatever
// `run` returns (value, Promise, Effect) awaited. No cache, no DAG.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { dataFile } from "./data.js"
import { MissingData } from "./errors.js"
import { invokeStage } from "./executors/invoke.js"
import { hashBytes, initHash } from "./hash.js"
import { dataRefs, type AnyStage, type OutputValues } from "./stage.js"

export async function runStage<S extends AnyStage>(
  s: S,
  opts: { params?: Record<string, unknown>; inputs?: Record<string, unknown>; dataDir?: string; onLog?: (m: string) => void } = {},
): Promise<OutputValues<S["outputs"]>> {
  await initHash()
  const params = s.params.parse(opts.params ?? {})
  const refs = dataRefs(s, params)
  if (refs.length > 0 && opts.dataDir === undefined) throw new Error(`stage '${s.name}' declares data files: pass dataDir`)
  const missing = refs.filter(([, ref]) => !existsSync(join(opts.dataDir!, ref.file))).map(([, ref]) => ref.file)
  if (missing.length > 0) throw new MissingData({ files: missing, hint: `not in ${opts.dataDir}` })
  const data = Object.fromEntries(
    refs.map(([name, ref]) => {
      const path = join(opts.dataDir!, ref.file)
      return [name, dataFile(ref.file, path, hashBytes(readFileSync(path)))]
    }),
  )
  const out = await invokeStage(s, { params, inputs: opts.inputs ?? {}, data, node: s.name, progress: () => {}, log: opts.onLog ?? (() => {}) })
  return out as OutputValues<S["outputs"]>
}
