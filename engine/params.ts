// Param resolution: defaults (the thesis's settings, in each stage's zod schema) < preset < `--set`
// and `--sweep`. Grid params carry a list of values (one node each); `--set k=v` pins a grid param to
// one value and `--sweep k=a,b,c` turns any param into a grid of those values. Every problem is
// reported at once (Turborepo's validation style).
import { z } from "zod"
import { BadParam } from "./errors.js"
import type { AnyStage, PresetName } from "./stage.js"

export interface Assignment {
  /** stage name, or undefined for "every stage that has this param" */
  readonly stage?: string
  readonly param: string
  readonly raw: string
  readonly sweep: boolean
}

export type ResolvedStageParams = {
  /** scalar params (not gridded), raw values before zod parsing */
  readonly scalars: Record<string, unknown>
  /** gridded params → list of values */
  readonly grid: Record<string, unknown[]>
}

/** `spacing.lambda=8` / `task=matbench_phonons` → Assignment (the value stays raw until we know its type). */
export function parseAssignment(text: string, sweep: boolean): Assignment {
  const eq = text.indexOf("=")
  if (eq <= 0) throw new BadParam({ stage: "", path: text, problem: `expected key=value${sweep ? "1,value2,…" : ""}` })
  const key = text.slice(0, eq)
  const raw = text.slice(eq + 1)
  const dot = key.indexOf(".")
  return dot > 0 ? { stage: key.slice(0, dot), param: key.slice(dot + 1), raw, sweep } : { param: key, raw, sweep }
}

/** The innermost zod type of a field (through defaults, optionals, nullables, refinements). */
function baseType(t: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    if (t instanceof z.ZodDefault) t = t._def.innerType
    else if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap()
    else if (t instanceof z.ZodEffects) t = t._def.schema
    else return t
  }
}

/** Turn a CLI string into the value the field expects; leave it a string so zod names the type error. */
export function coerceCli(field: z.ZodTypeAny, raw: string): unknown {
  const t = baseType(field)
  if (t instanceof z.ZodString || t instanceof z.ZodEnum) return raw
  if (t instanceof z.ZodNumber) {
    const n = raw.trim() === "" ? NaN : Number(raw)
    return Number.isNaN(n) && raw !== "NaN" ? raw : n
  }
  if (t instanceof z.ZodBoolean) return raw === "true" ? true : raw === "false" ? false : raw
  if (t instanceof z.ZodLiteral) return typeof t.value === "number" ? Number(raw) : raw
  if (t instanceof z.ZodArray) {
    try {
      return JSON.parse(raw)
    } catch {
      return raw.split(",").map((x) => coerceCli(t.element, x))
    }
  }
  if (t instanceof z.ZodUnion) {
    for (const option of t.options as z.ZodTypeAny[]) {
      const v = coerceCli(option, raw)
      if (option.safeParse(v).success) return v
    }
    return raw
  }
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

const shapeOf = (s: AnyStage): Record<string, z.ZodTypeAny> => s.params.shape as Record<string, z.ZodTypeAny>

/** A value as a message shows it: JSON, except the numbers JSON cannot write (Infinity, NaN). */
export const showValue = (v: unknown): string => (typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v))

/** Problems with one CLI value for one field: its type (the field's own schema) and finiteness. */
function valueProblem(field: z.ZodTypeAny, raw: string): string | undefined {
  const v = coerceCli(field, raw)
  // a number the CLI spelled out of range (1e309) or as NaN would only fail once a stage runs with it
  const numbers = typeof v === "number" ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : []
  const bad = numbers.find((x) => !Number.isFinite(x))
  if (bad !== undefined) return `not a finite number (got ${JSON.stringify(raw)} = ${showValue(bad)})`
  const r = field.safeParse(v)
  return r.success ? undefined : `${r.error.issues[0]?.message ?? "invalid"} (got ${showValue(v)})`
}

/**
 * Check assignments name real stages/params and carry values each such param accepts — for every stage the
 * assignment names, whether or not the targets reach it (a typo is an error now, not on a later run).
 * All problems at once.
 */
