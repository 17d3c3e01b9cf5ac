// Element tables (thesis §3.2 inputs, §4.2 CrabNet comparisons) behind one typed interface:
// every table is symbols × dim, rows in atomic-number order, whatever file format it came in.
// The registry below says where each lives in the data dir (see shared/data/PROVENANCE.md).
import { readFileSync, statSync } from "node:fs"
import { z } from "zod"
import { BadData } from "../engine/errors.js"
import { SYMBOLS, isElement, symbolOf, zOf } from "../chem/elements.js"
import { dataFile } from "./data-dir.js"

export interface ElementTable {
  name: string
  symbols: string[]
  dim: number
  vectors: Float64Array /* symbols.length × dim, row-major */
}

type Format = "csv" | "json-by-symbol" | "json-by-z"

interface TableSource {
  readonly file: string
  readonly format: Format
  readonly about: string
}

/** Where each table comes from. Keys are the names users pass (`--set table=mat2vec`). */
export const elementTableSources = {
  // CGCNN's 92-d one-hot-block descriptor, keyed by Z (Xie & Grossman 2018, doi:10.1103/PhysRevLett.120.145301)
  cgcnn: { file: "cgcnn/atom_init.json", format: "json-by-z", about: "CGCNN atom_init 92-d handcrafted descriptor" },
  mat2vec: { file: "crabnet/element_properties/mat2vec.csv", format: "csv", about: "Mat2Vec 200-d (Tshitoyan 2019)" },
  magpie: { file: "crabnet/element_properties/magpie.csv", format: "csv", about: "Magpie 22 element properties" },
  oliynyk: { file: "crabnet/element_properties/oliynyk.csv", format: "csv", about: "Oliynyk 44 properties (blanks read as NaN)" },
  jarvis: { file: "crabnet/element_properties/jarvis.csv", format: "csv", about: "JARVIS CFID 438 element features" },
  onehot: { file: "crabnet/element_properties/onehot.csv", format: "csv", about: "one-hot over 118 elements" },
  random_200: { file: "crabnet/element_properties/random_200.csv", format: "csv", about: "random 200-d (CrabNet baseline)" },
  megnet16: { file: "crabnet/element_properties/elmd_element_props/megnet16.csv", format: "csv", about: "MEGNet 16-d learnt embedding (Chen 2019)" },
  elemnet: { file: "crabnet/element_properties/elmd_element_props/elemnet.csv", format: "csv", about: "ElemNet 135-d" },
  matscholar: { file: "crabnet/element_properties/elmd_element_props/matscholar.csv", format: "csv", about: "Matscholar 200-d word embedding" },
  cgcnn_elmd: { file: "crabnet/element_properties/elmd_element_props/cgcnn.csv", format: "csv", about: "ElMD's 91-column copy of the CGCNN descriptor" },
  skipatom: { file: "skipatom/skipatom_20201009_induced.csv", format: "csv", about: "SkipAtom 200-d induced (Antunes 2022)" },
  xenonpy: { file: "elementembeddings/element_representations/xenonpy_element_features.csv", format: "csv", about: "XenonPy 58 element features" },
  cgnf: { file: "elementembeddings/element_representations/cgnf.json", format: "json-by-symbol", about: "CGNF 90-d" },
  matscibert: { file: "elementembeddings/element_representations/matscibert.csv", format: "csv", about: "MatSciBERT 768-d" },
  chgnet: { file: "elementembeddings/element_representations/chgnet.csv", format: "csv", about: "CHGNet 64-d atom embedding" },
  mace_mp0: { file: "elementembeddings/element_representations/mace_mp0.csv", format: "csv", about: "MACE-MP-0 128-d" },
  sevennet: { file: "elementembeddings/element_representations/sevennet.csv", format: "csv", about: "SevenNet 128-d" },
  orb_v2: { file: "elementembeddings/element_representations/orb_v2.csv", format: "csv", about: "ORB v2 256-d" },
  chemeleon: { file: "elementembeddings/element_representations/chemeleon.csv", format: "csv", about: "Chemeleon 512-d" },
  crystallm: { file: "elementembeddings/element_representations/crystallm_v24c.dim512_atom_vectors.csv", format: "csv", about: "CrystaLLM 512-d" },
} as const satisfies Record<string, TableSource>

