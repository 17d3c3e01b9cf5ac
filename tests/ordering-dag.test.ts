// Issue #6: changing λ's candidate list, η or the ordering source reruns only spacing / lambda-select
// (and reference-order when its own param moves) — never substitution, chem-distance or the SMACOF.
import { rmSync } from "node:fs"
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
import { repoRoot, useSharedData } from "./fixtures.js"

const root = join(repoRoot, "tests", ".tmp", `ordering-dag-${process.pid}`)
const ws = () => workspace(root, pipeline.data)
const planWith = (set: string[] = [], sweep: string[] = []) =>
  plan(pipeline.stages, {
    targets: ["lambda-select"],
    preset: "smoke",
    assignments: [...set.map((s) => parseAssignment(s, false)), ...sweep.map((s) => parseAssignment(s, true))],
  })
const staleStages = (set: string[] = [], sweep: string[] = []) => {
  const states = evaluate(planWith(set, sweep), ws(), readLock(ws().lockFile))
  return [...new Set([...states.values()].filter((s) => !s.fresh).map((s) => s.node.stage.name))].sort()
}

describe("chapter 3.1 DAG invalidation", () => {
  beforeAll(async () => {
    useSharedData()
    await initHash()
    const summary = await runPlan(planWith(), ws())
    expect(summary.failed).toEqual([])
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it("nothing is stale after a run", () => expect(staleStages()).toEqual([]))
  it("a new λ candidate list reruns only the new spacing nodes and lambda-select", () => {
    const states = evaluate(planWith([], ["spacing.lambda=1,6,8"]), ws(), readLock(ws().lockFile))
    const stale = [...states.values()].filter((s) => !s.fresh).map((s) => s.node.id).sort()
    expect(stale).toEqual(["lambda-select", "spacing[lambda=8]"].sort())
  })
  it("η reruns spacing and lambda-select only", () => expect(staleStages(["spacing.eta=0.2"])).toEqual(["lambda-select", "spacing"]))
  it("the ordering source reruns reference-order, spacing and lambda-select only", () =>
    expect(staleStages(["reference-order.source=mod-petti"])).toEqual(["lambda-select", "reference-order", "spacing"]))
})
