// Training-step benchmark (issue 4): one CGCNN Adam step on the synthetic batch of
// ../shared/bench/cgcnn-step/ (64 crystals × 24 atoms × 12 neighbours, atom dim 64, edge dim 41;
// the reference model and weights, losses checked), one step of the project's MEGNet (models/megnet.ts,
// DIM 64, hybrid γ = 0, Adam) on the same graph,
// on the backend initBackend() picks; PyTorch's CGCNN step measured in the same run where
// python3-torch is installed; and sweep throughput with W worker threads (one model each).
//   npm run bench:train [-- --steps 20 --warmup 5 --workers 2 --torch auto|no]
// Prints a median per line, then one JSON line. Timings on a shared 2-core machine are noisy.
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { initBackend } from "../models/backend/runtime/backend.js"
import { cgcnnBatch } from "../models/backend/steps/cgcnn-batch.js"
import { cgcnnStepRunner, timeSteps } from "../models/backend/steps/cgcnn-step.js"
import { graphModelStepRunner } from "../models/backend/steps/graph-step.js"
import { runStepWorkers } from "../models/backend/steps/step-workers.js"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt
}
const steps = Number(arg("steps", "20")), warmup = Number(arg("warmup", "5")), workers = Number(arg("workers", "2"))
const REF_DIR = "/work/shared/bench/cgcnn-step"
// First five Adam losses of the reference implementations (README of REF_DIR).
const REF_LOSSES = [0.92186, 0.87165, 0.73346, 0.62289, 0.54938]
const round = (x: number): number => Math.round(x * 10) / 10

const backend = await initBackend()
console.log(`backend: ${backend.name} — ${backend.reason}`)
const batch = cgcnnBatch()

const cg = cgcnnStepRunner(batch)
const cgT = timeSteps(cg, warmup, steps)
cg.dispose()
const first5 = cgT.losses.slice(0, 5)
const lossesMatch = first5.every((l, i) => Math.abs(l - REF_LOSSES[i]!) < 5e-5)
console.log(`cgcnn  first losses ${first5.map((l) => l.toFixed(5)).join(", ")} (reference ${REF_LOSSES.join(", ")}): ${lossesMatch ? "match" : "MISMATCH"}`)
console.log(`cgcnn  step median ${cgT.medianMs.toFixed(0)} ms (p10 ${cgT.p10Ms.toFixed(0)}, p90 ${cgT.p90Ms.toFixed(0)})`)

const mg = graphModelStepRunner(batch, "megnet")
const mgT = timeSteps(mg, Math.min(warmup, 3), Math.max(5, Math.floor(steps / 2)))
mg.dispose()
console.log(`megnet step median ${mgT.medianMs.toFixed(0)} ms (p10 ${mgT.p10Ms.toFixed(0)}, p90 ${mgT.p90Ms.toFixed(0)})`)

let workerStepMs: number[] = []
if (workers > 1) {
  const ws = await runStepWorkers(workers, { model: "cgcnn", warmup: 3, steps: Math.max(5, Math.floor(steps / 2)) })
  workerStepMs = ws.map((w) => w.medianMs)
  console.log(`cgcnn  ${workers} worker threads at once: step medians ${workerStepMs.map((m) => m.toFixed(0)).join(", ")} ms` +
    ` → ${(ws.reduce((a, w) => a + 1000 / w.medianMs, 0)).toFixed(2)} steps/s in all`)
}

/** PyTorch's step on the same batch: the reference script, single-threaded, in a temp copy of its folder. */
function torchStepMs(): number | null {
  if (arg("torch", "auto") === "no" || !existsSync(join(REF_DIR, "cgcnn_torch.py"))) return null
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" })
  } catch {
    return null
  }
  const dir = mkdtempSync(join(tmpdir(), "cgcnn-torch-"))
  try {
    copyFileSync(join(REF_DIR, "gen_data.js"), join(dir, "gen_data.cjs"))
    copyFileSync(join(REF_DIR, "cgcnn_torch.py"), join(dir, "cgcnn_torch.py"))
    execFileSync(process.execPath, [join(dir, "gen_data.cjs")], { stdio: "ignore" })
    const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" }
    const out = execFileSync("/usr/bin/python3", [join(dir, "cgcnn_torch.py"), "--threads", "1", "--variant", "split",
      "--warmup", String(warmup), "--steps", String(steps)], { env, encoding: "utf8" })
    const line = out.trim().split("\n").pop()!
    return (JSON.parse(line) as { median_ms: number }).median_ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const torch = torchStepMs()
if (torch !== null) console.log(`torch  step median ${torch.toFixed(0)} ms (PyTorch CPU, 1 thread, same batch, same run)`)
else console.log("torch  not measured (python3-torch not installed, or --torch no)")

console.log(JSON.stringify({
  cgcnn_step_ms: round(cgT.medianMs), megnet_step_ms: round(mgT.medianMs), backend: backend.name,
  torch_cgcnn_step_ms: torch === null ? null : round(torch),
  cgcnn_losses_match: lossesMatch, workers, cgcnn_worker_step_ms: workerStepMs.map(round),
}))
