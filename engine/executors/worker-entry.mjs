// Worker-thread entry: load TypeScript through tsx, then run one stage node (see worker.ts).
import { register } from "tsx/esm/api"
import { parentPort, workerData } from "node:worker_threads"

register()
const { runInThisWorker } = await import(new URL("./worker-run.ts", import.meta.url).href)
await runInThisWorker(workerData, parentPort)
