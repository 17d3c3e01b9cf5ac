// stages/element-tables.ts: thesis §3.2 (the H channel's CGCNN 92-d descriptor) and §4.2 (Mat2Vec,
// SkipAtom, MEGNet-16… compared in CrabNet): one node per element table, rows = elements in Z order.
import { z } from "zod"
import { artifact, stage } from "../engine/index.js"
import { coverage, elementTableInput, elementTableNames, loadElementTable } from "../io/element-tables.js"

const tableName = z.enum(elementTableNames as [string, ...string[]])

export const elementTables = stage({
  name: "element-tables",
  version: "1",
  description: "element tables from the data dir as labelled matrices (rows = element symbols), with coverage of Z = 1…103",
  params: z.object({ table: tableName.default("cgcnn").describe("element table name") }),
  grid: { table: [...elementTableNames] },
  presets: {
    smoke: { table: ["cgcnn", "mat2vec"] },
    default: { table: ["cgcnn", "mat2vec", "skipatom", "megnet16", "magpie", "oliynyk"] },
  },
  outputs: {
    table: artifact.matrix(),
    coverage: artifact.json(
      z.object({ name: z.string(), maxZ: z.number(), covered: z.array(z.string()), missing: z.array(z.string()), incomplete: z.array(z.string()) }),
    ),
  },
  data: (p) => ({ table: elementTableInput(p.table) }),
  run: ({ params, data }) => {
    const t = loadElementTable(params.table, data.table)
    return {
      table: { rows: t.symbols.length, cols: t.dim, data: t.vectors, labels: t.symbols },
      coverage: coverage(t),
    }
  },
})
