// The ICSD substitution statistics of Wang, Botti & Marques 2021 (the thesis's ref. [4], hyllios/utils):
// substitution.dat (symmetric counts, index = Z) and substitution.dat.element_count (N_A by Z).
import type { DataFile } from "../engine/index.js"
import { BadData } from "../engine/errors.js"
import { dataInput } from "./data-dir.js"

const COUNTS = "substitution/wang2021_hyllios/substitution.dat"
const ELEMENT_COUNT = "substitution/wang2021_hyllios/substitution.dat.element_count"

/** The two files loadSubstitutionData reads: declare them. */
export const substitutionInputs = () => ({ counts: dataInput(COUNTS), elementCount: dataInput(ELEMENT_COUNT) })

/** Whitespace-separated numeric rows; BadData names the file and the first problem. */
export function parseNumberRows(text: string, file: string): number[][] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l, r) =>
      l.split(/\s+/).map((tok, c) => {
        const v = Number(tok)
        if (!Number.isFinite(v) || v < 0) throw new BadData({ file, problem: `row ${r + 1}, column ${c + 1}: '${tok}' is not a non-negative number` })
        return v
      }),
    )
}

export interface SubstitutionData {
  /** symmetric counts, side × side, index = Z (index 0 unused) */
  counts: Float64Array
  side: number
  /** N_A by Z */
  elementCount: Float64Array
}

/** Read and check the two files (square matrix, one count per row, no counts for an element with N_A = 0). */
export function loadSubstitutionData(files: { readonly counts: DataFile; readonly elementCount: DataFile }): SubstitutionData {
  const countsFile = files.counts.path
  const elementCountFile = files.elementCount.path
  const rows = parseNumberRows(files.counts.text(), countsFile)
  const side = rows.length
  rows.forEach((r, i) => {
    if (r.length !== side) throw new BadData({ file: countsFile, problem: `not a square matrix: row ${i + 1} has ${r.length} entries, there are ${side} rows` })
  })
  const nA = parseNumberRows(files.elementCount.text(), elementCountFile).flat()
  if (nA.length !== side) throw new BadData({ file: elementCountFile, problem: `${nA.length} element counts for a ${side}×${side} substitution matrix` })
  const counts = Float64Array.from(rows.flat())
  for (let z = 1; z < side; z++) {
    let row = 0
    for (let j = 0; j < side; j++) row += counts[z * side + j]!
    if (nA[z] === 0 && row > 0) throw new BadData({ file: elementCountFile, problem: `element Z=${z} has N_A = 0 but ${row} substitutions: S_AB = count/N_A is undefined` })
  }
  return { counts, side, elementCount: Float64Array.from(nA) }
}
