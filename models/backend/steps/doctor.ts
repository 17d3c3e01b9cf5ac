// `pipeline doctor`: which tfjs backend training uses and why, and what one training step costs here
// (the CGCNN and MEGNet steps of bench/train.bench.ts on the reference batch, a few steps each).
import type { PipelineCommand } from "../../../engine/index.js"

export const doctorCommand: PipelineCommand = {
  summary: "print the training backend in use and why, and the measured training-step time",
  usage: "doctor [--steps N] [--no-timing]",
  run: async (args) => {
    const i = args.indexOf("--steps")
    const steps = i >= 0 ? Number(args[i + 1]) : 3
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`doctor: --steps wants a positive integer, got '${args[i + 1]}'`)
    // tfjs loads only when the command runs: every other CLI call imports pipeline.ts, hence this module
    const [{ initBackend }, { cgcnnBatch }, { cgcnnStepRunner, timeSteps }, { graphModelStepRunner }] = await Promise.all([
      import("../runtime/backend.js"),
      import("./cgcnn-batch.js"),
      import("./cgcnn-step.js"),
      import("./graph-step.js"),
    ])
    const backend = await initBackend()
    console.log(`backend  ${backend.label}`)
    console.log(`why      ${backend.reason}`)
    if (args.includes("--no-timing")) return 0
    const batch = cgcnnBatch()
    const runners = { cgcnn: () => cgcnnStepRunner(batch), megnet: () => graphModelStepRunner(batch, "megnet") }
    for (const [name, make] of Object.entries(runners)) {
      const r = make()
      const t = timeSteps(r, 3, steps)
      r.dispose()
      console.log(`${name.padEnd(8)} ${t.medianMs.toFixed(0)} ms / training step (median of ${steps}; 64 crystals, 1,536 atoms, 18,432 edges)`)
    }
    return 0
  },
}
