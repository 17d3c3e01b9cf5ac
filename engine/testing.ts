// Calling one stage directly, as Dagster's asset tests do: params parsed with the stage's schema
// (so defaults apply), inputs given as values, whatever `run` returns (value, Promise, Effect)
// awaited. No cache, no DAG.
import { invokeStage } from "./executors/invoke.js"
import type { AnyStage, OutputValues } from "./stage.js"

export async function runStage<S extends AnyStage>(
  s: S,
  opts: { params?: Record<string, unknown>; inputs?: Record<string, unknown>; onLog?: (m: string) => void } = {},
): Promise<OutputValues<S["outputs"]>> {
  const out = await invokeStage(s, {
    params: s.params.parse(opts.params ?? {}),
    inputs: opts.inputs ?? {},
    node: s.name,
    progress: () => {},
    log: opts.onLog ?? (() => {}),
  })
  return out as OutputValues<S["outputs"]>
}
