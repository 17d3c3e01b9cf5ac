// Prints the completed chemical distance that ordering-1d feeds to MDS (unreachable pairs filled with the largest
// finite distance, as `unreachable: fill-max`) as JSON, for tests/fixtures-gen/sklearn_ordering_starts.py.
//   node bin/pipeline-ts.mjs tests/fixtures-gen/distances.ts | /usr/bin/python3 tests/fixtures-gen/sklearn_ordering_starts.py
import { runStage } from "../../engine/testing.js"
import { chemDistance } from "../../stages/chem-distance.js"
import { finiteDistances } from "../../stages/ordering-1d.js"
import { substitution } from "../../stages/substitution.js"
import { useSharedData } from "../fixtures.js"

useSharedData()
const sub = await runStage(substitution)
const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
const { keep, F } = finiteDistances(cd.D.data, cd.D.rows, "fill-max")
process.stdout.write(JSON.stringify({ labels: keep.map((i) => cd.D.labels![i]), n: keep.length, D: Array.from(F) }))
