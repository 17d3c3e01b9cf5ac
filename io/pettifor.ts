// The modified Pettifor scale (Glawe et al. 2016, doi:10.1088/1367-2630/18/9/093011) as ElMD ships it:
// pettifor/mod_petti.json, {element: position}.
import { z } from "zod"
import type { DataFile } from "../engine/index.js"
import { BadData } from "../engine/errors.js"
import { dataInput, parseJsonFile } from "./data-dir.js"

export const modPettiInput = () => dataInput("pettifor/mod_petti.json")

/** The elements of `wanted` in mod-Petti order; BadData naming the file if one has no position. */
export function modPettiOrder(data: DataFile, wanted: readonly string[]): string[] {
  const raw = z.record(z.number()).safeParse(parseJsonFile(data))
  if (!raw.success) throw new BadData({ file: data.path, problem: "expected {element: position}" })
  const missing = wanted.filter((s) => !(s in raw.data))
  if (missing.length) throw new BadData({ file: data.path, problem: `no position for ${missing.join(", ")}` })
  const keep = new Set(wanted)
  return Object.entries(raw.data)
    .filter(([s]) => keep.has(s))
    .sort((a, b) => a[1] - b[1])
    .map(([s]) => s)
}
