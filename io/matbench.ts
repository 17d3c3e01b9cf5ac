// MatBench v0.1 tasks (Dunn et al. 2020, doi:10.1038/s41524-020-00406-3) with the official 5-fold
// protocol (thesis §3.2.1, §4.2): ids, compositions and targets from the matbench artifacts,
// test folds from the official submission's fold keys, structures where the task's structure file
// is in the data dir (the mirror holds matbench_phonons; others come from `npx pipeline fetch <task>`).
import { mulberry32 } from "../numerics/random.js"
import { gunzipSync } from "node:zlib"
import { z } from "zod"
import type { DataFile, DataRef } from "../engine/index.js"
import { BadData } from "../engine/errors.js"
import { zOf } from "../chem/elements.js"
import { dataInput, openDataFile } from "./data-dir.js"

export const matbenchTasks = [
  "matbench_dielectric",
  "matbench_expt_gap",
  "matbench_expt_is_metal",
  "matbench_glass",
  "matbench_jdft2d",
  "matbench_log_gvrh",
  "matbench_log_kvrh",
  "matbench_mp_e_form",
  "matbench_mp_gap",
  "matbench_mp_is_metal",
  "matbench_perovskites",
  "matbench_phonons",
  "matbench_steels",
] as const
export type MatbenchTaskName = (typeof matbenchTasks)[number]

/** Target column of each task's artifact (matbench_v0.1_dataset_metadata.json). */
const TARGET: Record<MatbenchTaskName, string> = {
  matbench_dielectric: "n",
  matbench_expt_gap: "gap expt",
  matbench_expt_is_metal: "is_metal",
  matbench_glass: "gfa",
  matbench_jdft2d: "exfoliation_en",
  matbench_log_gvrh: "log10(G_VRH)",
  matbench_log_kvrh: "log10(K_VRH)",
  matbench_mp_e_form: "e_form",
  matbench_mp_gap: "gap pbe",
  matbench_mp_is_metal: "is_metal",
  matbench_perovskites: "e_form",
  matbench_phonons: "last phdos peak",
  matbench_steels: "yield strength",
}

/** The thesis's GNN tasks (structure input, §3.2) and CrabNet tasks (composition input, §4.2): the one list. */
export const STRUCTURE_TASKS = ["matbench_jdft2d", "matbench_phonons", "matbench_dielectric", "matbench_log_gvrh", "matbench_log_kvrh", "matbench_perovskites", "matbench_mp_gap", "matbench_mp_e_form"] as const satisfies readonly MatbenchTaskName[]
export const COMPOSITION_TASKS = ["matbench_steels", "matbench_expt_gap", "matbench_expt_is_metal", "matbench_glass"] as const satisfies readonly MatbenchTaskName[]
/** Every MatBench task with structures (the thesis's eight plus the classification task mp_is_metal). */
export const STRUCTURE_INPUT_TASKS = [...STRUCTURE_TASKS, "matbench_mp_is_metal"] as const satisfies readonly MatbenchTaskName[]

const CLASSIFICATION = new Set<MatbenchTaskName>(["matbench_expt_is_metal", "matbench_glass", "matbench_mp_is_metal"])
// MatBench's composition-only tasks are exactly the thesis's CrabNet tasks
const COMPOSITION_ONLY = new Set<MatbenchTaskName>(COMPOSITION_TASKS)

export interface Fold {
  /** row indices; train ∪ validation = the four other test folds */
  readonly train: number[]
  readonly validation: number[]
  readonly test: number[]
}

export interface MatbenchTask {
  readonly name: MatbenchTaskName
  readonly targetName: string
  readonly taskType: "regression" | "classification"
  readonly inputType: "structure" | "composition"
  readonly ids: string[]
  /** formula strings as matbench stores them ("Ba1 Te1", "Al(NiB)2") */
  readonly compositions: string[]
  /** regression targets; classification targets as 0/1 */
  readonly targets: number[]
  readonly folds: Fold[]
}

export interface SplitOptions {
  /** share of each fold's training part held out for early stopping */
  readonly validationFraction?: number
  readonly seed?: number
}

export const fetchHint = (task: string) => `npx pipeline fetch ${task}`

// The official v0.1 folds are the fold keys of MatBench's own dummy submission (the fold file itself was
// never published with the data): results[fold_i].data holds one prediction per test mbid.
const testFoldsFile = "matbench/benchmarks/matbench_v0.1_dummy_results.json.gz"

const artifactFile = (task: MatbenchTaskName) => `matbench/artifacts/${task}.json.gz`

/** The two data files loadTask reads (the task's artifact, the official folds): declare them. */
export const taskInputs = (task: MatbenchTaskName) => ({ artifact: dataInput(artifactFile(task)), folds: dataInput(testFoldsFile) }) satisfies Record<string, DataRef>
export type TaskFiles = { readonly artifact: DataFile; readonly folds: DataFile }

export function isMatbenchTask(name: string): name is MatbenchTaskName {
  return (matbenchTasks as readonly string[]).includes(name)
}

