// Element identity (symbol ↔ Z) and the element facts the thesis uses: Shannon ionic radii and
// oxidation states (thesis §3.2.5 radius groups, Goldschmidt's 30 % rule) from pymatgen's
// periodic_table.json, and the ten chemical classes of thesis §3.2.3 (K-means ARI reference).
import { readFileSync } from "node:fs"
import { z } from "zod"
import { BadData } from "../engine/errors.js"
import { dataFile } from "../io/data-dir.js"

/** Symbols by atomic number: SYMBOLS[z - 1], Z = 1…118 (IUPAC 2016 names). A fact, not data. */
export const SYMBOLS: readonly string[] = [
  "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
  "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
  "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
  "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
  "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
  "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
  "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
]

const Z_OF = new Map(SYMBOLS.map((s, i) => [s, i + 1]))

export function isElement(symbol: string): boolean {
  return Z_OF.has(symbol)
}

export function symbolOf(z: number): string {
  const s = Number.isInteger(z) ? SYMBOLS[z - 1] : undefined
  if (s === undefined) throw new Error(`no element has atomic number ${z} (known: 1…${SYMBOLS.length})`)
  return s
}

export function zOf(symbol: string): number {
  const z = Z_OF.get(symbol)
  if (z === undefined) throw new Error(`unknown element symbol '${symbol}'`)
  return z
}

// ---- chemical classes (thesis §3.2.3: 碱金属, 碱土金属, 过渡金属, 金属, 非金属, 准金属, 卤素, 稀有气体, 镧系, 锕系)

export type ChemicalClass =
  | "alkali"
  | "alkaline-earth"
  | "transition-metal"
  | "post-transition-metal"
  | "metalloid"
  | "non-metal"
  | "halogen"
  | "noble-gas"
  | "lanthanide"
  | "actinide"

export const chemicalClasses: readonly ChemicalClass[] = [
  "alkali", "alkaline-earth", "transition-metal", "post-transition-metal", "metalloid",
  "non-metal", "halogen", "noble-gas", "lanthanide", "actinide",
]

// ElementEmbeddings' element_group.json has 11 groups; the thesis has 10. Its "Others" (H, C, N, P)
// and the chalcogens O, S, Se become non-metals; Te and Po are metalloids (as pymatgen's
// Element.is_metalloid has them), so "Chalcogen" disappears.
const GROUP_TO_CLASS: Record<string, ChemicalClass> = {
  Alkali: "alkali",
  Alkaline: "alkaline-earth",
  TM: "transition-metal",
  "Post-TM": "post-transition-metal",
  Metalloid: "metalloid",
  Others: "non-metal",
  Halogen: "halogen",
  "Noble gas": "noble-gas",
  Lanthanoid: "lanthanide",
  Actinoid: "actinide",
}
const CHALCOGEN_METALLOIDS = new Set(["Te", "Po"])

let classCache: Map<string, ChemicalClass> | undefined

function classes(): Map<string, ChemicalClass> {
  if (classCache) return classCache
  const rel = "elementembeddings/element_data/element_group.json"
  const file = dataFile(rel, "npx pipeline fetch element-tables")
  const raw = z.record(z.string()).safeParse(JSON.parse(readFileSync(file, "utf8")))
  if (!raw.success) throw new BadData({ file, problem: "expected {symbol: group name}" })
  const out = new Map<string, ChemicalClass>()
  for (const [symbol, group] of Object.entries(raw.data)) {
    if (!isElement(symbol)) continue
    if (group === "Chalcogen") out.set(symbol, CHALCOGEN_METALLOIDS.has(symbol) ? "metalloid" : "non-metal")
    else {
      const c = GROUP_TO_CLASS[group]
      if (!c) throw new BadData({ file, problem: `unknown group '${group}' for ${symbol}` })
      out.set(symbol, c)
    }
  }
  classCache = out
  return out
}

export function chemicalClass(symbol: string): ChemicalClass | undefined {
  return classes().get(symbol)
}

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

let factsCache: Map<string, ElementFacts> | undefined

function facts(): Map<string, ElementFacts> {
  if (factsCache) return factsCache
  const file = dataFile("pymatgen/periodic_table.json", "npx pipeline fetch element-tables")
  const parsed = z.record(ElementFacts).safeParse(JSON.parse(readFileSync(file, "utf8")))
  if (!parsed.success) throw new BadData({ file, problem: parsed.error.issues[0]?.message ?? "unexpected shape" })
  const out = new Map<string, ElementFacts>()
  for (const [symbol, f] of Object.entries(parsed.data)) {
    if (Z_OF.get(symbol) !== f["Atomic no"]) throw new BadData({ file, problem: `${symbol} has atomic number ${f["Atomic no"]}` })
    out.set(symbol, f)
  }
  factsCache = out
  return out
}

/** pymatgen's raw record for an element (undefined for symbols it does not list). */
export function elementFacts(symbol: string): ElementFacts | undefined {
  return facts().get(symbol)
}

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
export function shannonRadii(symbol: string): ShannonRadius[] {
  const table = facts().get(symbol)?.["Shannon radii"]
  if (!table) return []
  const out: ShannonRadius[] = []
  for (const [charge, byCoordination] of Object.entries(table))
    for (const [coordination, bySpin] of Object.entries(byCoordination))
      for (const [spin, r] of Object.entries(bySpin))
        out.push({ charge: Number(charge), radius: r.ionic_radius, coordination, spin })
  return out
}

/** pymatgen's "Common oxidation states" ([] where it lists none, e.g. noble gases). */
export function commonOxidationStates(symbol: string): number[] {
  return [...(facts().get(symbol)?.["Common oxidation states"] ?? [])]
}

/** pymatgen's "Oxidation states" (all known ones). */
export function oxidationStates(symbol: string): number[] {
  return [...(facts().get(symbol)?.["Oxidation states"] ?? [])]
}
