// npm run bench:forest [-- --tasks matbench_phonons,… --folds 0 --max-train 3000 --trees 200]
// The composition screen's random forest (numerics/forest) against scikit-learn's
// RandomForestRegressor(n_estimators=200, n_jobs=2) (Debian's python3-sklearn) on the same rows of the
// same official folds, in the same run: element-fraction vectors, target standardised in the fold.
// One JSON line per task and fold: {"task", "fold", "r2", "r2_sklearn", "mae", "mae_sklearn", "fit_s", "fit_s_sklearn", "cpu_s", "cpu_s_sklearn"}
// (wall-clock and CPU seconds of the fit; on a shared machine the CPU seconds are the steadier comparison);
// both use two threads (ours: worker threads, numerics/forest/parallel.ts). Goal: R² within 0.01, fit no slower. Wall-clock on a shared machine.
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { compositionVector } from "../chem/formula.js"
import { STRUCTURE_TASKS, openTask, type MatbenchTaskName } from "../io/matbench.js"
import { scoreFold, subsample } from "../numerics/forest/cv.js"
import { sparseFromDense } from "../numerics/forest/forest.js"
import { useSharedData } from "../tests/fixtures.js"

useSharedData()
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const tasks = arg("tasks", STRUCTURE_TASKS.join(",")).split(",") as MatbenchTaskName[]
const folds = arg("folds", "0").split(",").map(Number)
const maxTrain = Number(arg("max-train", "3000"))
const trees = Number(arg("trees", "200"))
const seed = 0
const dir = mkdtempSync(join(tmpdir(), "bench-forest-"))
const f64 = (xs: ArrayLike<number>) => Buffer.from(Float64Array.from(xs as ArrayLike<number>).buffer)
const results: Record<string, unknown>[] = []
try {
  for (const name of tasks) {
    const t = openTask(name)
    const n = t.compositions.length
    const dense = new Float64Array(n * 103)
    t.compositions.forEach((c, i) => dense.set(compositionVector(c), i * 103))
    const x = sparseFromDense(dense, n, 103)
    for (const k of folds) {
      const f = t.folds[k]!
      const train = subsample([...f.train, ...f.validation].sort((a, b) => a - b), maxTrain, seed + 1000 * k)
      const ours = await scoreFold(x, t.targets, train, f.test, { nTrees: trees, seed, threads: 2 })
      // sklearn on the same rows, the target standardised the same way (R² is unaffected by the scale)
      const yTr = train.map((i) => t.targets[i]!)
      const mu = yTr.reduce((a, b) => a + b, 0) / yTr.length
      const sd = Math.sqrt(yTr.reduce((a, b) => a + (b - mu) ** 2, 0) / yTr.length) || 1
      const rows = (idx: number[]) => idx.flatMap((i) => Array.from(dense.subarray(i * 103, (i + 1) * 103)))
      writeFileSync(join(dir, "x_train.f64"), f64(rows(train)))
      writeFileSync(join(dir, "y_train.f64"), f64(yTr.map((v) => (v - mu) / sd)))
      writeFileSync(join(dir, "x_test.f64"), f64(rows(f.test)))
      writeFileSync(join(dir, "y_test.f64"), f64(f.test.map((i) => (t.targets[i]! - mu) / sd)))
      writeFileSync(join(dir, "meta.json"), JSON.stringify({ cols: 103, trees, jobs: 2, seed }))
      const sk = JSON.parse(execFileSync("/usr/bin/python3", [new URL("./forest-sklearn.py", import.meta.url).pathname, dir], { encoding: "utf8" })) as { r2: number; mae: number; fit_s: number; cpu_s: number }
      const line = { task: name, fold: k, n_train: train.length, n_test: f.test.length, r2: Number(ours.r2.toFixed(4)), r2_sklearn: Number(sk.r2.toFixed(4)), mae: Number(ours.mae.toPrecision(4)), mae_sklearn: Number((sk.mae * sd).toPrecision(4)), fit_s: Number(ours.fitSeconds.toFixed(2)), fit_s_sklearn: Number(sk.fit_s.toFixed(2)), cpu_s: Number(ours.fitCpuSeconds.toFixed(2)), cpu_s_sklearn: Number(sk.cpu_s.toFixed(2)) }
      results.push(line)
      console.log(JSON.stringify(line))
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const worst = Math.max(...results.map((r) => Math.abs((r.r2 as number) - (r.r2_sklearn as number))))
const slower = results.filter((r) => (r.fit_s as number) > (r.fit_s_sklearn as number)).length
console.log(`max |ΔR²| ${worst.toFixed(4)} (goal < 0.01); fit slower than sklearn on ${slower} of ${results.length}`)
console.log(JSON.stringify({ bench: "forest", max_train: maxTrain, trees, max_abs_r2_diff: Number(worst.toFixed(4)), slower_than_sklearn: slower, runs: results.length }))
