// Calling a stage's `run`: one code path for inline and worker execution. A stage may return a
// value, a Promise or an Effect; whatever it throws becomes the node's failure.
import * as Effect from "effect/Effect"
import { AsyncLocalStorage } from "node:async_hooks"
import type { ArtifactKind } from "../artifact.js"
import { openDataFiles, type DataSpec } from "../data.js"
import { pathToFileURL } from "node:url"
import { toRuntime } from "../paths.js"
import { inputRefs, isStage, type AnyStage, type RunContext } from "../stage.js"

export type EncodedInput = Uint8Array | { node: string; point: Record<string, unknown>; params: Record<string, unknown>; bytes: Uint8Array }[]

export function decodeInputs(stage: AnyStage, encoded: Record<string, EncodedInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, ref] of inputRefs(stage)) {
    const kind = (ref._tag === "GatherRef" ? ref.ref.kind : ref.kind) as ArtifactKind<unknown>
    const value = encoded[name]!
    out[name] = value instanceof Uint8Array ? kind.decode(value) : value.map((g) => ({ node: g.node, point: g.point, params: g.params, value: kind.decode(g.bytes) }))
  }
  return out
}

/** The node whose `run` is executing in this async context (read-guard tests, diagnostics). */
export const currentNode = new AsyncLocalStorage<string>()

/** The id of the node whose `run` this code is part of, if any. */
export const runningNode = (): string | undefined => currentNode.getStore()

export function invokeStage(stage: AnyStage, ctx: RunContext<any, any, any>): Promise<Record<string, unknown>> {
  return currentNode.run(ctx.node, async () => {
    const result = stage.run(ctx)
    if (Effect.isEffect(result)) return (await Effect.runPromise(result as Effect.Effect<Record<string, unknown>, unknown>)) as Record<string, unknown>
    return (await result) as Record<string, unknown>
  })
}

/**
 * One node from its encoded inputs to its encoded outputs: the single path that inline runs, worker
 * threads and cluster jobs share, so they produce the same bytes.
 */
export async function runNode(
  stage: AnyStage,
  job: { params: Record<string, unknown>; inputs: Record<string, EncodedInput>; data: DataSpec; node: string },
  cb: Pick<RunContext<any, any, any>, "progress" | "log">,
): Promise<Record<string, Uint8Array>> {
  const values = await invokeStage(stage, { params: job.params, inputs: decodeInputs(stage, job.inputs), data: openDataFiles(job.data), node: job.node, progress: cb.progress, log: cb.log })
  return encodeOutputs(stage, values)
}

export function encodeOutputs(stage: AnyStage, values: Record<string, unknown>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {}
  for (const [name, kind] of Object.entries(stage.outputs as Record<string, ArtifactKind<unknown>>)) {
    if (!(name in (values ?? {}))) throw new Error(`stage '${stage.name}' did not return its output '${name}'`)
    out[name] = kind.encode(values[name])
  }
  return out
}

/** A stage by its defining module and name, in a fresh module graph (worker thread, batch job). */
export async function loadStage(modulePath: string, stageName: string): Promise<AnyStage> {
  const mod = (await import(pathToFileURL(toRuntime(modulePath)).href)) as Record<string, unknown>
  const stage = Object.values(mod).find((x) => isStage(x) && x.name === stageName)
  if (!stage || !isStage(stage)) throw new Error(`module ${modulePath} does not export stage '${stageName}'`)
  return stage
}
