// stages/reference-order.ts: thesis §3.1.3 — the fixed order along which the gaps are optimised: the
// Glawe et al. 2016 GA order (modified Pettifor scale, doi:10.1088/1367-2630/18/9/093011) as printed in thesis
// Table 3.1 (95 elements, Z = 1…95), or the published modified-Pettifor scale (mod_petti.json) over the same
// elements. The two differ in a few places (Table 3.1 puts At, Rn, Fr, Pm ahead of Kr/Xe/Cs and lists the
// actinides Ac, Am, Pu, Np, U, Th, Pa); `source` selects one.
import { z } from "zod"
import { artifact, stage, type DataRef } from "../engine/index.js"
import { modPettiInput, modPettiOrder } from "../io/pettifor.js"
import { THESIS_TABLE_3_1 } from "./thesis-table-3-1.js"

export const referenceOrder = stage({
  name: "reference-order",
  version: "1",
  description: "the fixed element order for the gap optimisation (Glawe et al. GA order)",
  params: z.object({ source: z.enum(["thesis-table-3-1", "mod-petti"]).default("thesis-table-3-1").describe("which GA order") }),
  outputs: { order: artifact.json(z.object({ source: z.string(), symbols: z.array(z.string()) })) },
  data: (p): { modPetti?: DataRef } => (p.source === "mod-petti" ? { modPetti: modPettiInput() } : {}),
  run: ({ params, data }) => {
    const table = THESIS_TABLE_3_1.map((r) => r.element)
    if (params.source === "thesis-table-3-1" || !data.modPetti) return { order: { source: params.source, symbols: table } }
    return { order: { source: params.source, symbols: modPettiOrder(data.modPetti, table) } }
  },
})
