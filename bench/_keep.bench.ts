// npm run bench:engine -- --nodes 10000
// A synthetic DAG: one source, a fan-out of N trivial nodes, one aggregate gathering all of them.
// Runs the real CLI in child processes (what a user waits for, startup included): cold run, no-op
// run, status. Reference: Snakemake 7.21 needs ~3 s for 1,000 jobs and ~7.5 s for 5,000 (DESIGN.md §1).
import { spawnSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { repoRoot } from "../tests/fixtures.js"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const nodes = arg("nodes", 10_000)
const repeats = arg("repeats", 3)

const dir = join(repoRoot, "tests", ".tmp", "bench-engine-keep")
//
mkdirSync(dir, { recursive: true })
writeFileSync(
  join(dir, "stages.ts"),
  `import { z } from "zod"
import { all, artifact, stage } from "../../../engine/index.js"
export const source = stage({ name: "source", version: "1", params: z.object({ seed: z.number().default(1) }),
  outputs: { x: artifact.json() }, run: ({ params }) => ({ x: params.seed }) })
export const fan = stage({ name: "fan", version: "1", params: z.object({ i: z.number().int() }),
  grid: { i: Array.from({ length: ${nodes} }, (_, i) => i) }, inputs: { x: source.out.x }, outputs: { y: artifact.json() },
  run: ({ params, inputs }) => ({ y: params.i * (inputs.x as number) }) })
export const aggregate = stage({ name: "aggregate", version: "1", params: z.object({}),
  inputs: { ys: all(fan.out.y) }, outputs: { total: artifact.json() },
  run: ({ inputs }) => ({ total: inputs.ys.reduce((s, g) => s + (g.value as number), 0) }) })
`,
)
writeFileSync(join(dir, "pipeline.ts"), `import { definePipeline } from "../../../engine/index.js"\nimport { aggregate } from "./stages.js"\nexport default definePipeline({ stages: [aggregate] })\n`)

const cli = join(repoRoot, "bin", "pipeline.mjs")
/** wall ms and peak RSS (GNU time's %M, KiB) of one CLI call */
function timed(...args: string[]): { ms: number; rssMb: number } {
  const t0 = performance.now()
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, cli, ...args, "--pipeline", join(dir, "pipeline.ts")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`pipeline ${args.join(" ")} failed: ${r.stderr.slice(-500)}`)
  const rssKb = Number(r.stderr.trim().split("\n").at(-1))
  return { ms, rssMb: rssKb / 1024 }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const cold = timed("run", "aggregate", "--jobs", "2")
const noop = Array.from({ length: repeats }, () => timed("run", "aggregate"))
const status = Array.from({ length: repeats }, () => timed("status", "aggregate"))
const startup = Array.from({ length: repeats }, () => timed("help"))
//

const result = {
  nodes: nodes + 2,
  cold_ms: Math.round(cold.ms),
  noop_ms: Math.round(median(noop.map((r) => r.ms))),
  status_ms: Math.round(median(status.map((r) => r.ms))),
  cli_startup_ms: Math.round(median(startup.map((r) => r.ms))),
  peak_rss_mb: Math.round(Math.max(cold.rssMb, ...noop.map((r) => r.rssMb), ...status.map((r) => r.rssMb))),
  snakemake_5000_jobs_ms: 7500,
}
console.error(`engine, ${result.nodes} nodes: cold ${result.cold_ms} ms · no-op ${result.noop_ms} ms · status ${result.status_ms} ms (median of ${repeats}; CLI startup alone ${result.cli_startup_ms} ms) · Snakemake 7.21: ~7,500 ms for 5,000 jobs`)
console.log(JSON.stringify(result))
