// The SLURM executor against a real SLURM (one-node cluster: ci/slurm/start-local-slurm.sh), on a
// toy DAG whose `w` grid and `h` declare resources (batch jobs) around cheap nodes (run here).
// Then the thesis's `smoke` DAG, locally and through SLURM. One file, so its tests run one after
// another: the cluster has 2 CPUs. Skipped, saying so, where `sbatch` is absent;
// PIPELINE_REQUIRE_SLURM=1 (CI) makes that a failure.
import { spawnSync, type ChildProcess } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { onPath } from "../engine/executors/slurm.js"
import { sharedData, useSharedData } from "./fixtures.js"
import { slurmToyModules } from "./slurm-toy.js"
import { makeToy, type Toy } from "./toy.js"

const haveSlurm = onPath("sbatch") && onPath("squeue")
if (!haveSlurm) {
  if (process.env.PIPELINE_REQUIRE_SLURM) throw new Error("PIPELINE_REQUIRE_SLURM is set but sbatch/squeue are not on PATH — run ci/slurm/start-local-slurm.sh")
  console.warn("tests/slurm.test.ts: SKIPPED — no sbatch on PATH (start a one-node SLURM with `bash ci/slurm/start-local-slurm.sh`)")
}

const toys: Toy[] = []
const toy = (name: string) => {
  const t = makeToy(name, slurmToyModules)
  toys.push(t)
  return t
}
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL")
  toys.forEach((t) => t.remove())
})

const slurm = ["--executor", "slurm"]
const sorted = (xs: string[]) => [...xs].sort()
const ALL = ["a", "w[i=0]", "w[i=1]", "w[i=2]", "w[i=3]", "g", "h"]
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitFor<T>(what: string, f: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = f()
    if (v) return v
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

function lockOutputs(t: Toy): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(t.dir, "pipeline.lock"), "utf8")) as { nodes: Record<string, { outputs: Record<string, { hash: string; path: string }> }> }
  const out: Record<string, string> = {}
  for (const [id, e] of Object.entries(lock.nodes)) for (const [k, o] of Object.entries(e.outputs)) out[`${id} ${k} ${o.path}`] = o.hash
  return out
}

/** Start a run in the background and collect its stderr. */
function background(t: Toy, ...args: string[]) {
  const child = t.spawn(...args)
  children.push(child)
  let stderr = ""
  child.stderr!.on("data", (d) => (stderr += String(d)))
  child.stdout!.resume()
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
  return { child, stderr: () => stderr, exited }
}

async function runAsync(t: Toy, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const r = background(t, ...args)
  const code = await r.exited
  return { code, stderr: r.stderr() }
}

const jobOf = (stderr: string, node: string) => new RegExp(`${node.replace(/[[\]]/g, "\\$&")}: submitted as SLURM job (\\S+)`).exec(stderr)?.[1]
const ourJobs = () => spawnSync("squeue", ["-h", "-o", "%i %j"], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.includes("pipeline:"))

