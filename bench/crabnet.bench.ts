// CrabNet training-step benchmark (issue 10): one full step (forward, robust L1, backward, Lamb +
// Lookahead, dropout 0.1) of the port on the steels batch and seeded weights of
// ../shared/bench/crabnet-step, and PyTorch's step on the same data in the same run
// (crabnet_torch.py, same thread count), from a writable copy of that folder that crabnet-harness.ts
// prepares on first use (needs Debian's python3-torch).
//   npm run bench:crabnet [-- --steps 8 --warmup 1 --threads 1 --harness DIR --torch auto|no]
// Wall-clock medians go into the ratio; CPU-time medians are printed too: on a shared machine they are the
// better estimate of an idle one. --threads sets OpenBLAS's threads for the port's matrix products (the
// rest of the port runs on one thread) and PyTorch's OMP/OpenBLAS threads.
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { openBlas } from "../models/backend/runtime/blas.js"
import { initBackend } from "../models/backend/runtime/backend.js"
import { crabnetReference } from "../models/backend/steps/crabnet-step.js"
import { cyclicLr } from "../models/crabnet/optim.js"
import { mulberry32 } from "../numerics/random.js"
import { crabnetHarness, DEFAULT_HARNESS } from "./crabnet-harness.js"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt
}
const steps = Number(arg("steps", "8")), warmup = Number(arg("warmup", "1")), threads = Number(arg("threads", "1"))
const harness = crabnetHarness(arg("harness", DEFAULT_HARNESS))
const data = join(harness, "data")
const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const load = () => Number(execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ")[0])

openBlas()?.setThreads(threads)
const backend = await initBackend()
console.log(`backend: ${backend.name} — ${backend.reason}`)
const ref = crabnetReference(data, 0.1)
const rng = mulberry32(0)
const wall: number[] = [], cpu: number[] = [], losses: number[] = []
const load0 = load()
for (let t = 0; t < warmup + steps; t++) {
  const c0 = process.cpuUsage(), t0 = performance.now()
  losses.push(ref.trainer.step(ref.batch, ref.y, cyclicLr(t, ref.stepSizeUp), rng))
  const c = process.cpuUsage(c0)
  if (t >= warmup) {
    wall.push(performance.now() - t0)
    cpu.push((c.user + c.system) / 1e3)
  }
}
ref.dispose()
const port = { wall: median(wall), cpu: median(cpu) }
console.log(`port    step median ${port.wall.toFixed(0)} ms wall, ${port.cpu.toFixed(0)} ms CPU (${steps} steps after ${warmup}; load ${load0} → ${load()})`)

function torchStep(): { wall: number; cpu: number } | null {
  if (arg("torch", "auto") === "no" || !existsSync(join(harness, "crabnet_torch.py"))) return null
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" })
  } catch {
    return null
  }
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) }
  const out = execFileSync("/usr/bin/python3", [join(harness, "crabnet_torch.py"), "--threads", String(threads), "--steps", String(steps), "--warmup", String(warmup)],
    { env, encoding: "utf8" })
  const r = JSON.parse(out.trim().split("\n").pop()!) as { median_ms: number; cpu_median_ms: number }
  return { wall: r.median_ms, cpu: r.cpu_median_ms }
}
const torch = torchStep()
if (torch) console.log(`pytorch step median ${torch.wall.toFixed(0)} ms wall, ${torch.cpu.toFixed(0)} ms CPU (crabnet_torch.py, ${threads} thread(s), same batch, same run)`)
else console.log("pytorch not measured (python3-torch missing, or --torch no)")
const r1 = (x: number) => Math.round(x * 10) / 10
console.log(JSON.stringify({
  crabnet_step_ms: r1(port.wall), pytorch_step_ms: torch ? r1(torch.wall) : null, ratio: torch ? r1(port.wall / torch.wall * 100) / 100 : null,
  crabnet_step_cpu_ms: r1(port.cpu), pytorch_step_cpu_ms: torch ? r1(torch.cpu) : null, cpu_ratio: torch ? r1(port.cpu / torch.cpu * 100) / 100 : null,
  threads, backend: backend.name, loadavg: load(), first_losses: losses.slice(0, 3).map((l) => r1(l * 1e4) / 1e4),
}))
