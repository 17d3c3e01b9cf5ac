// Stage: a typed, declarative step of the DAG (DVC's cmd/deps/params/outs, Dagster's asset with a
// code_version). A stage is a plain value; the engine plans nodes from it and decides what to run.
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { z } from "zod"
import type { ArtifactKind } from "./artifact.js"
import type { DataFiles, DataRef } from "./data.js"
import { toSource } from "./paths.js"
import type { StageResources } from "./resources.js"

/** A preset's name: the pipeline declares which exist (definePipeline's `presets`). */
export type PresetName = string

/** Reference to one output of another stage: the consumer gets the single matching upstream node's value. */
export interface OutputRef<T> {
  readonly _tag: "OutputRef"
  readonly stage: AnyStage
  readonly output: string
  readonly kind: ArtifactKind<T>
}

/** One upstream node's value inside a gathered input. `point` is that node's grid point (gridded params). */
export interface Gathered<T> {
  readonly node: string
  readonly point: Readonly<Record<string, unknown>>
  readonly params: Readonly<Record<string, unknown>>
  readonly value: T
}

/** Gather every upstream node whose grid point agrees with the consumer on the params they share. */
export interface GatherRef<T> {
  readonly _tag: "GatherRef"
  readonly ref: OutputRef<T>
}

export type InputRef = OutputRef<any> | GatherRef<any>

export type InputValue<R> = R extends GatherRef<infer T> ? Gathered<T>[] : R extends OutputRef<infer T> ? T : never
export type ResolvedInputs<I extends Record<string, InputRef>> = { [K in keyof I]: InputValue<I[K]> }
export type OutputValues<O extends Record<string, ArtifactKind<any>>> = {
  [K in keyof O]: O[K] extends ArtifactKind<infer T> ? T : never
}

/** A stage's declared data files by name (`data: (p) => ({ descriptor: … })`). */
export type DataDecl = Record<string, DataRef | undefined>

export interface RunContext<P, I extends Record<string, InputRef>, D extends DataDecl = DataDecl> {
  readonly params: P
  readonly inputs: ResolvedInputs<I>
  /** the declared data files, as handles: the only way a stage reads raw data */
  readonly data: DataFiles<D>
  /** Node id, e.g. `spacing[lambda=6]`. */
  readonly node: string
  /** Report progress inside a long node (drawn as a bar on a TTY, throttled lines otherwise). */
  readonly progress: (done: number, total: number, label?: string) => void
  readonly log: (message: string) => void
}

export type RunResult<O> = O | Promise<O> | Effect.Effect<O, unknown, never>

type GridOf<P> = { readonly [K in keyof P]?: readonly P[K][] }
type PresetOf<P> = { readonly [K in keyof P]?: P[K] | readonly P[K][] }

export interface StageSpec<
  P extends z.ZodObject<any>,
  I extends Record<string, InputRef>,
  O extends Record<string, ArtifactKind<any>>,
  D extends DataDecl = {},
> {
  readonly name: string
  /** Bump when outputs change meaning; the defining module's source (and local imports) are hashed too. */
  readonly version: string
  readonly description?: string
  readonly params: P
  /** Fan-out: each combination of these param values is its own node with its own key. */
  readonly grid?: GridOf<z.infer<P>>
  /** Preset overrides (sizes only). A grid param takes a list; a scalar param a value. */
  readonly presets?: Readonly<Record<PresetName, PresetOf<z.infer<P>>>>
  readonly inputs?: I
  readonly outputs: O
  /**
   * Raw data files the node reads, by name, relative to the data directory (depending on params if
   * need be). Their content hashes enter its key (not their location), the run checks that they
   * are there before anything starts, and `run` gets a handle per file as `data.<name>`.
   */
  readonly data?: (params: z.infer<P>) => D
  /**
   * What one node needs (cores, memory, GPUs, wall time). A stage that declares resources is worth
   * its own process: a worker thread locally, a batch job on a cluster; one without runs inline.
   */
  readonly resources?: StageResources
  readonly run: (ctx: RunContext<z.infer<P>, I, D>) => RunResult<OutputValues<O>>
}

