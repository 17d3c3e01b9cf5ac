// stages/substitution.ts: thesis §3.1.2, eq. 3.1 — S_AB = count(A↔B)/N_A from the ICSD substitution statistics
// of Wang, Botti & Marques 2021 (the thesis's ref. [4]); rows/cols = the elements with data (N_A > 0).
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { symbolOf } from "../chem/elements.js"
import { loadSubstitutionData, substitutionInputs } from "../io/substitution.js"
import { substitutionMatrix } from "../numerics/ordering/substitution.js"

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
  data: substitutionInputs,
  run: ({ data: files, log }) => {
    const data = loadSubstitutionData(files)
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
