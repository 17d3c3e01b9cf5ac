// A pipeline is the list of stages (the DAG is implied by their inputs), the preset names its stages
// may use, the data provider that locates and obtains their raw data, plus extra CLI commands that a
// domain may add (e.g. `fetch`, `doctor`); the engine knows nothing of what they do.
import type { DataProvider } from "./data.js"
import { inputRefs, type AnyStage } from "./stage.js"

export interface PipelineCommand {
  readonly summary: string
  readonly usage?: string
  /** Returns the process exit code. Throw an Error with a one-line message for user errors. */
  readonly run: (args: readonly string[]) => Promise<number>
}

export interface Pipeline {
  readonly stages: readonly AnyStage[]
  /** preset names (sizes of the same computation); a stage's `presets` may use only these */
  readonly presets?: readonly string[]
  /** the preset a run uses without `--preset` (none: the stages' defaults) */
  readonly defaultPreset?: string
  /** where declared data files live and how missing ones are fetched (default: the project root) */
  readonly data?: DataProvider
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
  const presets = p.presets ?? []
  if (p.defaultPreset !== undefined && !presets.includes(p.defaultPreset))
    throw new Error(`default preset '${p.defaultPreset}' is not among the declared presets (${presets.join(", ") || "none"})`)
  for (const s of seen.values())
    for (const name of Object.keys(s.presets ?? {}))
      if (!presets.includes(name)) throw new Error(`stage '${s.name}' has preset '${name}', which the pipeline does not declare (${presets.join(", ") || "none"})`)
  return { ...p, stages: [...seen.values()] }
}
