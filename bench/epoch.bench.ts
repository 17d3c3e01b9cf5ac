// Epoch benchmark: whole training epochs of the project's CGCNN or MEGNet on the real matbench_phonons
// fold 0 (the train stage's code path: batching, SGD/Adam steps, validation), so what a run costs per
// epoch is measured, not one synthetic step. Needs the data dir (PIPELINE_DATA_DIR).
//   npm run bench:epoch [-- --backbone cgcnn|megnet --dim 64 --epochs 3]
// Prints seconds per epoch (the first is warm-up), then one JSON line. The npm script gives the main
// thread the young generation the engine gives heavy workers (engine/executors/worker.ts).
import { trainModel } from "../models/train.js"
import { runStage } from "../engine/testing.js"
import { graphs } from "../stages/graphs.js"
import { matbenchTask } from "../stages/matbench-task.js"
import { cgcnnDescriptor } from "../stages/train.js"
import { dataDir, openDataFile } from "../io/data-dir.js"
import { elementTableInput } from "../io/element-tables.js"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt
}
const backbone = arg("backbone", "cgcnn") as "cgcnn" | "megnet"
const dim = Number(arg("dim", backbone === "cgcnn" ? "64" : "16"))
const epochs = Number(arg("epochs", "3"))

const { task } = await runStage(matbenchTask, { dataDir: dataDir() })
const g = await runStage(graphs, { inputs: { rows: task }, dataDir: dataDir() })
const fold = task.folds[0]!
const times: number[] = []
let last = performance.now()
const r = await trainModel(backbone === "cgcnn" ? g.cgcnn : g.megnet, task.targets, { train: fold.train, validation: fold.validation, test: fold.test }, {
  backbone, dim, gamma: -Infinity, descriptor: cgcnnDescriptor(openDataFile(elementTableInput("cgcnn").file)), epochs, patience: epochs, batchSize: 128, seed: 0,
  onEpoch: (e) => {
    const now = performance.now()
    times.push((now - last) / 1000)
    last = now
    console.log(`epoch ${e.epoch}: ${times.at(-1)!.toFixed(2)} s, val MAE ${e.validationMae.toFixed(1)}`)
  },
})
const steady = times.slice(1)
const median = steady.length ? steady.sort((a, b) => a - b)[Math.floor(steady.length / 2)]! : times[0]!
console.log(JSON.stringify({ backbone, dim, epoch_s: Math.round(median * 100) / 100, first_epoch_s: Math.round(times[0]! * 100) / 100, backend: r.backend }))
