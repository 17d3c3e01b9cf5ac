// Worker-thread entry for step-throughput measurements (one model per worker, as the engine runs
// `heavy` training stages): loads TypeScript through tsx, initialises the backend in this thread.
import { register } from "tsx/esm/api"
import { parentPort, workerData } from "node:worker_threads"

register()
const { runStepWorker } = await import(new URL("./step-worker-run.ts", import.meta.url).href)
parentPort.postMessage(await runStepWorker(workerData))
