// Seconds per CrabNet epoch on matbench_steels (official fold 0, Mat2Vec table), per model size: what a
// preset can afford. Each size trains `--epochs` epochs (default 2: one plain epoch and one odd "SWA" epoch,
// which predicts the validation part after every batch) through trainCrabnet, the very code path a stage runs.
//   PIPELINE_DATA_DIR=../shared/data node bin/pipeline-ts.mjs bench/crabnet-epoch.ts [--epochs 2]
//     [--sizes 512x2048,256x1024,128x512,64x256,128x512:256-128-64-32]   (d_model x FFN[:output widths])
// Prints one line per size, then a JSON line. On a shared machine wall-clock seconds are noisy; CPU seconds too.
import { readFileSync } from "node:fs"
import { parseFormula } from "../chem/formula.js"
import { dataFile } from "../io/data-dir.js"
import { type CrabnetSample, type CrabnetTable, trainCrabnet } from "../models/crabnet/train.js"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt
}
const epochs = Number(arg("epochs", "2"))
const sizes = arg("sizes", "512x2048,256x1024,128x512,64x256,128x512:256-128-64-32").split(",").map((spec) => {
  const [dm, out] = spec.split(":")
  const [dModel, ffn] = dm!.split("x").map(Number) as [number, number]
  return { spec, dModel, ffn, outHidden: out ? out.split("-").map(Number) : undefined }
})

const csv = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => l.split(","))
const [, ...m2v] = csv(dataFile("crabnet/element_properties/mat2vec.csv"))
const table: CrabnetTable = {
  name: "mat2vec", symbols: m2v.map((r) => r[0]!), dim: m2v[0]!.length - 1,
  vectors: Float32Array.from(m2v.flatMap((r) => r.slice(1).map(Number))),
}
const [, ...rows] = csv(dataFile("matbench/official_folds/matbench_steels.csv"))
const samples: CrabnetSample[] = rows.map((r) => {
  const a = parseFormula(r[1]!)
  return { symbols: [...a.keys()], fractions: [...a.values()] }
})
const targets = rows.map((r) => Number(r[2]))
const trainAll = rows.flatMap((r, i) => (r[3] === "0" ? [] : [i]))
// CrabNet's matbench script carves a validation part off the training part; every 10th here
const split = { train: trainAll.filter((_, k) => k % 10 !== 0), validation: trainAll.filter((_, k) => k % 10 === 0), test: rows.flatMap((r, i) => (r[3] === "0" ? [i] : [])) }

const out: Record<string, { epoch_s: number; epoch_cpu_s: number; params: number; test_mae: number }> = {}
for (const { spec, dModel, ffn, outHidden } of sizes) {
  const t0 = performance.now(), c0 = process.cpuUsage()
  const r = await trainCrabnet(table, samples, targets, split, { task: "regression", dModel, heads: 4, layers: 3, ffn, outHidden, epochs, seed: 0 })
  const c = process.cpuUsage(c0)
  const wall = (performance.now() - t0) / 1000 / r.epochsRun, cpu = (c.user + c.system) / 1e6 / r.epochsRun
  const mae = r.test.reduce((a, t) => a + Math.abs(t.prediction - t.target), 0) / r.test.length
  out[spec] = { epoch_s: Math.round(wall * 100) / 100, epoch_cpu_s: Math.round(cpu * 100) / 100, params: r.parameters, test_mae: Math.round(mae * 10) / 10 }
  console.log(`${spec}: ${wall.toFixed(2)} s/epoch wall, ${cpu.toFixed(2)} s CPU (${r.parameters} parameters, ${r.epochsRun} epochs incl. final predictions)`)
}
console.log(JSON.stringify({ task: "matbench_steels", fold: 0, train: split.train.length, validation: split.validation.length, epochs, sizes: out, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ")[0] }))
