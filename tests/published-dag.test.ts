// Issue #5: the analysis is cached per input table — adding one published table recomputes that
// table's metrics and the aggregates that gather it, not the other tables' metrics.
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

const root = join(repoRoot, "tests", ".tmp", `published-dag-${process.pid}`)
const targets = ["published-correlations", "published-cluster-ensemble"]
const planWith = (tables: string) =>
  plan(pipeline.stages, { targets, preset: "smoke", assignments: [parseAssignment(`published-tables.table=${tables}`, true)] })

describe("published-table analysis caching", () => {
  beforeAll(async () => {
    useSharedData()
    await initHash()
    expect((await runPlan(planWith("megnet16,mat2vec"), workspace(root, pipeline.data))).failed).toEqual([])
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it("adding a table reruns its own nodes and the aggregates only", async () => {
    const states = evaluate(planWith("megnet16,mat2vec,magpie"), workspace(root, pipeline.data), readLock(workspace(root, pipeline.data).lockFile))
    const stale = [...states.values()].filter((s) => !s.fresh).map((s) => s.node.id).sort()
    expect(stale).toEqual(["published-cluster-ensemble", "published-correlations", "published-metrics[table=magpie]", "published-tables[table=magpie]"])
    const summary = await runPlan(planWith("megnet16,mat2vec,magpie"), workspace(root, pipeline.data))
    expect(summary.ran.sort()).toEqual(stale)
  })
})