describe.skipIf(!haveSlurm)("SLURM executor (real single-node SLURM)", () => {
  it("a DAG run through sbatch is bit-identical to a local run; a second run submits nothing", async () => {
    const local = toy("slurm-vs-local-L")
    const cluster = toy("slurm-vs-local-S")
    expect((await runAsync(local, "run", "h")).code).toBe(0)
    const r = await runAsync(cluster, "run", "h", ...slurm)
    expect(r.stderr).toMatch(/ran 7, cached 0, failed 0/)
    expect(r.code).toBe(0)
    // the four w nodes became ready together: one array job; h its own job; a and g ran here
    expect(r.stderr.match(/w\[i=\d\]: submitted as SLURM job \d+_\d/g)).toHaveLength(4)
    expect(r.stderr).toMatch(/h: submitted as SLURM job \d+ /)
    expect(r.stderr).not.toMatch(/^ {2}(a|g): submitted/m)
    expect(sorted(cluster.executions())).toEqual(sorted(ALL))
    expect(lockOutputs(cluster)).toEqual(lockOutputs(local))
    for (const file of ["artifacts/w/i=2/blob.bin", "artifacts/h/report.txt", "artifacts/g/total.json"])
      expect(readFileSync(join(cluster.dir, file)).equals(readFileSync(join(local.dir, file)))).toBe(true)
    expect(readFileSync(join(cluster.dir, "artifacts/h/report.txt"), "utf8")).toMatch(/^total -?\d\.\d{16}/)

    cluster.resetLog()
    const logs = readdirSync(join(cluster.dir, "cache/slurm/logs")).length
    const again = await runAsync(cluster, "run", "h", ...slurm)
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/ran 0, cached 7/)
    expect(again.stderr).not.toMatch(/submitted/)
    expect(readdirSync(join(cluster.dir, "cache/slurm/logs"))).toHaveLength(logs)
    expect(cluster.executions()).toEqual([])
    expect(cluster.run("verify").code).toBe(0)
  })

  it("scancel of a running job fails that node cleanly (dependents skipped), the rest finish, status shows the cluster nodes, the next run resumes", async () => {
    const t = toy("scancel")
    const run = background(t, "run", "h", ...slurm, "--set", "w.delayMs=6000")
    await waitFor("w[i=1] to start on the cluster", () => t.started().includes("w[i=1]:start"))
    const st = t.run("status", "h", "--set", "w.delayMs=6000").stdout
    expect(st).toMatch(/^w\[i=1\]: running on \S+ for [\d:]+ — SLURM job \d+_1, log cache\/slurm\/logs\/\d+_1\.out$/m)
    expect(st).toMatch(/nodes queued or running on the cluster/)
    const job = jobOf(run.stderr(), "w[i=1]")!
    expect(spawnSync("scancel", [job]).status).toBe(0)
    expect(await run.exited).toBe(1)
    const err = run.stderr()
    expect(err).toMatch(new RegExp(`pipeline: w\\[i=1\\] failed: SLURM job ${job} was cancelled`))
    expect(err).toMatch(/ran 4, cached 0, failed 1, skipped 2/)
    expect(err).toMatch(/– g skipped — input w\[i=1\] failed/)
    expect(sorted(t.executions())).toEqual(sorted(["a", "w[i=0]", "w[i=2]", "w[i=3]"]))

    t.resetLog()
    const again = await runAsync(t, "run", "h", ...slurm, "--set", "w.delayMs=6000")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/ran 3, cached 4/)
    expect(sorted(t.executions())).toEqual(sorted(["w[i=1]", "g", "h"]))
  })

  it("kill -9 of the submitting process: the next run adopts the queued and running jobs, no node computed twice", async () => {
    const t = toy("kill9")
    const run = background(t, "run", "h", ...slurm, "--set", "w.delayMs=5000")
    await waitFor("two w jobs running", () => t.started().length >= 2)
    run.child.kill("SIGKILL")
    await run.exited
    const again = await runAsync(t, "run", "h", ...slurm, "--set", "w.delayMs=5000")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/adopting SLURM job \d+_\d/)
    expect(again.stderr).not.toMatch(/w\[i=\d\]: submitted/)
    expect(sorted(t.executions())).toEqual(sorted(ALL))
    expect(sorted(t.started())).toEqual(sorted(["w[i=0]:start", "w[i=1]:start", "w[i=2]:start", "w[i=3]:start"]))
  })

  it("two submitting processes at once on one workspace: every node computed once", async () => {
    const t = toy("two")
    const one = background(t, "run", "h", ...slurm, "--set", "w.delayMs=1000")
    const two = background(t, "run", "h", ...slurm, "--set", "w.delayMs=1000")
    expect([await one.exited, await two.exited]).toEqual([0, 0])
    expect(sorted(t.executions())).toEqual(sorted(ALL))
  })

  it("bad configuration: unknown partition, sbatch not on PATH → one line, exit 2, nothing submitted", async () => {
    const t = toy("badconfig")
    const before = ourJobs().length
    writeFileSync(join(t.dir, "pipeline.config.json"), JSON.stringify({ executor: "slurm", slurm: { partition: "no-such-partition" } }))
    const r = await runAsync(t, "run", "h")
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^pipeline: SLURM refuses jobs of stage w \(--partition=no-such-partition --cpus-per-task=1 --mem=512M --time=5\): invalid partition specified: no-such-partition$/m)

    writeFileSync(join(t.dir, "pipeline.config.json"), JSON.stringify({ executor: "slurm" }))
    const noSbatch = spawnSync(process.execPath, [join(t.dir, "../../../bin/pipeline.mjs"), "run", "h", "--pipeline", t.pipelineFile], {
      cwd: t.dir,
      encoding: "utf8",
      env: { ...process.env, PATH: "/nonexistent" },
    })
    expect(noSbatch.status).toBe(2)
    expect(noSbatch.stderr).toBe("pipeline: executor slurm: 'sbatch' is not on PATH — run where SLURM's client commands are installed, or use --executor local\n")

    const unknown = await runAsync(t, "run", "h", "--executor", "kubernetes")
    expect([unknown.code, unknown.stderr]).toEqual([2, "pipeline: unknown executor 'kubernetes' — use one of local, slurm\n"])
    expect(t.executions()).toEqual([])
    expect(existsSync(join(t.dir, "cache/slurm/logs"))).toBe(false)
    expect(ourJobs().length).toBe(before)
  })

  it("Ctrl-C of the submitting process scancels the jobs it submitted, and says so", async () => {
    const t = toy("sigint")
    const run = background(t, "run", "h", ...slurm, "--set", "w.delayMs=60000")
    await waitFor("a w job running", () => t.started().length >= 1)
    const jobs = ["w[i=0]", "w[i=1]", "w[i=2]", "w[i=3]"].map((n) => jobOf(run.stderr(), n)!)
    run.child.kill("SIGINT")
    expect(await run.exited).toBe(130)
    expect(run.stderr()).toMatch(new RegExp(`pipeline: interrupted: scancel'd the 4 SLURM jobs this run submitted \\(${jobs.join(", ")}\\)`))
    // a cancelled task passes through COMPLETING for a moment
    const states = () => spawnSync("squeue", ["-h", "-r", "-t", "all", "-j", jobs[0]!.split("_")[0]!, "-o", "%T"], { encoding: "utf8" }).stdout.trim().split("\n")
    await waitFor("the array's tasks to leave COMPLETING", () => !states().includes("COMPLETING"), 20_000)
    expect(new Set(states())).toEqual(new Set(["CANCELLED"]))
    expect(t.executions()).toEqual(["a"])
  })

  it("a lost compute node (NODE_FAIL): the node is submitted once more and finishes", async () => {
    const t = toy("lost")
    const host = spawnSync("sinfo", ["-h", "-o", "%N"], { encoding: "utf8" }).stdout.trim()
    const run = background(t, "run", "slow", ...slurm, "--set", "slow.sleepMs=3000")
    await waitFor("slow to start", () => t.started().length === 1)
    try {
      expect(spawnSync("scontrol", ["update", `nodename=${host}`, "state=down", "reason=pipeline-test"]).status).toBe(0)
      await sleep(1500)
    } finally {
      // slurmd may re-register the node by itself first; then resume says "Invalid node state"
      spawnSync("scontrol", ["update", `nodename=${host}`, "state=resume"])
      await waitFor("the node back in service", () => /idle|mix|alloc/.test(spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8" }).stdout), 30_000)
    }
    expect(await run.exited).toBe(0)
    expect(run.stderr()).toMatch(/slow: SLURM job \d+ ended NODE_FAIL: its compute node was lost; submitting the node once more/)
    expect(t.started()).toEqual(["slow:start", "slow:start"])
    expect(t.executions()).toEqual(["slow"])
  })

  it("a job over its --time or its --mem: a clear message naming the node and the limit", { timeout: 300_000 }, async () => {
    const t = toy("limits")
    // in the background: a spawnSync this long would starve vitest's worker RPC
    const run = background(t, "run", "slow", "hog", ...slurm)
    expect(await run.exited).toBe(1)
    const r = { stderr: run.stderr() }
    expect(r.stderr).toMatch(/^pipeline: slow failed: SLURM job \d+ hit its time limit of 1 min \(--time\) — raise slow's resources\.time/m)
    expect(r.stderr).toMatch(/^pipeline: hog failed: SLURM job \d+ ran out of memory: it exceeded its memory limit of 205 MB \(--mem\) — raise hog's resources\.memGB/m)
    expect(t.started().sort()).toEqual(["hog:start", "slow:start"])
    expect(t.executions()).toEqual([])
  })
})

/** A workspace of its own (cache, artifacts, lock) for the real pipeline. */
const workspaceOf = (name: string) => makeToy(name, { "pipeline.ts": `export { default } from "../../../pipeline.js"\n` })

type Lock = { nodes: Record<string, { outputs: Record<string, { hash: string; path: string }> }> }
const readLockOf = (t: Toy) => JSON.parse(readFileSync(join(t.dir, "pipeline.lock"), "utf8")) as Lock


useSharedData()
describe.skipIf(!haveSlurm || !existsSync(sharedData))("smoke DAG on SLURM", () => {
  it("--executor slurm gives the local run's artifacts; a second run submits nothing", { timeout: 400_000 }, async () => {
    const local = workspaceOf("smoke-local")
    const cluster = workspaceOf("smoke-slurm")
    toys.push(local, cluster)
    const targets = ["run", "distill", "leaderboard", "--preset", "smoke"]
    expect((await runAsync(local, ...targets)).code).toBe(0)
    const r = await runAsync(cluster, ...targets, "--executor", "slurm")
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr.match(/train\[[^\]]*\]: submitted as SLURM job \d+_\d+ /g)).toHaveLength(6)
    // each job's progress, followed in its log, reaches the submitter as a local run's would
    expect(r.stderr.match(/^ {2}train\[[^\]]*\]: val MAE [\d.]+ \(best [\d.]+ @\d\) 2\/2$/gm)).toHaveLength(6)

    const a = readLockOf(local)
    const b = readLockOf(cluster)
    expect(Object.keys(b.nodes).sort()).toEqual(Object.keys(a.nodes).sort())
    let identical = 0
    for (const [id, e] of Object.entries(a.nodes))
      for (const [name, o] of Object.entries(e.outputs)) {
        const other = b.nodes[id]!.outputs[name]!
        expect([other.path, other.hash], `${id} → ${name}`).toEqual([o.path, o.hash])
        expect(readFileSync(join(cluster.dir, other.path)).equals(readFileSync(join(local.dir, o.path)))).toBe(true)
        identical++
      }
    expect(identical).toBe(27) // every model, its metrics and predictions, the distilled tables (CrabNet CSV and vectors), the leaderboard

    const again = await runAsync(cluster, ...targets, "--executor", "slurm")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/ran 0, cached 10/)
    expect(again.stderr).not.toMatch(/submitted/)
  })
})