export function validateAssignments(assignments: readonly Assignment[], stages: readonly AnyStage[]): BadParam[] {
  const byName = new Map(stages.map((s) => [s.name, s]))
  const problems: BadParam[] = []
  for (const a of assignments) {
    let owners: AnyStage[]
    if (a.stage !== undefined) {
      const s = byName.get(a.stage)
      if (!s) {
        problems.push(new BadParam({ stage: a.stage, path: a.param, problem: `no stage '${a.stage}' (stages: ${[...byName.keys()].join(", ")})` }))
        continue
      }
      if (!(a.param in shapeOf(s))) {
        problems.push(new BadParam({ stage: a.stage, path: a.param, problem: `unknown param (${a.stage} has: ${Object.keys(shapeOf(s)).join(", ") || "none"})` }))
        continue
      }
      owners = [s]
    } else {
      owners = stages.filter((s) => a.param in shapeOf(s))
      if (owners.length === 0) {
        problems.push(new BadParam({ stage: "", path: a.param, problem: "no stage has this param" }))
        continue
      }
    }
    const values = a.sweep ? a.raw.split(",").map((x) => x.trim()) : [a.raw]
    for (const s of owners)
      for (const raw of values) {
        const problem = valueProblem(shapeOf(s)[a.param]!, raw)
        if (problem) problems.push(new BadParam({ stage: s.name, path: a.param, problem }))
      }
  }
  return problems
}

/** Raw (unparsed) params of one stage for a preset and assignments. */
export function resolveStageParams(s: AnyStage, preset: PresetName, assignments: readonly Assignment[]): ResolvedStageParams {
  const shape = shapeOf(s)
  const grid: Record<string, unknown[]> = {}
  const scalars: Record<string, unknown> = {}
  for (const [k, values] of Object.entries(s.grid ?? {})) if (values) grid[k] = [...(values as unknown[])]
  for (const [k, v] of Object.entries(s.presets?.[preset] ?? {})) {
    if (k in grid || Array.isArray(v)) grid[k] = Array.isArray(v) ? [...v] : [v]
    else scalars[k] = v
  }
  // Unqualified assignments first, so `stage.k=v` wins over `k=v`.
  const mine = assignments.filter((a) => a.param in shape && (a.stage === undefined || a.stage === s.name))
  const ordered = [...mine.filter((a) => a.stage === undefined), ...mine.filter((a) => a.stage !== undefined)]
  for (const a of ordered) {
    const field = shape[a.param]!
    if (a.sweep) {
      grid[a.param] = a.raw.split(",").map((x) => coerceCli(field, x.trim()))
      delete scalars[a.param]
    } else if (a.param in grid) grid[a.param] = [coerceCli(field, a.raw)]
    else scalars[a.param] = coerceCli(field, a.raw)
  }
  return { scalars, grid }
}

// Parsed field values per stage: a 10,000-point grid repeats the same scalars 10,000 times, and a
// whole-object zod parse per node was ~10 % of a no-op run. A params schema is a plain z.object (no
// object-level refinements: `shape` is read everywhere), so parsing field by field is equivalent.
const fieldMemo = new WeakMap<AnyStage, Map<string, unknown>>()
const MISSING = Symbol("missing")

function parseFields(s: AnyStage, raw: Record<string, unknown>): Record<string, unknown> | undefined {
  let memo = fieldMemo.get(s)
  if (!memo) fieldMemo.set(s, (memo = new Map()))
  const out: Record<string, unknown> = {}
  for (const [k, field] of Object.entries(shapeOf(s))) {
    const v = raw[k]
    const id = `${k}\u0000${typeof v}\u0000${typeof v === "object" ? JSON.stringify(v) : String(v)}`
    let parsed = memo.has(id) ? memo.get(id) : MISSING
    if (parsed === MISSING) {
      const r = field.safeParse(v)
      if (!r.success) return undefined // the whole-object parse reports it
      memo.set(id, (parsed = r.data))
    }
    if (parsed !== undefined) out[k] = parsed
  }
  return out
}

/** Validate one grid point's params with the stage's schema; BadParam per issue. */
export function parseParams(s: AnyStage, raw: Record<string, unknown>): { ok: Record<string, unknown> } | { errors: BadParam[] } {
  const fast = parseFields(s, raw)
  if (fast) return { ok: fast }
  const result = s.params.safeParse(raw)
  if (result.success) return { ok: result.data as Record<string, unknown> }
  return {
    errors: result.error.issues.map(
      (issue: z.ZodIssue) =>
        new BadParam({
          stage: s.name,
          path: issue.path.join(".") || "(params)",
          problem: `${issue.message}${issue.path.length ? ` (got ${showValue(valueAt(raw, issue.path))})` : ""}`,
        }),
    ),
  }
}

function valueAt(obj: unknown, path: (string | number)[]): unknown {
  let cur = obj
  for (const p of path) cur = (cur as Record<string | number, unknown> | undefined)?.[p]
  return cur
}
