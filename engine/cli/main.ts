// `pipeline` CLI entry: load the pipeline definition, dispatch the command, map every user-facing
// failure to one line on stderr and an exit code (2: bad input, 1: a node or check failed).
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { ConfigError } from "../config.js"
import { BadData, BadParam, MissingData, UnknownTarget } from "../errors.js"
import { PlanError } from "../graph.js"
import { initHash } from "../hash.js"
import type { Pipeline } from "../pipeline.js"
import { projectRoot, toRuntime } from "../paths.js"
import { isStage } from "../stage.js"
import { parseArgs, UsageError, type Args } from "./args.js"
import { dagCommand, paramsCommand, showCommand, statusCommand } from "./inspect.js"
import { gcCommand, verifyCommand, verifyExpectedCommand } from "./maintain.js"
import { runCommand } from "./run.js"

export interface Loaded {
  readonly pipeline: Pipeline
  readonly root: string
}

/** The engine's commands: usage line, one-line summary, and what `help <command>` adds. */
const COMMANDS: Record<string, { usage: string; summary: string; details?: string }> = {
  run: {
    usage: "run [target…]",
    summary: "run targets (default: every sink) and all they need; cached nodes are reused",
    details: `  --preset NAME        a preset the pipeline declares (sizes only, never the code path)
  --set [stage.]k=v    set a param (of every stage that has it, or of one)
  --sweep [stage.]k=a,b,c  run a param over several values
  --jobs N             nodes at once (default: cores)
  --dry-run            say what would run and why, run nothing
  --offline            never download: name every missing data file and stop (exit 2)
  --executor local|slurm  where missed nodes compute (also PIPELINE_EXECUTOR, pipeline.config.json)
  --max-jobs N         cluster jobs at once (default 100)
  --resource stage.cpus|memGB|gpus|time=V  a stage's resources (see pipeline.config.json)
Missing data files of the whole plan are fetched before the first node starts.`,
  },
  status: { usage: "status [target…]", summary: "every stale node and why (param, input, code, data, cache)" },
  dag: { usage: "dag [target…]", summary: "the DAG as Mermaid (stages; --nodes for every node)" },
  params: { usage: "params <target…>", summary: "resolved params of each node" },
  show: { usage: "show <node|path>", summary: "lineage of a node or artifact: what produced it, from what" },
  verify: {
    usage: "verify [--expected FILE [--update]]",
    summary: "re-hash every artifact and blob in pipeline.lock; exit 1 naming mismatches",
    details: `  --expected FILE      also compare with committed hashes (exit 1 naming each artifact that moved)
  --update             with --expected: rewrite FILE from pipeline.lock`,
  },
  gc: { usage: "gc [--keep-days 7]", summary: "drop cache entries that pipeline.lock and recent runs do not use" },
  help: { usage: "help [command]", summary: "this text, or one command's (also: <command> --help)" },
  version: { usage: "version", summary: "the pipeline's version (also: --version)" },
}

const COMMON = `options of run, status, dag, params: --preset NAME  --set [stage.]k=v  --sweep [stage.]k=a,b,c
any command: --pipeline FILE (default: ./pipeline.ts)`

function helpText(loaded: Loaded | undefined, topic: string | undefined): string {
  const extra = loaded?.pipeline.commands ?? {}
  const presets = loaded?.pipeline.presets?.length ? `presets: ${loaded.pipeline.presets.join(", ")}; without --preset: ${loaded.pipeline.defaultPreset ?? "the stages' defaults"}\n` : ""
  if (topic) {
    const c = COMMANDS[topic]
    const x = extra[topic]
    if (c) return `usage: pipeline ${c.usage}\n${c.summary}\n${c.details ? c.details + "\n" : ""}${topic === "run" ? presets : ""}`
    if (x) return `usage: pipeline ${x.usage ?? topic}\n${x.summary}\n`
    throw new UsageError(`no command '${topic}' — see \`pipeline help\``)
  }
  const line = (usage: string, summary: string) => `  ${usage.padEnd(24)} ${summary}\n`
  return [
    "pipeline — a content-hashed workflow DAG\n\nusage: pipeline <command> [options]\n\n",
    ...Object.values(COMMANDS).map((c) => line(c.usage, c.summary)),
    ...Object.entries(extra).map(([name, c]) => line(`${name} …`, c.summary)),
    `\n${COMMON}\n${presets}\`pipeline help <command>\` for one command's options\n`,
  ].join("")
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version?: string }).version ?? "unknown"
  } catch {
    return "unknown"
  }
}

export async function loadPipeline(explicit?: string): Promise<Loaded> {
  // a file the user named must exist; only the defaults are searched
  const named = explicit ?? process.env.PIPELINE_FILE
  if (named !== undefined && !existsSync(resolve(named)))
    throw new UsageError(`pipeline file ${named} not found (${explicit !== undefined ? "--pipeline" : "PIPELINE_FILE"})`)
  const candidates = [named, resolve("pipeline.ts"), join(projectRoot, "pipeline.ts")]
  const file = candidates.find((f): f is string => Boolean(f) && existsSync(resolve(f!)))
  if (!file) throw new UsageError(`no pipeline.ts found (looked in ${process.cwd()}); pass --pipeline FILE`)
  const mod = (await import(pathToFileURL(toRuntime(resolve(file))).href)) as { default?: Pipeline; pipeline?: Pipeline }
  const pipeline = mod.default ?? mod.pipeline
  if (!pipeline || !Array.isArray(pipeline.stages) || !pipeline.stages.every(isStage))
    throw new UsageError(`${file} must export default definePipeline({ stages: [...] })`)
  return { pipeline, root: dirname(resolve(file)) }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args
  try {
    args = parseArgs(argv)
    if (args.command === "version") {
      process.stdout.write(`pipeline ${version()}\n`)
      return 0
    }
    if (args.command === "help") {
      const loaded = await loadPipeline(args.pipeline).catch((e) => {
        if (args.pipeline !== undefined) throw e
        return undefined // help works outside a project too
      })
      process.stdout.write(helpText(loaded, args.positionals[0]))
      return 0
    }
    await initHash()
    const loaded = await loadPipeline(args.pipeline)
    switch (args.command) {
      case "run":
        return await runCommand(loaded, args)
      case "status":
        return statusCommand(loaded, args)
      case "dag":
        return dagCommand(loaded, args)
      case "params":
        return paramsCommand(loaded, args)
      case "show":
        return showCommand(loaded, args)
      case "verify":
        if (args.expected !== undefined && args.update) return verifyExpectedCommand(loaded, args.expected, true)
        return Math.max(verifyCommand(loaded), args.expected !== undefined ? verifyExpectedCommand(loaded, args.expected, false) : 0)
      case "gc":
        return gcCommand(loaded, args)
    }
    const extra = loaded.pipeline.commands?.[args.command]
    if (!extra) throw new UsageError(`unknown command '${args.command}' — see \`pipeline help\``)
    return await extra.run(args.rest)
  } catch (e) {
    return reportError(e)
  }
}

/** One line per problem, no stack trace for anything a user can act on. */
export function reportError(e: unknown): number {
  const userError =
    e instanceof UsageError || e instanceof PlanError || e instanceof BadParam || e instanceof UnknownTarget || e instanceof MissingData || e instanceof BadData || e instanceof ConfigError
  const message = e instanceof Error ? e.message : String(e)
  process.stderr.write(`pipeline: ${message.split("\n")[0]}\n`)
  if (!userError && process.env.PIPELINE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`)
  return userError ? 2 : 1
}
