// stages/radius-groups.ts: thesis §3.2.4, Fig. 3.12 — each consensus group split by cation vs anion
// and by Goldschmidt's 30 % rule on the elements' largest Shannon ionic radius. Thesis: 17 → 33 groups.
import { z } from "zod"
import { zOf } from "../chem/elements.js"
import { artifact, stage } from "../engine/index.js"
import { loadElementFacts, periodicTableInput, shannonRadii, type ElementFactsTable } from "../io/element-facts.js"
import { periodicTableSvg } from "../figures/periodic-table.js"
import { splitByRadius, type RadiusMember } from "../numerics/embedding/radius-groups.js"
import { clusterEnsemble } from "./cluster-ensemble.js"

/** The element's largest Shannon radius and the sign of that ion's charge (first maximum in pymatgen order). */
export function radiusOf(facts: ElementFactsTable, symbol: string): RadiusMember {
  let best: { radius: number; charge: number } | undefined
  for (const r of shannonRadii(facts, symbol)) if (!best || r.radius > best.radius) best = r
  return best
    ? { symbol, radius: best.radius, ion: best.charge < 0 ? "anion" : "cation" }
    : { symbol, radius: undefined, ion: undefined }
}

const Subgroup = z.object({ id: z.string(), parent: z.number().int(), ion: z.string(), members: z.array(z.string()), radii: z.array(z.union([z.number(), z.string()])) })

export const radiusGroups = stage({
  name: "radius-groups",
  version: "1",
  description: "consensus groups split by ion sign and the ≥ 30 % radius jump (Fig. 3.12)",
  params: z.object({ ratio: z.number().gt(1).default(1.3).describe("new sub-group where r_next ≥ ratio · r_prev (Goldschmidt)") }),
  inputs: { consensus: clusterEnsemble.out.consensus },
  // pymatgen's Shannon radii
  data: () => ({ facts: periodicTableInput() }),
  outputs: { subgroups: artifact.json(z.array(Subgroup)), table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ params, inputs, data }) => {
    const facts = loadElementFacts(data.facts)
    const radiusMember = (s: string) => radiusOf(facts, s)
    const { symbols, labels } = inputs.consensus
    const parents = [...new Set(labels)].sort((a, b) => a - b)
    const subgroups = parents.flatMap((g) =>
      splitByRadius(symbols.filter((_, i) => labels[i] === g).map(radiusMember), params.ratio).map((s, k) => ({
        id: `G${g + 1}.${k + 1}`,
        parent: g,
        ion: s.ion,
        members: s.members,
        radii: s.radii,
      })),
    )
    const radius = new Map(symbols.map((s) => [s, radiusMember(s).radius]))
    const groupOf = new Map(subgroups.flatMap((s) => s.members.map((m) => [m, s.id] as const)))
    return {
      subgroups,
      table:
        ["element,group,subgroup,ion,max_shannon_radius", ...symbols.map((s, i) => {
          const sub = subgroups.find((x) => x.members.includes(s))!
          return [s, `G${labels[i]! + 1}`, sub.id, sub.ion, radius.get(s) ?? ""].join(",")
        })].join("\n") + "\n",
      figure: periodicTableSvg({
        title: `${parents.length} consensus groups → ${subgroups.length} radius/charge sub-groups (thesis: 17 → 33)`,
        z: zOf,
        groupOf,
        note: new Map(symbols.map((s) => [s, `${groupOf.get(s)} ${radius.get(s) !== undefined ? radius.get(s)!.toFixed(2) : ""}`])),
      }),
    }
  },
})
