// stages/embedding-sources.ts: the one place that says which models the analysis (thesis §3.2.3–3.2.4,
// §4.2.2–4.2.3) reads. Today: the published tables. Once training runs, point both handles at
// `train.out.embeddings` (e.g. `export const model = train.out.embeddings`,
// `export const models = all(train.out.embeddings)`); every analysis stage follows.
import { all } from "../engine/index.js"
import { publishedTables } from "./published-tables.js"

/** One model per node: per-model stages read this and inherit its grid (one node per model). */
export const model = publishedTables.out.embeddings

/** Every model: the aggregate stages (correlations, consensus, orthogonality, distillation) gather this. */
export const models = all(publishedTables.out.embeddings)
