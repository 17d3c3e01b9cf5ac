// Project configuration: `pipeline.config.json` beside pipeline.ts says where nodes run (executor,
// cluster partition/account/QoS, resource overrides per stage). `PIPELINE_EXECUTOR` and the
// `--executor`/`--max-jobs`/`--resource` flags override it, in that order. No file: the local executor.
import * as Data from "effect/Data"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { ResourcesSchema, type Resources } from "./resources.js"

export const CONFIG_FILE = "pipeline.config.json"
export const EXECUTORS = ["local", "slurm"] as const
export type ExecutorName = (typeof EXECUTORS)[number]

export const SlurmConfig = z
  .object({
    partition: z.string().min(1),
    account: z.string().min(1),
    qos: z.string().min(1),
    /** any further sbatch flags, e.g. ["--constraint=a100", "--exclusive"] */
    extraArgs: z.array(z.string()),
    /** seconds between two squeue calls */
    pollSeconds: z.number().positive(),
    /** where job logs go (relative to the project root) */
    logDir: z.string().min(1),
  })
  .partial()
  .strict()
export type SlurmConfig = z.infer<typeof SlurmConfig>

const ProjectConfig = z
  .object({
    executor: z.enum(EXECUTORS),
    /** most cluster jobs (array tasks included) queued or running at once */
    maxJobs: z.number().int().positive(),
    slurm: SlurmConfig,
    /** per-stage resource overrides: { "train": { "gpus": 1, "time": "12h" } } */
    resources: z.record(ResourcesSchema),
  })
  .partial()
  .strict()
export type ProjectConfig = z.infer<typeof ProjectConfig>

/** A configuration that cannot work (bad file, unknown executor, no sbatch, unknown partition): exit 2. */
export class ConfigError extends Data.TaggedError("ConfigError")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

export function readProjectConfig(root: string): ProjectConfig {
  const file = join(root, CONFIG_FILE)
  if (!existsSync(file)) return {}
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new ConfigError({ problem: `${file} is not valid JSON (${(e as Error).message}) — fix or remove it` })
  }
  const r = ProjectConfig.safeParse(json)
  if (!r.success) {
    const i = r.error.issues[0]!
    throw new ConfigError({ problem: `${file}: ${i.path.join(".") || "(top level)"}: ${i.message}` })
  }
  return r.data
}

export interface ExecutorChoice {
  readonly executor: ExecutorName
  readonly maxJobs?: number
  readonly slurm: SlurmConfig
  /** config overrides first, then flags (later wins) */
  readonly resources: ReadonlyMap<string, Resources[]>
}

export function chooseExecutor(config: ProjectConfig, flags: { executor?: string; maxJobs?: number; resources?: [string, Resources][] }): ExecutorChoice {
  const name = flags.executor ?? process.env.PIPELINE_EXECUTOR ?? config.executor ?? "local"
  if (!(EXECUTORS as readonly string[]).includes(name))
    throw new ConfigError({ problem: `unknown executor '${name}'${flags.executor ? "" : process.env.PIPELINE_EXECUTOR ? " (from PIPELINE_EXECUTOR)" : ""} — use one of ${EXECUTORS.join(", ")}` })
  const resources = new Map<string, Resources[]>()
  const add = (stage: string, r: Resources) => resources.set(stage, [...(resources.get(stage) ?? []), r])
  for (const [stage, r] of Object.entries(config.resources ?? {})) add(stage, r)
  for (const [stage, r] of flags.resources ?? []) add(stage, r)
  return { executor: name as ExecutorName, maxJobs: flags.maxJobs ?? config.maxJobs, slurm: config.slurm ?? {}, resources }
}
