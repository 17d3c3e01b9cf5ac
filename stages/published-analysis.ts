// stages/published-analysis.ts: thesis §3.2.3–3.2.4 and §4.2 applied to the published element tables
// (Mat2Vec, SkipAtom, MEGNet-16, Magpie, Oliynyk, random_200, CGCNN …) treated as "models": the same
// steps as for the trained models, as variants reading `published-tables` instead of `train`. One
// metrics node per table, so adding a table recomputes that table and the aggregates only.
import { all, variant } from "../engine/index.js"
import { clusterEnsemble } from "./cluster-ensemble.js"
import { distill } from "./distill.js"
import { embeddingMetrics } from "./embedding-metrics.js"
import { layerAri } from "./layer-ari.js"
import { metricCorrelations } from "./metric-correlations.js"
import { orthogonality } from "./orthogonality.js"
import { publishedTables } from "./published-tables.js"
import { radiusGroups } from "./radius-groups.js"

const tables = publishedTables.out.embeddings

export const publishedMetrics = variant(embeddingMetrics, { name: "published-metrics", inputs: { model: tables } })
const analyses = all(publishedMetrics.out.metrics)
export const publishedCorrelations = variant(metricCorrelations, { name: "published-correlations", inputs: { analyses } })
export const publishedLayerAri = variant(layerAri, { name: "published-layer-ari", inputs: { analyses } })
export const publishedClusterEnsemble = variant(clusterEnsemble, { name: "published-cluster-ensemble", inputs: { analyses } })
export const publishedRadiusGroups = variant(radiusGroups, {
  name: "published-radius-groups",
  inputs: { consensus: publishedClusterEnsemble.out.consensus },
})
export const publishedOrthogonality = variant(orthogonality, { name: "published-orthogonality", inputs: { models: all(tables) } })
export const publishedDistill = variant(distill, { name: "published-distill", inputs: { models: all(tables) } })
