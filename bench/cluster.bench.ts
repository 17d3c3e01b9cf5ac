// npm run bench:cluster [-- --nodes 100]
// A fan-out of N trivial nodes (each one batch job: its stage declares resources) and one aggregate
// gathering them, through the one-node SLURM (ci/slurm/start-local-slurm.sh), against Snakemake
// 7.21's `--slurm` executor on the same DAG shape (N jobs + the aggregate) in the same run, and
// our local executor. Overhead per node = (wall through SLURM − the same tool's local wall) / N,
// the definition of the anchor in shared/slurm/README.md (Snakemake: ≈ 2.8 s per job there).
// BENCH_SNAKEMAKE=0 leaves Snakemake out (it needs `apt-get install -y snakemake`, and ~3 s per job).
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { onPath } from "../engine/executors/slurm.js"
import { repoRoot } from "../tests/fixtures.js"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const nodes = arg("nodes", 100)
if (!onPath("sbatch")) {
  process.stderr.write("bench:cluster needs SLURM: run `bash ci/slurm/start-local-slurm.sh` (as root) first\n")
  process.exit(2)
}

const root = join(repoRoot, "tests", ".tmp", `bench-cluster-${process.pid}`)
rmSync(root, { recursive: true, force: true })
const stages = `import { z } from "zod"
import { all, artifact, stage } from "../../../../engine/index.js"
export const gen = stage({ name: "gen", version: "1", params: z.object({ i: z.number().int() }),
  grid: { i: Array.from({ length: ${nodes} }, (_, i) => i) }, outputs: { out: artifact.text("txt") },
  resources: { cpus: 1, memGB: 0.5, time: "5m" },
  run: ({ params }) => ({ out: params.i + "\\n" }) })
export const agg = stage({ name: "agg", version: "1", params: z.object({}), inputs: { outs: all(gen.out.out) }, outputs: { agg: artifact.text("txt") },
  run: ({ inputs }) => ({ agg: inputs.outs.map((g) => g.value).join("") }) })
`
const workspace = (name: string) => {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "stages.ts"), stages)
  writeFileSync(join(dir, "pipeline.ts"), `import { definePipeline } from "../../../../engine/index.js"\nimport { agg } from "./stages.js"\nexport default definePipeline({ stages: [agg] })\n`)
  return dir
}

const cli = join(repoRoot, "bin", "pipeline.mjs")
const queueEmpty = () => spawnSync("squeue", ["-h", "-t", "PD,R,CG,CF", "-o", "%A"], { encoding: "utf8" }).stdout.trim() === ""
function waitForEmptyQueue() {
  while (!queueEmpty()) spawnSync("sleep", ["0.2"])
}
/** wall seconds of one command; throws with its stderr's tail when it fails */
function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now()
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env, maxBuffer: 256 << 20 })
  const s = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${(r.stderr ?? "").slice(-2000)}`)
  return s
}
const ours = (dir: string, ...extra: string[]) => timed(process.execPath, [cli, "run", "agg", "--pipeline", join(dir, "pipeline.ts"), ...extra], dir, { ...process.env, CI: "true" })

waitForEmptyQueue()
const load0 = loadavg()[0]!
// warm-up: transpile into .build/ once, so no run below pays for it
timed(process.execPath, [cli, "dag", "--pipeline", join(workspace("warm"), "pipeline.ts")], root)

const localWall = ours(workspace("local"))
const slurmDir = workspace("slurm")
const slurmWall = ours(slurmDir, "--executor", "slurm")
const expected = Array.from({ length: nodes }, (_, i) => `${i}\n`).join("")
for (const d of [join(root, "local"), slurmDir]) if (readFileSync(join(d, "artifacts/agg/agg.txt"), "utf8") !== expected) throw new Error(`wrong aggregate in ${d}`)
waitForEmptyQueue()

let snakemake: { local: number; slurm: number } | undefined
if (process.env.BENCH_SNAKEMAKE !== "0" && onPath("snakemake")) {
  const dir = join(root, "snakemake")
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, "Snakefile"),
    `N = int(config.get("n", 50))
rule agg:
    input: expand("out/{i}.txt", i=range(N))
    output: "agg.txt"
    shell: "cat {input} > {output}"
rule gen:
    output: "out/{i}.txt"
    shell: "echo {wildcards.i} > {output}"
`,
  )
  const env = { ...process.env, USER: process.env.USER ?? "root" } // --slurm needs USER
  const local = timed("snakemake", ["--cores", "2", "--config", `n=${nodes}`], dir, env)
  for (const f of ["out", "agg.txt", ".snakemake"]) rmSync(join(dir, f), { recursive: true, force: true })
  const slurm = timed(
    "snakemake",
    ["--slurm", "--jobs", "100", "--default-resources", "slurm_partition=debug", "mem_mb=500", "runtime=5", "--max-status-checks-per-second", "1", "--config", `n=${nodes}`],
    dir,
    env,
  )
  if (readFileSync(join(dir, "agg.txt"), "utf8") !== expected) throw new Error("wrong aggregate from Snakemake")
  snakemake = { local, slurm }
  waitForEmptyQueue()
} else process.stderr.write("bench:cluster: Snakemake left out (BENCH_SNAKEMAKE=0 or no `snakemake` on PATH)\n")

rmSync(root, { recursive: true, force: true })
const perNode = (s: number) => Math.round((s * 1000) / nodes)
process.stdout.write(
  JSON.stringify({
    nodes,
    wall_s: +slurmWall.toFixed(1),
    overhead_ms_per_node: perNode(slurmWall - localWall),
    snakemake_overhead_ms_per_node: snakemake ? perNode(snakemake.slurm - snakemake.local) : null,
    local_overhead_ms_per_node: perNode(localWall),
    local_wall_s: +localWall.toFixed(1),
    snakemake_wall_s: snakemake ? +snakemake.slurm.toFixed(1) : null,
    snakemake_local_wall_s: snakemake ? +snakemake.local.toFixed(1) : null,
    load_avg_start: +load0.toFixed(1),
    load_avg_end: +loadavg()[0]!.toFixed(1),
  }) + "\n",
)
