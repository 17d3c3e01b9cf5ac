// `pipeline run`: plan, then execute (or, with --dry-run, say what would run and why).
import { plan, type Plan } from "../graph.js"
import { readLock } from "../lockfile.js"
import { parseAssignment } from "../params.js"
import { consoleReporter } from "../progress.js"
import { runPlan } from "../run.js"
import { inputRefs } from "../stage.js"
import { evaluate } from "../status.js"
import { workspace } from "../workspace.js"
import { UsageError, type Args } from "./args.js"
import type { Loaded } from "./main.js"

export function planFromArgs(loaded: Loaded, args: Args, defaultToSinks: boolean): Plan {
  let targets = args.positionals
  if (targets.length === 0) {
    if (!defaultToSinks) throw new UsageError(`name a target: pipeline ${args.command} <stage> (stages: ${loaded.pipeline.stages.map((s) => s.name).join(", ")})`)
    targets = sinks(loaded).map((s) => s.name)
  }
  const assignments = [...args.set.map((s) => parseAssignment(s, false)), ...args.sweep.map((s) => parseAssignment(s, true))]
  return plan(loaded.pipeline.stages, { targets, preset: presetOf(loaded, args), assignments })
}

/** `--preset`, checked against the presets the pipeline declares; else the pipeline's default ("": none). */
export function presetOf(loaded: Loaded, args: Args): string {
  const declared = loaded.pipeline.presets ?? []
  if (args.preset === undefined) return loaded.pipeline.defaultPreset ?? ""
  if (!declared.includes(args.preset))
    throw new UsageError(`unknown preset '${args.preset}' — ${declared.length ? `use one of ${declared.join(", ")}` : "this pipeline declares none"}`)
  return args.preset
}

/** Stages nothing else consumes: the default targets of status/dag. */
export function sinks(loaded: Loaded) {
  const consumed = new Set(loaded.pipeline.stages.flatMap((s) => inputRefs(s).map(([, r]) => (r._tag === "GatherRef" ? r.ref.stage : r.stage))))
  return loaded.pipeline.stages.filter((s) => !consumed.has(s))
}

export async function runCommand(loaded: Loaded, args: Args): Promise<number> {
  // no target: every sink, i.e. the whole DAG
  const p = planFromArgs(loaded, args, true)
  const ws = workspace(loaded.root, loaded.pipeline.data)
  if (args.dryRun) {
    const states = evaluate(p, ws, readLock(ws.lockFile), true)
    const stale = [...states.values()].filter((s) => !s.fresh)
    for (const s of stale) process.stdout.write(`would run ${s.node.id}: ${s.reasons.join("; ")}\n`)
    process.stdout.write(`${stale.length} of ${states.size} nodes would run (preset ${presetOf(loaded, args) || "none"})\n`)
    return 0
  }
  const t0 = Date.now()
  const summary = await runPlan(p, ws, { jobs: args.jobs, reporter: consoleReporter(), offline: args.offline })
  const line = `ran ${summary.ran.length}, cached ${summary.cached.length}, failed ${summary.failed.length}, skipped ${summary.skipped.length} of ${p.nodes.length} nodes in ${((Date.now() - t0) / 1000).toFixed(1)}s (preset ${presetOf(loaded, args) || "none"})`
  process.stderr.write(line + "\n")
  for (const f of summary.failed) process.stderr.write(`pipeline: ${f.error.message}\n`)
  if (summary.failed.length > 0) process.stderr.write(`pipeline: finished results are cached; fix the failure and run again to resume\n`)
  return summary.failed.length > 0 ? 1 : 0
}
