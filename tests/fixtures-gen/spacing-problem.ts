// Prints thesis eq. 3.3's weights for the default reading (max-rescaled, Table 3.1 order) as JSON, for
// tests/fixtures-gen/spacing_scipy.py. Data: PIPELINE_DATA_DIR, else ../shared/data beside the repository.
//   node bin/pipeline-ts.mjs tests/fixtures-gen/spacing-problem.ts | /usr/bin/python3 tests/fixtures-gen/spacing_scipy.py
import { runStage } from "../../engine/testing.js"
import { parseReading, spacingWeights } from "../../numerics/ordering/readings.js"
import { chemDistance } from "../../stages/chem-distance.js"
import { referenceOrder } from "../../stages/reference-order.js"
import { DEFAULT_READING, spacing } from "../../stages/spacing.js"
import { substitution } from "../../stages/substitution.js"
import { useSharedData } from "../fixtures.js"

useSharedData()
const sub = await runStage(substitution)
const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
const ro = await runStage(referenceOrder)
const row = new Map((sub.S.labels ?? []).map((s, i) => [s, i]))
const order = ro.order.symbols.map((s) => row.get(s) ?? -1)
const W = spacingWeights(parseReading(DEFAULT_READING).weights, sub.S.data, cd.D.data, sub.S.rows, order)
const eta = spacing.params.parse({}).eta
// the span of the completed chemical distance (finite, off the diagonal), recorded beside the scipy results
let dMin = Infinity
let dMax = 0
cd.D.data.forEach((v, k) => {
  if (k % (cd.D.rows + 1) === 0 || !Number.isFinite(v)) return
  dMin = Math.min(dMin, v)
  dMax = Math.max(dMax, v)
})
process.stdout.write(JSON.stringify({ reading: DEFAULT_READING, eta, n: order.length, W: Array.from(W), distanceSpan: [dMin, dMax] }))
