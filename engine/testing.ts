// Calling one stage directly, as Dagster's asset tests do: params parsed with the stage's schema
// (so defaults apply), inputs given as values, whatever `run` returns (value, Promise, Effect)
// awaited. No cache, no DAG.
import { invokeStage } from "./executors/invoke.js"
import type { OutputValues, ResolvedInputs, Stage } from "./stage.js"
import type { ArtifactKind } from "./artifact.js"
import type { InputRef } from "./stage.js"
import type { z } from "zod"

export async function runStage<P extends z.ZodObject<any>, I extends Record<string, InputRef>, O extends Record<string, ArtifactKind<any>>>(
  s: Stage<P, I, O>,
  opts: { params?: Partial<z.input<P>>; inputs?: ResolvedInputs<I>; onLog?: (m: string) => void } = {},
): Promise<OutputValues<O>> {
  const params = s.params.parse(opts.params ?? {})
  const out = await invokeStage(s as never, {
    params,
    inputs: (opts.inputs ?? {}) as never,
    node: s.name,
    progress: () => {},
    log: opts.onLog ?? (() => {}),
  })
  return out as OutputValues<O>
}