export interface Stage<
  P extends z.ZodObject<any> = z.ZodObject<any>,
  I extends Record<string, InputRef> = Record<string, InputRef>,
  O extends Record<string, ArtifactKind<any>> = Record<string, ArtifactKind<any>>,
  D extends DataDecl = DataDecl,
> extends StageSpec<P, I, O, D> {
  readonly _tag: "Stage"
  /** file path of the module that called stage(): hashed into the code fingerprint, loaded by workers */
  readonly modulePath: string
  /** modules whose code this stage also runs (a variant runs its base stage's `run`) */
  readonly codeModules: readonly string[]
  readonly out: { readonly [K in keyof O]: OutputRef<O[K] extends ArtifactKind<infer T> ? T : never> }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStage = Stage<any, any, any, any>

const NAME = /^[a-z][a-z0-9-]*$/

/** Modules that define stages. A stage's fingerprint does not follow imports into *other* stage
 * modules: an upstream stage's effect reaches it through the hashes of its inputs instead. */
export const stageModules = new Set<string>()

export function stage<
  P extends z.ZodObject<any>,
  I extends Record<string, InputRef> = {},
  O extends Record<string, ArtifactKind<any>> = {},
  D extends DataDecl = {},
>(spec: StageSpec<P, I, O, D>): Stage<P, I, O, D> {
  if (!NAME.test(spec.name)) throw new Error(`stage name '${spec.name}' must be kebab-case`)
  const modulePath = callerModule()
  const self = { ...spec, _tag: "Stage", modulePath, codeModules: [modulePath] } as unknown as Stage<P, I, O, D>
  stageModules.add(self.modulePath)
  const out: Record<string, OutputRef<unknown>> = {}
  for (const [output, kind] of Object.entries(spec.outputs)) {
    out[output] = { _tag: "OutputRef", stage: self as unknown as AnyStage, output, kind }
  }
  ;(self as { out: unknown }).out = out
  return self
}

/**
 * The same step applied to other inputs under another name (an asset factory): e.g. the embedding
 * metrics of the published tables next to those of the trained models. Its code fingerprint covers
 * the base stage's module too, and it is cached, planned and materialized as a stage of its own.
 */
export function variant<P extends z.ZodObject<any>, I extends Record<string, InputRef>, O extends Record<string, ArtifactKind<any>>, D extends DataDecl>(
  base: Stage<P, any, O, D>,
  overrides: { readonly name: string; readonly inputs: I; readonly description?: string },
): Stage<P, I, O, D> {
  if (!NAME.test(overrides.name)) throw new Error(`stage name '${overrides.name}' must be kebab-case`)
  const modulePath = callerModule()
  const self = { ...base, ...overrides, modulePath, codeModules: [modulePath, ...base.codeModules] } as unknown as Stage<P, I, O, D>
  stageModules.add(modulePath)
  const out: Record<string, OutputRef<unknown>> = {}
  for (const [output, kind] of Object.entries(base.outputs)) out[output] = { _tag: "OutputRef", stage: self as unknown as AnyStage, output, kind }
  ;(self as { out: unknown }).out = out
  return self
}

/** Gather all matching upstream nodes' values (e.g. every trained model for `distill`). */
export const all = <T>(ref: OutputRef<T>): GatherRef<T> => ({ _tag: "GatherRef", ref })

/** The data files a node of this stage declares, by name (params already resolved). */
export const dataRefs = (s: AnyStage, params: Readonly<Record<string, unknown>>): [string, DataRef][] =>
  Object.entries((s.data?.(params) ?? {}) as Record<string, DataRef | undefined>).filter((e): e is [string, DataRef] => e[1] !== undefined)

/** The input handles of a stage, typed (AnyStage erases them). */
export const inputRefs = (s: AnyStage): [string, InputRef][] => Object.entries((s.inputs ?? {}) as Record<string, InputRef>)

export const isStage = (x: unknown): x is AnyStage =>
  typeof x === "object" && x !== null && (x as { _tag?: unknown })._tag === "Stage"

/** The module that called stage(): the first stack frame outside this file. */
function callerModule(): string {
  const stack = new Error().stack ?? ""
  const here = fileURLToPath(import.meta.url)
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim())
    if (!m) continue
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!
    if (file !== here) return toSource(file)
  }
  throw new Error("could not determine the module that defines this stage")
}
