// Worker-thread entry: run one stage node (see worker.ts). Built (.build/) code is plain ESM;
// from sources (vitest, tsx) the TypeScript loader is registered first.
import { parentPort, workerData } from "node:worker_threads"

const built = import.meta.url.includes("/.build/")
if (!built) (await import("tsx/esm/api")).register()
const { runInThisWorker } = await import(new URL(built ? "./worker-run.js" : "./worker-run.ts", import.meta.url).href)
await runInThisWorker(workerData, parentPort)
