// Issue #10: a changed element table reruns only that table's CrabNet models. Two published tables
// trained on the smoke preset; then SkipAtom's file changes (one value, in a private copy of the data
// dir): element-tables[skipatom] and its CrabNet rerun, Mat2Vec's model stays cached.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { plan } from "../engine/graph.js"
import { initHash } from "../engine/hash.js"
import { readLock } from "../engine/lockfile.js"
import { parseAssignment } from "../engine/params.js"
import { runPlan } from "../engine/run.js"
import { evaluate } from "../engine/status.js"
import { workspace } from "../engine/workspace.js"
import pipeline from "../pipeline.js"
import { repoRoot, sharedData } from "./fixtures.js"

const tmp = join(repoRoot, "tests", ".tmp", `crabnet-dag-${process.pid}`)
const root = join(tmp, "project")
const data = join(tmp, "data")
const skipatom = join(data, "skipatom", "skipatom_20201009_induced.csv")
const planned = () =>
  plan(pipeline.stages, {
    targets: ["crabnet"],
    preset: "smoke",
    // 1 epoch on 200 expt_gap formulas: the test is about what reruns, not accuracy
    assignments: [parseAssignment("crabnet.table=mat2vec,skipatom", true), parseAssignment("crabnet.epochs=1", false), parseAssignment("crabnet.maxFormulas=200", false)],
  })

describe("crabnet caching per element table", () => {
  const saved = process.env.PIPELINE_DATA_DIR
  beforeAll(async () => {
    // the data dir: links to the mirror, except a private copy of SkipAtom's table to edit
    mkdirSync(data, { recursive: true })
    for (const entry of readdirSync(sharedData)) if (entry !== "skipatom") symlinkSync(join(sharedData, entry), join(data, entry))
    cpSync(join(sharedData, "skipatom"), join(data, "skipatom"), { recursive: true })
    process.env.PIPELINE_DATA_DIR = data
    await initHash()
    expect((await runPlan(planned(), workspace(root, { dir: () => data }), { inlineHeavy: true })).failed).toEqual([])
  }, 300_000)
  afterAll(() => {
    process.env.PIPELINE_DATA_DIR = saved
    rmSync(tmp, { recursive: true, force: true })
  })

  it("editing SkipAtom's file reruns SkipAtom's table and model only", async () => {
    const lines = readFileSync(skipatom, "utf8").split("\n")
    const cells = lines[1]!.split(",")
    cells[1] = String(Number(cells[1]) + 0.5)
    lines[1] = cells.join(",")
    writeFileSync(skipatom, lines.join("\n"))
    const states = evaluate(planned(), workspace(root, { dir: () => data }), readLock(workspace(root, { dir: () => data }).lockFile))
    const stale = [...states.values()].filter((s) => !s.fresh).map((s) => s.node.id).sort()
    expect(stale).toEqual(["crabnet[fold=0,table=skipatom,task=matbench_expt_gap]", "element-tables[table=skipatom]"])
    const summary = await runPlan(planned(), workspace(root, { dir: () => data }), { inlineHeavy: true })
    expect(summary.ran.sort()).toEqual(stale)
    expect(summary.cached).toContain("crabnet[fold=0,table=mat2vec,task=matbench_expt_gap]")
  }, 300_000)
})
