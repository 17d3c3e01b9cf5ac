// The forest's trees split over worker threads (sklearn's n_jobs): thread k grows a contiguous slice of
// tree indices with the same per-tree seeds as fitForest, so the forest does not depend on the thread count.
import { Worker } from "node:worker_threads"
import { fitForest, type Forest, type ForestOptions, type SparseRows, type Tree } from "./forest.js"

/**
 * `minRowTrees`: below rows × trees of this, the fit stays on this thread — starting a worker (and, from
 * sources, its TypeScript loader) costs ~0.5 s of CPU, more than a 1,000-row forest takes to grow.
 */
export async function fitForestParallel(x: SparseRows, y: ArrayLike<number>, opts: ForestOptions, threads: number, minRowTrees = 400_000): Promise<Forest> {
  const nTrees = opts.nTrees ?? 200
  if (threads <= 1 || nTrees < 2 || x.nRows * nTrees < minRowTrees) return fitForest(x, y, opts)
  const k = Math.min(threads, nTrees)
  const slices = Array.from({ length: k }, (_, i) => {
    const a = Math.floor((i * nTrees) / k), b = Math.floor(((i + 1) * nTrees) / k)
    return { firstTree: (opts.firstTree ?? 0) + a, nTrees: b - a }
  })
  const yArr = Float64Array.from(y as ArrayLike<number>)
  const parts = await Promise.all(
    slices.map(
      (s) =>
        new Promise<Tree[]>((resolve, reject) => {
          const w = new Worker(new URL("./fit-worker.mjs", import.meta.url), { workerData: { x, y: yArr, opts: { ...opts, ...s } } })
          w.once("message", (trees: Tree[]) => {
            resolve(trees)
            void w.terminate()
          })
          w.once("error", reject)
        }),
    ),
  )
  return { nCols: x.nCols, trees: parts.flat() }
}
