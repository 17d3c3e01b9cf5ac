// stages/reference-order.ts: thesis §3.1.3 — the fixed order along which the gaps are optimised: the
// Glawe et al. 2016 GA order (modified Pettifor scale, doi:10.1088/1367-2630/18/9/093011) as printed in thesis
// Table 3.1 (95 elements, Z = 1…95), or the published modified-Pettifor scale (mod_petti.json) over the same
// elements. The two differ in a few places (Table 3.1 puts At, Rn, Fr, Pm ahead of Kr/Xe/Cs and lists the
// actinides Ac, Am, Pu, Np, U, Th, Pa); `source` selects one.
import { readFileSync } from "node:fs"
import { z } from "zod"
import { BadData } from "../engine/errors.js"
import { artifact, stage } from "../engine/index.js"
import { dataFile } from "../io/data-dir.js"
import { THESIS_TABLE_3_1 } from "./thesis-table-3-1.js"

const MOD_PETTI = "pettifor/mod_petti.json"

export const referenceOrder = stage({
  name: "reference-order",
  version: "1",
  description: "the fixed element order for the gap optimisation (Glawe et al. GA order)",
  params: z.object({ source: z.enum(["thesis-table-3-1", "mod-petti"]).default("thesis-table-3-1").describe("which GA order") }),
  outputs: { order: artifact.json(z.object({ source: z.string(), symbols: z.array(z.string()) })) },
  dataFiles: (p) => (p.source === "mod-petti" ? [dataFile(MOD_PETTI)] : []),
  run: ({ params }) => {
    const table = THESIS_TABLE_3_1.map((r) => r.element)
    if (params.source === "thesis-table-3-1") return { order: { source: params.source, symbols: table } }
    const file = dataFile(MOD_PETTI)
    const raw = z.record(z.number()).safeParse(JSON.parse(readFileSync(file, "utf8")))
    if (!raw.success) throw new BadData({ file, problem: "expected {element: position}" })
    const wanted = new Set(table)
    const missing = table.filter((s) => !(s in raw.data))
    if (missing.length) throw new BadData({ file, problem: `no position for ${missing.join(", ")}` })
    const symbols = Object.entries(raw.data)
      .filter(([s]) => wanted.has(s))
      .sort((a, b) => a[1] - b[1])
      .map(([s]) => s)
    return { order: { source: params.source, symbols } }
  },
})