export type ElementTableName = keyof typeof elementTableSources
export const elementTableNames: readonly string[] = Object.keys(elementTableSources)

const cache = new Map<string, ElementTable>()

/** The file a table is read from (absolute): it keys the stage that loads it. */
export function elementTableFile(name: string): string {
  const source = (elementTableSources as Record<string, TableSource>)[name]
  if (!source) throw new Error(`unknown element table '${name}' — known: ${elementTableNames.join(", ")}`)
  return dataFile(source.file, "npx pipeline fetch element-tables")
}

export function loadElementTable(name: string): ElementTable {
  const source = (elementTableSources as Record<string, TableSource>)[name]
  if (!source) throw new Error(`unknown element table '${name}' — known: ${elementTableNames.join(", ")}`)
  const file = dataFile(source.file, "npx pipeline fetch element-tables")
  // keyed by the file's identity too: an edited or re-fetched file is read again, even in one process
  const st = statSync(file)
  const key = `${name}\0${file}\0${st.size}\0${st.mtimeMs}`
  const hit = cache.get(key)
  if (hit) return hit
  const text = readFileSync(file, "utf8")
  const rows = source.format === "csv" ? parseCsvRows(text, file) : parseJsonRows(text, file, source.format)
  const table = assemble(name, rows, file)
  cache.set(key, table)
  return table
}

/** One row per element: skip non-element keys ("Null" in MEGNet, D/T), order by Z. */
function assemble(name: string, rows: Map<string, number[]>, file: string): ElementTable {
  const symbols = [...rows.keys()].filter(isElement).sort((a, b) => zOf(a) - zOf(b))
  if (symbols.length === 0) throw new BadData({ file, problem: "no element rows" })
  const dim = rows.get(symbols[0]!)!.length
  const vectors = new Float64Array(symbols.length * dim)
  symbols.forEach((s, i) => {
    const v = rows.get(s)!
    if (v.length !== dim) throw new BadData({ file, problem: `row ${s} has ${v.length} values, expected ${dim}` })
    vectors.set(v, i * dim)
  })
  return { name, symbols, dim, vectors }
}

function parseCsvRows(text: string, file: string): Map<string, number[]> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "")
  const out = new Map<string, number[]>()
  for (const line of lines.slice(1)) {
    const cells = line.split(",")
    const symbol = cells[0]!.trim()
    const values = cells.slice(1).map((c) => (c.trim() === "" ? Number.NaN : Number(c)))
    if (values.some((v, j) => Number.isNaN(v) && cells[j + 1]!.trim() !== ""))
      throw new BadData({ file, problem: `non-numeric value in row ${symbol}` })
    out.set(symbol, values)
  }
  return out
}

const JsonVectors = z.record(z.array(z.number()))

function parseJsonRows(text: string, file: string, format: Format): Map<string, number[]> {
  const parsed = JsonVectors.safeParse(JSON.parse(text))
  if (!parsed.success) throw new BadData({ file, problem: "expected {key: number[]}" })
  const out = new Map<string, number[]>()
  for (const [key, v] of Object.entries(parsed.data)) out.set(format === "json-by-z" ? symbolOf(Number(key)) : key, v)
  return out
}

/** Row of one element, or undefined where the table does not cover it. */
export function vectorOf(table: ElementTable, symbol: string): Float64Array | undefined {
  const i = table.symbols.indexOf(symbol)
  return i < 0 ? undefined : table.vectors.subarray(i * table.dim, (i + 1) * table.dim)
}

export interface Coverage {
  readonly name: string
  /** elements of Z = 1…maxZ the table has a complete (NaN-free) row for */
  readonly covered: string[]
  readonly missing: string[]
  /** rows present but with NaN entries (Oliynyk's blanks) */
  readonly incomplete: string[]
  readonly maxZ: number
}

/** Which of Z = 1…103 (the thesis's 103-d composition vector) the table covers. */
export function coverage(table: ElementTable, maxZ = 103): Coverage {
  const covered: string[] = []
  const missing: string[] = []
  const incomplete: string[] = []
  for (const s of SYMBOLS.slice(0, maxZ)) {
    const v = vectorOf(table, s)
    if (!v) missing.push(s)
    else if (v.some(Number.isNaN)) incomplete.push(s)
    else covered.push(s)
  }
  return { name: table.name, covered, missing, incomplete, maxZ }
}