function readGzJson(data: DataFile): { file: string; value: unknown } {
  const file = data.path
  try {
    return { file, value: JSON.parse(gunzipSync(data.bytes()).toString("utf8")) }
  } catch (e) {
    throw new BadData({ file, problem: `not gzip'd JSON (${(e as Error).message.split("\n")[0]})` })
  }
}

// Hand-checked shapes: zod over 10⁵–10⁶ cells costs seconds; each cell is type-checked where it is read.
type Columns = Record<string, Record<string, unknown>>
/** task → fold_i → test mbids */
type TestFolds = Record<string, Record<string, string[]>>
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)
const isNested = (v: unknown): v is Record<string, Record<string, unknown>> => isObject(v) && Object.values(v).every(isObject)

// the official folds by content (1.2 MB gz'd, every task reads it)
const testFoldsCache = new Map<string, TestFolds>()

/** Load a task from the handles of its files (taskInputs): rows in canonical matbench order (row i = mb-…-{i+1}), official test folds. */
export function loadTask(task: MatbenchTaskName, files: TaskFiles, opts: SplitOptions = {}): MatbenchTask {
  const target = TARGET[task]
  checkFile(files.artifact, artifactFile(task))
  checkFile(files.folds, testFoldsFile)
  const { file, value } = readGzJson(files.artifact)
  if (!isNested(value)) throw new BadData({ file, problem: "expected pandas orient=columns JSON" })
  const cols: Columns = value
  for (const c of ["mbid", "composition", target])
    if (!cols[c]) throw new BadData({ file, problem: `no column '${c}'` })
  const n = Object.keys(cols.mbid!).length
  const ids: string[] = new Array(n)
  const compositions: string[] = new Array(n)
  const targets: number[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const k = String(i)
    const id = cols.mbid![k]
    const comp = cols.composition![k]
    const y = cols[target]![k]
    if (typeof id !== "string" || typeof comp !== "string" || y === undefined) throw new BadData({ file, problem: `row ${i} incomplete` })
    ids[i] = id
    compositions[i] = comp
    targets[i] = Number(y) // booleans (classification) become 0/1
    if (!Number.isFinite(targets[i])) throw new BadData({ file, problem: `row ${i}: target '${y}' is not a number` })
  }
  const folds = officialFolds(task, ids, files.folds, opts)
  return {
    name: task,
    targetName: target,
    taskType: CLASSIFICATION.has(task) ? "classification" : "regression",
    inputType: COMPOSITION_ONLY.has(task) ? "composition" : "structure",
    ids,
    compositions,
    targets,
    folds,
  }
}

function officialFolds(task: MatbenchTaskName, ids: string[], foldsFile: DataFile, opts: SplitOptions): Fold[] {
  const rel = foldsFile.path
  let submission = testFoldsCache.get(foldsFile.hash)
  if (!submission) {
    const { file, value } = readGzJson(foldsFile)
    testFoldsCache.set(foldsFile.hash, (submission = foldsOfSubmission(value, file)))
  }
  const byTask = submission[task]
  if (!byTask) throw new BadData({ file: rel, problem: `no folds for ${task}` })
  const row = new Map(ids.map((id, i) => [id, i]))
  const foldOf = new Int8Array(ids.length).fill(-1)
  const tests: number[][] = []
  for (let f = 0; f < 5; f++) {
    const keys = byTask[`fold_${f}`]
    if (!keys) throw new BadData({ file: rel, problem: `${task} has no fold_${f}` })
    const test = keys.map((id) => {
      const i = row.get(id)
      if (i === undefined) throw new BadData({ file: rel, problem: `${task} fold_${f} names unknown id ${id}` })
      if (foldOf[i] !== -1) throw new BadData({ file: rel, problem: `${id} is in two test folds` })
      foldOf[i] = f
      return i
    })
    tests.push(test.sort((a, b) => a - b))
  }
  const orphan = foldOf.indexOf(-1)
  if (orphan >= 0) throw new BadData({ file: rel, problem: `${ids[orphan]} is in no test fold` })
  const fraction = opts.validationFraction ?? 0.1
  const seed = opts.seed ?? 42
  return tests.map((test, f) => {
    const rest: number[] = []
    for (let i = 0; i < ids.length; i++) if (foldOf[i] !== f) rest.push(i)
    // fixed-seed shuffle per fold: the validation set does not depend on the other folds' order
    const shuffled = shuffle(rest, seed + f)
    const nVal = Math.round(fraction * rest.length)
    const validation = shuffled.slice(0, nVal).sort((a, b) => a - b)
    const train = shuffled.slice(nVal).sort((a, b) => a - b)
    return { train, validation, test }
  })
}

