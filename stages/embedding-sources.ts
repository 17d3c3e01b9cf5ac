// stages/embedding-sources.ts: the one place that says which models the analysis (thesis §3.2.3–3.2.4,
// §4.2.2–4.2.3) reads: the trained CGCNN/MEGNet models of the `train` grid. To analyse the published
// tables instead (e.g. before any training), point both handles at `publishedTables.out.embeddings`.
import { all } from "../engine/index.js"
import { train } from "./train.js"

/** One model per node: per-model stages read this and inherit its grid (one node per model). */
export const model = train.out.embeddings

/** Every model: the aggregate stages (correlations, consensus, orthogonality, distillation) gather this. */
export const models = all(train.out.embeddings)
