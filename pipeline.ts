// The thesis as a DAG — this file reads like its table of contents: it names the stages and wires
// them; each stage file says which section it computes.
import { definePipeline } from "./engine/index.js"
import { fetchCommand } from "./io/fetch.js"
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

export default definePipeline({
  stages: [
    elementTables, matbenchTask, graphs,
    substitution, chemDistance, ordering1d, referenceOrder, spacing, lambdaSelect,
  ],
  commands: { fetch: fetchCommand },
})
