// Runs ordering-1d's computation at the thesis's settings on the shared data and prints the order artifact plus a
// digest of every start's stress and n_iter, as JSON. The n_init 20,000 check against scikit-learn runs this in a
// child process, so minutes of synchronous SMACOF do not starve the test runner's worker.
//   node bin/pipeline-ts.mjs tests/ordering-1d-thesis.ts
import { createHash } from "node:crypto"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"
import { chemDistance } from "../stages/chem-distance.js"
import { ordering1d, orderElements } from "../stages/ordering-1d.js"
import { substitution } from "../stages/substitution.js"
import { useSharedData } from "./fixtures.js"

useSharedData()
const sub = await runStage(substitution, { dataDir: dataDir() })
const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
const params = ordering1d.params.parse({})
// the digest's byte layout is the fixture generator's: every stress as float64 LE, then every n_iter as int32 LE
const stress = new DataView(new ArrayBuffer(8 * params.nInit))
const nIter = new DataView(new ArrayBuffer(4 * params.nInit))
const starts: [number, number][] = []
const order = orderElements(cd.D, params, (done, _total, start) => {
  stress.setFloat64(8 * (done - 1), start.stress, true)
  nIter.setInt32(4 * (done - 1), start.nIter, true)
  starts.push([done - 1, start.stress])
})
const best = Math.min(...starts.map(([, s]) => s))
const digest = createHash("sha256").update(new Uint8Array(stress.buffer)).update(new Uint8Array(nIter.buffer)).digest("hex")
process.stdout.write(JSON.stringify({ params, order, digest, withinOfBest: starts.filter(([, s]) => s <= best * (1 + 1e-12)) }))
