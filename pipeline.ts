// The thesis as a DAG — this file reads like its table of contents: it names the stages and wires
// them; each stage file says which section it computes.
import { definePipeline } from "./engine/index.js"
import { dataProvider } from "./io/data-provider.js"
import { fetchCommand } from "./io/fetch.js"
import { doctorCommand } from "./models/backend/steps/doctor.js"
// the whole run as one HTML page, in thesis order (reads pipeline.lock: whatever was run)
import { reportCommand } from "./stages/report.js"
// §2 Data: element tables, MatBench tasks with the official folds, crystal graphs
import { elementTables } from "./stages/element-tables.js"
import { graphs } from "./stages/graphs.js"
import { matbenchTask } from "./stages/matbench-task.js"
// §3.1 One-dimensional element ordering: substitution → chemical distance → 1-D SMACOF; λ-spacing, λ selection
import { chemDistance } from "./stages/chem-distance.js"
import { lambdaSelect } from "./stages/lambda-select.js"
import { ordering1d } from "./stages/ordering-1d.js"
import { referenceOrder } from "./stages/reference-order.js"
import { spacing } from "./stages/spacing.js"
import { substitution } from "./stages/substitution.js"
// §3.2 / §4.1 Element embeddings in GNNs: CGCNN and MEGNet with H, L and hybrid-γ inputs
import { train } from "./stages/train.js"
// §3.2.2 checked: each trained model beside MatBench's published score for its backbone, task and fold
import { leaderboard } from "./stages/leaderboard.js"
// §3.2.2 Figs. 3.6–3.7 and §4.1 Figs. 4.2–4.4: the training grid drawn (whatever grid ran)
import { gammaStudy } from "./stages/gamma-study.js"
import { strategyMae } from "./stages/strategy-mae.js"
// §3.2.3 Composition screen: which tasks a composition alone explains (the tasks whose embeddings are analysed)
import { compositionPick } from "./stages/composition-pick.js"
import { compositionScreen } from "./stages/composition-screen.js"
// §3.2.3–3.2.4 Geometry of the learned embeddings; consensus element groups
import { clusterEnsemble } from "./stages/cluster-ensemble.js"
import { embeddingMetrics } from "./stages/embedding-metrics.js"
import { layerAri } from "./stages/layer-ari.js"
import { metricCorrelations } from "./stages/metric-correlations.js"
import { publishedTables } from "./stages/published-tables.js"
import * as published from "./stages/published-analysis.js"
import { radiusGroups } from "./stages/radius-groups.js"
// §4.2 Orthogonality of the two channels; distillation into Mat2Vec-S/H/L
import { distill } from "./stages/distill.js"
import { orthogonality } from "./stages/orthogonality.js"
import { angleDistribution } from "./stages/angle-distribution.js"
// §4.2.4 Transfer: CrabNet with Mat2Vec, SkipAtom and Mat2Vec-S/H/L on the composition tasks (Tables 4.2, 4.3)
import { crabnet, crabnetDistilled } from "./stages/crabnet.js"
import { crabnetTransfer } from "./stages/crabnet-transfer.js"

export default definePipeline({
  stages: [
    elementTables, matbenchTask, graphs,
    substitution, chemDistance, ordering1d, referenceOrder, spacing, lambdaSelect,
    compositionScreen, compositionPick,
    train, leaderboard, strategyMae, gammaStudy,
    publishedTables, embeddingMetrics, metricCorrelations, layerAri, clusterEnsemble, radiusGroups,
    orthogonality, angleDistribution, distill,
    crabnet, crabnetDistilled, crabnetTransfer,
    // the same analysis of the published tables (Mat2Vec, SkipAtom, MEGNet-16 …) as "models"
    ...Object.values(published),
  ],
  // smoke: tiny slices (tests, CI); default: a laptop; paper: the thesis's settings
  presets: ["smoke", "default", "paper"],
  defaultPreset: "default",
  data: dataProvider,
  commands: { fetch: fetchCommand, doctor: doctorCommand, report: reportCommand },
})
