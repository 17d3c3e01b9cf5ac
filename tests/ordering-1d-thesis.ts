// Runs ordering-1d at the thesis's settings on the shared data and prints its order artifact as JSON: the
// n_init 20,000 fixture test runs this in a child process, so minutes of synchronous SMACOF do not starve
// the test runner's worker. `node bin/pipeline-ts.mjs tests/ordering-1d-thesis.ts`
import { runStage } from "../engine/testing.js"
import { chemDistance } from "../stages/chem-distance.js"
import { ordering1d } from "../stages/ordering-1d.js"
import { substitution } from "../stages/substitution.js"
import { useSharedData } from "./fixtures.js"

useSharedData()
const sub = await runStage(substitution)
const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
const { order } = await runStage(ordering1d, { params: {}, inputs: { D: cd.D } })
process.stdout.write(JSON.stringify({ params: ordering1d.params.parse({}), order }))
