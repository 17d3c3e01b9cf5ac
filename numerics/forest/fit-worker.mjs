// Worker-thread entry of numerics/forest/parallel.ts: fit a slice of the forest's trees. Built (.build/)
// code is plain ESM; from sources (vitest, tsx) the TypeScript loader is registered first.
import { parentPort, workerData } from "node:worker_threads"

const built = import.meta.url.includes("/.build/")
if (!built) (await import("tsx/esm/api")).register()
const { fitForest } = await import(new URL(built ? "./forest.js" : "./forest.ts", import.meta.url).href)
const { x, y, opts } = workerData
const forest = fitForest(x, y, opts)
parentPort.postMessage(forest.trees, forest.trees.flatMap((t) => [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.value.buffer]))
