// Resources of one node (cores, memory, GPUs, wall time), as a stage declares them, overridden per
// preset, then by the project config and by `--resource stage.key=value`; and their sbatch flags.
import { z } from "zod"
import type { PresetName } from "./stage.js"

export interface Resources {
  readonly cpus?: number
  readonly memGB?: number
  readonly gpus?: number
  /** wall time: "90s", "30m", "4h", "2d", or SLURM's own "MM", "HH:MM:SS", "D-HH:MM" */
  readonly time?: string
}

export interface StageResources extends Resources {
  readonly presets?: Partial<Record<PresetName, Resources>>
}

const TIME = /^(\d+(?:\.\d+)?)(s|m|h|d)$|^(\d+-)?\d+(:\d+){0,2}$/

export const ResourcesSchema = z
  .object({
    cpus: z.number().int().positive(),
    memGB: z.number().positive(),
    gpus: z.number().int().nonnegative(),
    time: z.string().regex(TIME, 'a duration like "90s", "30m", "4h", "2d" or SLURM\'s "HH:MM:SS"'),
  })
  .partial()
  .strict()

export class BadResource extends Error {}

/** `train.memGB=8` → ["train", { memGB: 8 }] */
export function parseResourceFlag(text: string): [string, Resources] {
  const m = /^([a-z][a-z0-9-]*)\.(cpus|memGB|gpus|time)=(.+)$/.exec(text)
  if (!m) throw new BadResource(`--resource needs stage.key=value with key cpus, memGB, gpus or time, got '${text}'`)
  const [, stageName, key, raw] = m
  const value = key === "time" ? raw : Number(raw)
  const r = ResourcesSchema.safeParse({ [key!]: value })
  if (!r.success) throw new BadResource(`--resource ${text}: ${r.error.issues[0]!.message}`)
  return [stageName!, r.data]
}

/** The stage's resources for a preset with overrides applied; undefined for a stage that declares none. */
export function resolveResources(declared: StageResources | undefined, preset: PresetName, ...overrides: (Resources | undefined)[]): Resources | undefined {
  if (!declared) return undefined
  const { presets, ...base } = declared
  return Object.assign({}, base, presets?.[preset], ...overrides.filter(Boolean)) as Resources
}

/** Wall time in whole minutes (SLURM's smallest unit), rounding up. */
export function minutesOf(time: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(time)
  if (m) return Math.max(1, Math.ceil(Number(m[1]) * { s: 1 / 60, m: 1, h: 60, d: 1440 }[m[2] as "s" | "m" | "h" | "d"]))
  const [days, clock] = time.includes("-") ? [Number(time.split("-")[0]), time.split("-")[1]!] : [0, time]
  const parts = clock.split(":").map(Number)
  // SLURM: "M", "M:S", "H:M:S"; with days: "D-H", "D-H:M", "D-H:M:S"
  const [h, mi, s] = time.includes("-") ? [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0] : parts.length === 3 ? parts : [0, parts[0] ?? 0, parts[1] ?? 0]
  return Math.max(1, Math.ceil(days * 1440 + h! * 60 + mi! + s! / 60))
}

export const formatMemory = (memGB: number) => (memGB >= 1 ? `${+memGB.toFixed(2)} GB` : `${Math.round(memGB * 1024)} MB`)
export const formatMinutes = (min: number) => (min % 1440 === 0 ? `${min / 1440} d` : min % 60 === 0 ? `${min / 60} h` : `${min} min`)

/** sbatch flags for one node's resources. */
export function sbatchResourceArgs(r: Resources): string[] {
  const args: string[] = []
  if (r.cpus) args.push(`--cpus-per-task=${r.cpus}`)
  if (r.memGB) args.push(`--mem=${Math.ceil(r.memGB * 1024)}M`)
  if (r.gpus) args.push(`--gres=gpu:${r.gpus}`)
  if (r.time) args.push(`--time=${minutesOf(r.time)}`)
  return args
}
