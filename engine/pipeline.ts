// A pipeline is the list of stages (the DAG is implied by their inputs) plus extra CLI commands
// that a domain may add (e.g. `fetch`, `doctor`); the engine knows nothing of what they do.
import { inputRefs, type AnyStage } from "./stage.js"

export interface PipelineCommand {
  readonly summary: string
  readonly usage?: string
  /** Returns the process exit code. Throw an Error with a one-line message for user errors. */
  readonly run: (args: readonly string[]) => Promise<number>
}

export interface Pipeline {
  readonly stages: readonly AnyStage[]
  readonly commands?: Readonly<Record<string, PipelineCommand>>
}

export function definePipeline(p: Pipeline): Pipeline {
  const seen = new Map<string, AnyStage>()
  const visit = (s: AnyStage) => {
    const prev = seen.get(s.name)
    if (prev && prev !== s) throw new Error(`two different stages are named '${s.name}'`)
    if (prev) return
    seen.set(s.name, s)
    for (const [, ref] of inputRefs(s)) visit(ref._tag === "GatherRef" ? ref.ref.stage : ref.stage)
  }
  p.stages.forEach(visit)
  return { ...p, stages: [...seen.values()] }
}
