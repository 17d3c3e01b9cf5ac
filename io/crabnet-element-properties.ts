// CrabNet's element_properties/<name>.csv (Wang et al. 2021, doi:10.1038/s41524-021-00545-1): the
// format a distilled table must have to be dropped into the original code. CrabNet's `Embedder`
// (kingcrab.py L51-77) reads the file with `pd.read_csv(f, index_col=0).values`, prepends a zero row
// and looks rows up by atomic number: row Z of the CSV body must be element Z, whatever its label
// says. So the file has all 118 elements in Z order, like mat2vec.csv.
//
// Policy for elements without a vector (a distilled table only knows the elements its models saw):
// their row is all zeros and they are listed beside the file (`zeroRows`). In CrabNet a zero row
// gives that element the Linear layer's bias alone — a silent fallback, so check the list against
// the formulas you train on; this project's `crabnet` stages refuse such formulas (param `missing`).
import { SYMBOLS } from "../chem/elements.js"

export interface ElementProperties {
  /** header `element,0,1,…` and one row per element, Z = 1…118 */
  readonly csv: string
  /** elements written as zero rows (no vector in the table), in Z order */
  readonly zeroRows: string[]
}

/** Write rows (any order, one per symbol, row-major d columns) as CrabNet's 118-row element_properties CSV. */
export function elementPropertiesCsv(symbols: readonly string[], X: ArrayLike<number>, d: number): ElementProperties {
  const row = new Map(symbols.map((s, i) => [s, i]))
  if (row.size !== symbols.length) throw new Error("elementPropertiesCsv: a symbol appears twice")
  for (const s of symbols) if (!SYMBOLS.includes(s)) throw new Error(`elementPropertiesCsv: '${s}' is not an element symbol`)
  const lines = [["element", ...Array.from({ length: d }, (_, k) => String(k))].join(",")]
  const zeroRows: string[] = []
  const zeros = new Array<string>(d).fill("0")
  for (const s of SYMBOLS) {
    const i = row.get(s)
    if (i === undefined) zeroRows.push(s)
    const values = i === undefined ? zeros : Array.from({ length: d }, (_, k) => String(X[i * d + k]!))
    lines.push([s, ...values].join(","))
  }
  return { csv: lines.join("\n") + "\n", zeroRows }
}

/**
 * CrabNet's Embedder table restated: the CSV body's values by position, with a zero row 0 in
 * front, so row Z is what CrabNet feeds for atomic number Z (`nn.Embedding.from_pretrained`).
 * Labels are ignored, as `.values` ignores the index.
 */
export function embedderTable(csv: string): { rows: number; dim: number; data: Float64Array } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "")
  const body = lines.slice(1).map((l) => l.split(",").slice(1).map(Number))
  const dim = body[0]?.length ?? 0
  const data = new Float64Array((body.length + 1) * dim)
  body.forEach((v, i) => data.set(v, (i + 1) * dim))
  return { rows: body.length + 1, dim, data }
}
