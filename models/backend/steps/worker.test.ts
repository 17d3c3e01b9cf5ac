// The backend in a worker thread (the engine runs `heavy` training stages in workers, one model
// each): it initialises there, picks the same backend, and trains to the same losses as this thread.
import { beforeAll, expect, it } from "vitest"
import { initBackend } from "../runtime/backend.js"
import { cgcnnBatch } from "./cgcnn-batch.js"
import { cgcnnStepRunner, timeSteps } from "./cgcnn-step.js"
import { runStepWorkers } from "./step-workers.js"

beforeAll(async () => {
  process.env.PIPELINE_TFJS_BACKEND = "cpu"
  await initBackend()
})

it("two worker threads initialise the cpu path and reproduce this thread's Adam losses bit for bit", async () => {
  const scale = { N: 4, A: 96 }
  const here = cgcnnStepRunner(cgcnnBatch(scale))
  const want = timeSteps(here, 0, 3).losses
  here.dispose()
  const got = await runStepWorkers(2, { model: "cgcnn", warmup: 0, steps: 3, scale })
  for (const w of got) {
    expect(w.backend).toBe("cpu")
    expect(w.losses).toEqual(want)
  }
}, 60_000)