/** A MatBench submission (matbench's `MatbenchBenchmark.to_file`) → the test mbids of each task's folds. */
function foldsOfSubmission(value: unknown, file: string): TestFolds {
  const tasks = isObject(value) ? value.tasks : undefined
  if (!isObject(tasks)) throw new BadData({ file, problem: "expected a MatBench submission with 'tasks'" })
  const out: TestFolds = {}
  for (const [task, t] of Object.entries(tasks)) {
    const results = isObject(t) ? t.results : undefined
    if (!isObject(results)) throw new BadData({ file, problem: `${task} has no results` })
    out[task] = {}
    for (const [fold, r] of Object.entries(results)) {
      const data = isObject(r) ? r.data : undefined
      if (!isObject(data)) throw new BadData({ file, problem: `${task} ${fold} has no predictions` })
      out[task]![fold] = Object.keys(data)
    }
  }
  return out
}

/** Fisher–Yates with mulberry32 (deterministic across platforms). */
function shuffle(xs: number[], seed: number): number[] {
  const out = xs.slice()
  const rand = mulberry32(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

// ---- structures

export interface Structure {
  /** 3×3 row-major, rows are the lattice vectors a, b, c in Å (pymatgen's Lattice.matrix) */
  readonly lattice: Float64Array
  /** atomic number per site */
  readonly z: Int32Array
  /** fractional coordinates per site (n×3), as stored — not wrapped into [0, 1) */
  readonly frac: Float64Array
}

const SiteSchema = z.object({
  species: z.array(z.object({ element: z.string(), occu: z.number() })).min(1),
  abc: z.tuple([z.number(), z.number(), z.number()]),
})
const StructureSchema = z.object({
  lattice: z.object({ matrix: z.array(z.tuple([z.number(), z.number(), z.number()])).length(3) }),
  sites: z.array(SiteSchema).min(1),
})
const SplitFrame = z.object({ index: z.array(z.number()), columns: z.array(z.string()), data: z.array(z.array(z.unknown())) })

export const structureFile = (task: MatbenchTaskName) => `matbench_structures/${task}.json.gz`
/** The structure file loadStructures reads: declare it. */
export const structureInput = (task: MatbenchTaskName): DataRef => dataInput(structureFile(task))

/** Parse one pymatgen Structure dict (ordered sites only: each site one species with occupancy 1). */
export function parseStructure(dict: unknown, where = "structure"): Structure {
  const p = StructureSchema.safeParse(dict)
  if (!p.success) throw new BadData({ file: where, problem: `not a pymatgen Structure dict (${p.error.issues[0]?.path.join(".")})` })
  const { lattice, sites } = p.data
  const zs = new Int32Array(sites.length)
  const frac = new Float64Array(sites.length * 3)
  sites.forEach((site, i) => {
    if (site.species.length !== 1 || site.species[0]!.occu !== 1)
      throw new BadData({ file: where, problem: `site ${i} is disordered; crystal graphs need ordered sites` })
    zs[i] = zOf(site.species[0]!.element)
    frac.set(site.abc, 3 * i)
  })
  return { lattice: Float64Array.from(lattice.matrix.flat()), z: zs, frac }
}

/** Structures of a task from the handle of its structure file, aligned with loadTask's rows (checked by count and target). */
export function loadStructures(task: MatbenchTaskName, data: DataFile, targets?: readonly number[]): Structure[] {
  if (COMPOSITION_ONLY.has(task)) throw new BadData({ file: structureFile(task), problem: `${task} is a composition-only task` })
  checkFile(data, structureFile(task))
  const { file, value } = readGzJson(data)
  const frame = SplitFrame.safeParse(value)
  if (!frame.success) throw new BadData({ file, problem: "expected pandas orient=split JSON {index, columns, data}" })
  const sCol = frame.data.columns.indexOf("structure")
  const yCol = frame.data.columns.indexOf(TARGET[task])
  if (sCol < 0) throw new BadData({ file, problem: "no 'structure' column" })
  const rows = frame.data.data
  if (targets && rows.length !== targets.length) throw new BadData({ file, problem: `${rows.length} structures for ${targets.length} rows` })
  return rows.map((r, i) => {
    if (targets && yCol >= 0) {
      const y = Number(r[yCol])
      // the structure file and the artifact come from one dataset; a differing target means misaligned rows
      if (Math.abs(y - targets[i]!) > 1e-6 * Math.max(1, Math.abs(y))) throw new BadData({ file, problem: `row ${i} target ${y} ≠ ${targets[i]}` })
    }
    return parseStructure(r[sCol], `${file} row ${i}`)
  })
}

const checkFile = (data: DataFile, expected: string) => {
  if (data.file !== expected) throw new Error(`expected the handle of ${expected}, got ${data.file}`)
}

/** Outside a run (tests, benchmarks): a task from the data dir. */
export const openTask = (task: MatbenchTaskName, opts: SplitOptions = {}): MatbenchTask =>
  loadTask(task, { artifact: openDataFile(artifactFile(task), fetchHint(task)), folds: openDataFile(testFoldsFile, fetchHint(task)) }, opts)

/** Outside a run (tests, benchmarks): a task's structures from the data dir. */
export const openStructures = (task: MatbenchTaskName, targets?: readonly number[]): Structure[] =>
  loadStructures(task, openDataFile(structureFile(task), fetchHint(task)), targets)
