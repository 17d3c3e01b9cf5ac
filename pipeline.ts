// The thesis as a DAG — this file reads like its table of contents: it names the stages and wires
// them; each stage file says which section it computes.
import { definePipeline } from "./engine/index.js"
import { fetchCommand } from "./io/fetch.js"
// §2 Data: element tables, MatBench tasks with the official folds, crystal graphs
import { elementTables } from "./stages/element-tables.js"
import { graphs } from "./stages/graphs.js"
import { matbenchTask } from "./stages/matbench-task.js"

export default definePipeline({
  stages: [elementTables, matbenchTask, graphs],
  commands: { fetch: fetchCommand },
})
