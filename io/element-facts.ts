// Element facts read from data files: the ten thesis classes (§3.2.3, K-means ARI reference) from
// ElementEmbeddings' element_group.json, and pymatgen's periodic_table.json (Shannon ionic radii and
// oxidation states for §3.2.4's radius groups). A stage declares `elementGroupsInput()` /
// `periodicTableInput()` and parses the handle it gets; lookups take the parsed table.
import { z } from "zod"
import { classOfGroup, isElement, zOf, type ChemicalClass } from "../chem/elements.js"
import type { DataFile, DataRef } from "../engine/index.js"
import { BadData } from "../engine/errors.js"
import { dataInput, openDataFile, parseJsonFile } from "./data-dir.js"

const GROUPS_FILE = "elementembeddings/element_data/element_group.json"
const PERIODIC_TABLE_FILE = "pymatgen/periodic_table.json"
const HINT = "npx pipeline fetch element-tables"

// ---- chemical classes

export type ChemicalClasses = ReadonlyMap<string, ChemicalClass>

export const elementGroupsInput = (): DataRef => dataInput(GROUPS_FILE)

const classesCache = new Map<string, ChemicalClasses>()

/** symbol → thesis class, from the handle of element_group.json. */
export function loadChemicalClasses(data: DataFile): ChemicalClasses {
  const hit = classesCache.get(data.hash)
  if (hit) return hit
  const raw = z.record(z.string()).safeParse(parseJsonFile(data))
  if (!raw.success) throw new BadData({ file: data.path, problem: "expected {symbol: group name}" })
  const out = new Map<string, ChemicalClass>()
  for (const [symbol, group] of Object.entries(raw.data)) {
    if (!isElement(symbol)) continue
    const c = classOfGroup(symbol, group)
    if (!c) throw new BadData({ file: data.path, problem: `unknown group '${group}' for ${symbol}` })
    out.set(symbol, c)
  }
  classesCache.set(data.hash, out)
  return out
}

/** Outside a run (tests, benchmarks): the classes from the data dir. */
export const openChemicalClasses = (): ChemicalClasses => loadChemicalClasses(openDataFile(GROUPS_FILE, HINT))

// ---- pymatgen element facts

const RadiusEntry = z.object({ crystal_radius: z.number(), ionic_radius: z.number() })
const ElementFacts = z
  .object({
    "Atomic no": z.number().int(),
    "Atomic mass": z.number().optional(),
    X: z.number().optional(),
    "Common oxidation states": z.array(z.number().int()).optional(),
    "Oxidation states": z.array(z.number().int()).optional(),
    "ICSD oxidation states": z.array(z.number().int()).optional(),
    /** charge → coordination (roman numeral) → spin ("", "High Spin", "Low Spin") → radii (Å) */
    "Shannon radii": z.record(z.record(z.record(RadiusEntry))).optional(),
    /** pymatgen's one radius per charge (Shannon's VI/high-spin crystal radius) */
    "Ionic radii": z.record(z.number()).optional(),
  })
  .passthrough()
export type ElementFacts = z.infer<typeof ElementFacts>
export type ElementFactsTable = ReadonlyMap<string, ElementFacts>

export const periodicTableInput = (): DataRef => dataInput(PERIODIC_TABLE_FILE)

const factsCache = new Map<string, ElementFactsTable>()

/** symbol → pymatgen's record, from the handle of periodic_table.json. */
export function loadElementFacts(data: DataFile): ElementFactsTable {
  const hit = factsCache.get(data.hash)
  if (hit) return hit
  const parsed = z.record(ElementFacts).safeParse(parseJsonFile(data))
  if (!parsed.success) throw new BadData({ file: data.path, problem: parsed.error.issues[0]?.message ?? "unexpected shape" })
  const out = new Map<string, ElementFacts>()
  for (const [symbol, f] of Object.entries(parsed.data)) {
    if (!isElement(symbol) || zOf(symbol) !== f["Atomic no"]) throw new BadData({ file: data.path, problem: `${symbol} has atomic number ${f["Atomic no"]}` })
    out.set(symbol, f)
  }
  factsCache.set(data.hash, out)
  return out
}

/** Outside a run (tests, benchmarks): the facts from the data dir. */
export const openElementFacts = (): ElementFactsTable => loadElementFacts(openDataFile(PERIODIC_TABLE_FILE, HINT))

export interface ShannonRadius {
  readonly charge: number
  /** Shannon (1976) effective ionic radius in Å (pymatgen's `ionic_radius`, not `crystal_radius`) */
  readonly radius: number
  /** coordination number as Shannon writes it: "VI", "IVSQ", "VIII"… */
  readonly coordination: string
  /** "", "High Spin" or "Low Spin" */
  readonly spin: string
}

/**
 * Every Shannon ionic radius pymatgen lists for the element: one entry per (oxidation state,
 * coordination, spin state), radius = the effective *ionic* radius (O²⁻ VI = 1.40 Å), in pymatgen's
 * order. Callers that want one radius per element (the thesis's radius groups sort by the largest)
 * take the maximum. Elements without Shannon data (Z > 98 and the noble gases…) give [].
 */
export function shannonRadii(facts: ElementFactsTable, symbol: string): ShannonRadius[] {
  const table = facts.get(symbol)?.["Shannon radii"]
  if (!table) return []
  const out: ShannonRadius[] = []
  for (const [charge, byCoordination] of Object.entries(table))
    for (const [coordination, bySpin] of Object.entries(byCoordination))
      for (const [spin, r] of Object.entries(bySpin))
        out.push({ charge: Number(charge), radius: r.ionic_radius, coordination, spin })
  return out
}

/** pymatgen's "Common oxidation states" ([] where it lists none, e.g. noble gases). */
export function commonOxidationStates(facts: ElementFactsTable, symbol: string): number[] {
  return [...(facts.get(symbol)?.["Common oxidation states"] ?? [])]
}

/** pymatgen's "Oxidation states" (all known ones). */
export function oxidationStates(facts: ElementFactsTable, symbol: string): number[] {
  return [...(facts.get(symbol)?.["Oxidation states"] ?? [])]
}
