// `pipeline run`: plan, then execute (or, with --dry-run, say what would run and why).
import { plan, type Plan } from "../graph.js"
import { readLock } from "../lockfile.js"
import { parseAssignment } from "../params.js"
import { consoleReporter } from "../progress.js"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { chooseExecutor, ConfigError, readProjectConfig, type ExecutorChoice } from "../config.js"
import type { Executor } from "../executors/executor.js"
import { localExecutor } from "../executors/local.js"
import { slurmExecutor } from "../executors/slurm.js"
import { resolveResources } from "../resources.js"
import { RunInterrupted, runPlan } from "../run.js"
import type { Workspace } from "../workspace.js"
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
  const executor = makeExecutor(loaded, args, ws)
  if (executor.preflight) {
    const checked = await Effect.runPromiseExit(executor.preflight(p.nodes))
    if (Exit.isFailure(checked)) throw Cause.squash(checked.cause)
  }
  const t0 = Date.now()
  // Ctrl-C: interrupt the run (a cluster executor cancels what it submitted), keep what finished;
  // a second Ctrl-C kills at once
  const abort = new AbortController()
  const onSigint = () => {
    process.stderr.write(`\npipeline: interrupted — stopping (Ctrl-C again to kill)\n`)
    abort.abort()
  }
  process.once("SIGINT", onSigint)
  let summary: Awaited<ReturnType<typeof runPlan>>
  try {
    summary = await runPlan(p, ws, { executor, reporter: consoleReporter(), signal: abort.signal, offline: args.offline })
  } catch (e) {
    if (!(e instanceof RunInterrupted)) throw e
    process.stderr.write(`pipeline: interrupted; finished nodes are cached — run again to resume\n`)
    return 130
  } finally {
    process.removeListener("SIGINT", onSigint)
  }
  const line = `ran ${summary.ran.length}, cached ${summary.cached.length}, failed ${summary.failed.length}, skipped ${summary.skipped.length} of ${p.nodes.length} nodes in ${((Date.now() - t0) / 1000).toFixed(1)}s (preset ${presetOf(loaded, args) || "none"})`
  process.stderr.write(line + "\n")
  for (const f of summary.failed) process.stderr.write(`pipeline: ${f.error.message}\n`)
  if (summary.failed.length > 0) process.stderr.write(`pipeline: finished results are cached; fix the failure and run again to resume\n`)
  return summary.failed.length > 0 ? 1 : 0
}

/** The executor this run uses: --executor, else PIPELINE_EXECUTOR, else pipeline.config.json, else local. */
export function executorChoice(loaded: Loaded, args: Args): ExecutorChoice {
  const choice = chooseExecutor(readProjectConfig(loaded.root), args)
  const names = new Set(loaded.pipeline.stages.map((s) => s.name))
  for (const stage of choice.resources.keys())
    if (!names.has(stage)) throw new ConfigError({ problem: `resources for unknown stage '${stage}' — known stages: ${[...names].join(", ")}` })
  return choice
}

function makeExecutor(loaded: Loaded, args: Args, ws: Workspace): Executor {
  const choice = executorChoice(loaded, args)
  if (choice.executor === "local") return localExecutor(ws, { jobs: args.jobs })
  return slurmExecutor(ws, {
    config: choice.slurm,
    maxJobs: choice.maxJobs,
    resourcesOf: (node) => resolveResources(node.stage.resources, presetOf(loaded, args), ...(choice.resources.get(node.stage.name) ?? [])),
  })
}
