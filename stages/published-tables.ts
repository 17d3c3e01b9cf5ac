// stages/published-tables.ts: thesis §3.2.3 / §4.2.3 inputs before training exists — every published
// element table (MEGNet-16, Mat2Vec, SkipAtom, Magpie, Oliynyk, random_200, CGCNN …) as a "model"
// (strategy "published", no error), so the analysis stages run on real tables today. One node per
// table: adding a table adds one node and leaves the others cached.
import { z } from "zod"
import { SYMBOLS, zOf } from "../chem/elements.js"
import { artifact, stage } from "../engine/index.js"
import { elementTableInput, elementTableNames, loadElementTable } from "../io/element-tables.js"
import { ModelEmbeddings } from "../models/embeddings.js"
import { toRows } from "../numerics/embedding/rows.js"

const TableName = z.enum(elementTableNames as [string, ...string[]])

export const publishedTables = stage({
  name: "published-tables",
  version: "1",
  description: "published element tables as ModelEmbeddings (strategy 'published'), Z ≤ maxZ, NaN rows dropped",
  params: z.object({
    table: TableName.default("mat2vec").describe("published element table"),
    maxZ: z.number().int().min(2).max(SYMBOLS.length).default(103).describe("keep Z = 1…maxZ (the thesis's 103-d composition space)"),
  }),
  grid: { table: ["megnet16", "mat2vec", "skipatom", "magpie", "oliynyk", "random_200", "cgcnn"] },
  presets: {
    smoke: { table: ["megnet16", "mat2vec", "cgcnn"] },
    default: { table: ["megnet16", "mat2vec", "skipatom", "magpie", "oliynyk", "random_200", "cgcnn"] },
    paper: { table: [...elementTableNames] },
  },
  data: (p) => ({ table: elementTableInput(p.table) }),
  outputs: { embeddings: artifact.json(ModelEmbeddings) },
  run: ({ params, data, log }) => {
    const t = loadElementTable(params.table, data.table)
    const keep: number[] = []
    const incomplete: string[] = []
    t.symbols.forEach((s, i) => {
      if (zOf(s) > params.maxZ) return
      if (t.vectors.subarray(i * t.dim, (i + 1) * t.dim).some((v) => !Number.isFinite(v))) incomplete.push(s)
      else keep.push(i)
    })
    if (incomplete.length > 0) log(`${params.table}: dropped ${incomplete.length} rows with blanks (${incomplete.join(" ")})`)
    const rows = toRows(t.vectors, t.symbols.length, t.dim)
    const embeddings: ModelEmbeddings = {
      meta: { backbone: params.table, strategy: "published", gamma: null, dim: t.dim, task: "published", fold: null, mae: null, validationMae: null },
      symbols: keep.map((i) => t.symbols[i]!),
      fused: keep.map((i) => rows[i]!),
    }
    return { embeddings }
  },
})
