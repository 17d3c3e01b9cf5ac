// The thesis's `smoke` DAG through a real SLURM (train and ordering nodes as batch jobs, the rest
// here) against the same DAG run locally: every artifact bit-identical, except the one field that
// no two runs share even locally (a training's measured wall time); a second run submits nothing.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { onPath } from "../engine/executors/slurm.js"
import { sharedData, useSharedData } from "./fixtures.js"
import { makeToy, type Toy } from "./toy.js"

const haveSlurm = onPath("sbatch") && onPath("squeue")
if (!haveSlurm && process.env.PIPELINE_REQUIRE_SLURM) throw new Error("PIPELINE_REQUIRE_SLURM is set but sbatch is not on PATH — run ci/slurm/start-local-slurm.sh")
if (!haveSlurm) console.warn("tests/slurm-smoke.test.ts: SKIPPED — no sbatch on PATH (start a one-node SLURM with `bash ci/slurm/start-local-slurm.sh`)")
useSharedData()

/** A workspace of its own (cache, artifacts, lock) for the real pipeline. */
const workspaceOf = (name: string) => makeToy(name, { "pipeline.ts": `export { default } from "../../../pipeline.js"\n` })
const made: Toy[] = []
afterAll(() => made.forEach((t) => t.remove()))

type Lock = { nodes: Record<string, { outputs: Record<string, { hash: string; path: string }> }> }
const readLockOf = (t: Toy) => JSON.parse(readFileSync(join(t.dir, "pipeline.lock"), "utf8")) as Lock
const withoutWallTime = (text: string) => JSON.stringify(JSON.parse(text, (k, v) => (k === "wallSeconds" ? undefined : v)))

async function run(t: Toy, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = t.spawn(...args)
  let stderr = ""
  child.stderr!.on("data", (d) => (stderr += String(d)))
  child.stdout!.resume()
  const code = await new Promise<number | null>((r) => child.on("exit", r))
  return { code, stderr }
}

describe.skipIf(!haveSlurm || !existsSync(sharedData))("smoke DAG on SLURM", () => {
  it("--executor slurm gives the local run's artifacts; a second run submits nothing", async () => {
    const local = workspaceOf("smoke-local")
    const cluster = workspaceOf("smoke-slurm")
    made.push(local, cluster)
    const targets = ["run", "distill", "leaderboard", "--preset", "smoke"]
    expect((await run(local, ...targets)).code).toBe(0)
    const r = await run(cluster, ...targets, "--executor", "slurm")
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr.match(/train\[[^\]]*\]: submitted as SLURM job \d+_\d+ /g)).toHaveLength(6)

    const a = readLockOf(local)
    const b = readLockOf(cluster)
    expect(Object.keys(b.nodes).sort()).toEqual(Object.keys(a.nodes).sort())
    let identical = 0
    for (const [id, e] of Object.entries(a.nodes))
      for (const [name, o] of Object.entries(e.outputs)) {
        const other = b.nodes[id]!.outputs[name]!
        expect(other.path).toBe(o.path)
        if (id.startsWith("train[") && name === "metrics")
          expect(withoutWallTime(readFileSync(join(cluster.dir, other.path), "utf8"))).toBe(withoutWallTime(readFileSync(join(local.dir, o.path), "utf8")))
        else {
          expect(other.hash, `${id} → ${name}`).toBe(o.hash)
          identical++
        }
      }
    expect(identical).toBe(20) // every model, prediction set, the distilled tables, the leaderboard

    const again = await run(cluster, ...targets, "--executor", "slurm")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/ran 0, cached 10/)
    expect(again.stderr).not.toMatch(/submitted/)
  })
})
