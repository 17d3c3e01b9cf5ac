// `pipeline` CLI entry: load the pipeline definition, dispatch the command, map every user-facing
// failure to one line on stderr and an exit code (2: bad input, 1: a node or check failed).
import { existsSync } from "node:fs"
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
import { gcCommand, verifyCommand } from "./maintain.js"
import { runCommand } from "./run.js"

export interface Loaded {
  readonly pipeline: Pipeline
  readonly root: string
}

const HELP = `pipeline — a content-hashed workflow DAG for the element-embedding thesis

usage: pipeline <command> [options]

  run [target…]      run targets (default: every sink) and all they need; cached nodes are reused
                     --preset smoke|default|paper  --set [stage.]k=v  --sweep [stage.]k=a,b,c
                     --jobs N (default: cores)  --dry-run (say what would run and why)
                     --executor local|slurm  --max-jobs N (cluster jobs at once, default 100)
                     --resource stage.cpus|memGB|gpus|time=V (see pipeline.config.json)
  status [target…]   every stale node and why (param, input, code, cache)
  dag [target…]      the DAG as Mermaid (stages; --nodes for every node)
  params <target…>   resolved params of each node
  show <node|path>   lineage of a node or artifact: what produced it, from what
  verify             re-hash every artifact and blob in pipeline.lock; exit 1 naming mismatches
  gc                 drop cache entries that pipeline.lock and recent runs (--keep-days 7) do not use
`

export async function loadPipeline(explicit?: string): Promise<Loaded> {
  const candidates = [explicit, process.env.PIPELINE_FILE, resolve("pipeline.ts"), join(projectRoot, "pipeline.ts")]
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
    if (args.command === "help") {
      const loaded = await loadPipeline(args.pipeline).catch(() => undefined)
      process.stdout.write(HELP)
      for (const [name, c] of Object.entries(loaded?.pipeline.commands ?? {})) process.stdout.write(`  ${(c.usage ?? name).padEnd(18)} ${c.summary}\n`)
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
        return verifyCommand(loaded)
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
