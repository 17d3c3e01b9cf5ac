// stages/substitution.ts: thesis §3.1.2, eq. 3.1 — S_AB = count(A↔B)/N_A from the ICSD substitution statistics
// of Wang, Botti & Marques 2021 (the thesis's ref. [4]); rows/cols = the elements with data (N_A > 0).
import { readFileSync } from "node:fs"
import { z } from "zod"
import { BadData } from "../engine/errors.js"
import { artifact, stage } from "../engine/index.js"
import { symbolOf } from "../chem/elements.js"
import { dataFile } from "../io/data-dir.js"
import { substitutionMatrix } from "../numerics/ordering/substitution.js"

const COUNTS = "substitution/wang2021_hyllios/substitution.dat"
const ELEMENT_COUNT = "substitution/wang2021_hyllios/substitution.dat.element_count"
const HINT = "npx pipeline fetch substitution"

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
export function loadSubstitutionData(countsFile: string, elementCountFile: string): SubstitutionData {
  const rows = parseNumberRows(readFileSync(countsFile, "utf8"), countsFile)
  const side = rows.length
  rows.forEach((r, i) => {
    if (r.length !== side) throw new BadData({ file: countsFile, problem: `not a square matrix: row ${i + 1} has ${r.length} entries, there are ${side} rows` })
  })
  const nA = parseNumberRows(readFileSync(elementCountFile, "utf8"), elementCountFile).flat()
  if (nA.length !== side) throw new BadData({ file: elementCountFile, problem: `${nA.length} element counts for a ${side}×${side} substitution matrix` })
  const counts = Float64Array.from(rows.flat())
  for (let z = 1; z < side; z++) {
    let row = 0
    for (let j = 0; j < side; j++) row += counts[z * side + j]
    if (nA[z] === 0 && row > 0) throw new BadData({ file: elementCountFile, problem: `element Z=${z} has N_A = 0 but ${row} substitutions: S_AB = count/N_A is undefined` })
  }
  return { counts, side, elementCount: Float64Array.from(nA) }
}

export const substitution = stage({
  name: "substitution",
  version: "1",
  description: "S_AB = count(A↔B)/N_A (thesis eq. 3.1) over the elements with data",
  params: z.object({}),
  outputs: {
    S: artifact.matrix(),
    elements: artifact.json(
      z.object({ symbols: z.array(z.string()), nA: z.array(z.number()), withoutData: z.array(z.string()), maxZ: z.number() }),
    ),
  },
  dataFiles: () => [dataFile(COUNTS, HINT), dataFile(ELEMENT_COUNT, HINT)],
  run: ({ log }) => {
    const data = loadSubstitutionData(dataFile(COUNTS, HINT), dataFile(ELEMENT_COUNT, HINT))
    // elements with data: N_A > 0; the last such Z bounds the table, lighter elements without data are reported
    const zs: number[] = []
    for (let z = 1; z < data.side; z++) if (data.elementCount[z] > 0) zs.push(z)
    const maxZ = zs[zs.length - 1] ?? 0
    const withoutData: string[] = []
    for (let z = 1; z <= maxZ; z++) if (!(data.elementCount[z] > 0)) withoutData.push(symbolOf(z))
    const symbols = zs.map(symbolOf)
    log(`${symbols.length} elements with data (Z ≤ ${maxZ}); without data: ${withoutData.join(", ")}`)
    return {
      S: { rows: zs.length, cols: zs.length, data: substitutionMatrix(data.counts, data.side, data.elementCount, zs), labels: symbols },
      elements: { symbols, nA: zs.map((z) => data.elementCount[z]), withoutData, maxZ },
    }
  },
})
