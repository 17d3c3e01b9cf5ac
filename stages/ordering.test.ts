// Thesis §3.1 stages on the real substitution data (shared mirror) and on broken copies of it.
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeAll, describe, expect, it } from "vitest"
import type { AnyStage } from "../engine/stage.js"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"
import { sharedData, useSharedData } from "../tests/fixtures.js"
import { chemDistance } from "./chem-distance.js"
import { lambdaSelect } from "./lambda-select.js"
import { ordering1d } from "./ordering-1d.js"
import { referenceOrder } from "./reference-order.js"
import { spacing } from "./spacing.js"
import { substitution } from "./substitution.js"
import { THESIS_TABLE_3_1 } from "./thesis-table-3-1.js"

const run = <S extends AnyStage>(s: S, params: Record<string, unknown>, inputs: Record<string, unknown> = {}) => runStage(s, { dataDir: dataDir(), params, inputs })

describe("thesis §3.1 on the Wang 2021 substitution data", () => {
  beforeAll(() => useSharedData())

  it("substitution → chem-distance → MDS → spacing → lambda-select", async () => {
    const sub = await run(substitution, {})
    expect(sub.elements.withoutData).toEqual(["At", "Rn", "Fr"])
    expect(sub.S.rows).toBe(96)
    const cd = await run(chemDistance, {}, { S: sub.S })
    // He, Ne, Ar have N_A > 0 but no recorded substitution: no path to anyone
    expect(cd.report.isolated).toEqual(["He", "Ne", "Ar"])
    expect(cd.report.unreachablePairs).toBe(3 * 95 - 3)
    const ord = await run(ordering1d, { nInit: 20, maxIter: 100 }, { D: cd.D })
    expect(ord.order.symbols).toHaveLength(96)
    const ro = await run(referenceOrder, {})
    expect(ro.order.symbols).toEqual(THESIS_TABLE_3_1.map((r) => r.element))
    const runs = []
    for (const lambda of [1, 6, 100]) {
      const out = await run(spacing, { lambda }, { S: sub.S, D: cd.D, order: ro.order })
      expect(out.result.converged).toBe(true)
      // rescaled reading: positions span exactly 1…N
      expect(out.result.positions[0]).toBe(1)
      expect(out.result.positions[94]).toBeCloseTo(95, 10)
      expect(out.result.withoutData).toEqual(["At", "Rn", "Fr"])
      runs.push({ node: `spacing[lambda=${lambda}]`, point: { lambda }, params: { lambda }, value: out.result })
    }
    // the repulsion λ/D loses against S·D less as λ grows: LossX rises, LossY falls
    expect(runs[0].value.lossX).toBeLessThan(runs[1].value.lossX)
    expect(runs[0].value.lossY).toBeGreaterThan(runs[1].value.lossY)
    const sel = await run(lambdaSelect, { rule: "front-max-variance" }, { runs, D: cd.D, order: ord.order })
    // with a monotone trade-off every λ is Pareto optimal and the largest variance is the smallest λ (issue 6)
    expect(sel.summary.front).toEqual([1, 6, 100])
    expect(sel.summary.chosen_lambda).toBe(1)
    expect(sel.summary.compared_lambda).toBe(6)
    expect(sel.summary.mean_abs_diff_vs_thesis).toBeGreaterThan(0)
    expect(sel.table.split("\n")[0]).toBe("element,position_lambda_6,thesis_position,abs_diff")
    expect(sel.table.trim().split("\n")).toHaveLength(96)
  })

  it("mod-petti source gives the same 95 elements in the published order", async () => {
    const ro = await run(referenceOrder, { source: "mod-petti" })
    expect(new Set(ro.order.symbols)).toEqual(new Set(THESIS_TABLE_3_1.map((r) => r.element)))
    expect(ro.order.symbols.slice(0, 6)).toEqual(["He", "Ne", "Ar", "Kr", "Xe", "Rn"])
  })
})

describe("bad substitution data", () => {
  const saved = process.env.PIPELINE_DATA_DIR
  afterEach(() => {
    process.env.PIPELINE_DATA_DIR = saved
  })
  const src = join(sharedData, "substitution/wang2021_hyllios")
  const broken = (edit: (dir: string) => void) => {
    const root = mkdtempSync(join(tmpdir(), "subst-"))
    const dir = join(root, "substitution/wang2021_hyllios")
    mkdirSync(dir, { recursive: true })
    for (const f of ["substitution.dat", "substitution.dat.element_count"]) copyFileSync(join(src, f), join(dir, f))
    edit(dir)
    process.env.PIPELINE_DATA_DIR = root
    return dir
  }
  const failure = async () => {
    try {
      await run(substitution, {})
    } catch (e) {
      return e as Error & { _tag: string }
    }
    throw new Error("expected a failure")
  }

  it("missing file → MissingData naming the file", async () => {
    process.env.PIPELINE_DATA_DIR = mkdtempSync(join(tmpdir(), "empty-"))
    const e = await failure()
    expect(e._tag).toBe("MissingData")
    expect(e.message).toMatch(/substitution\.dat/)
    expect(e.message.split("\n")).toHaveLength(1)
  })

  it("non-square matrix → BadData", async () => {
    broken((d) => writeFileSync(join(d, "substitution.dat"), "0 1 2\n1 0 2\n"))
    const e = await failure()
    expect(e._tag).toBe("BadData")
    expect(e.message).toMatch(/not a square matrix/)
    expect(e.message.split("\n")).toHaveLength(1)
  })

  it("an element with N_A = 0 but substitutions → BadData", async () => {
    broken((d) => writeFileSync(join(d, "substitution.dat.element_count"), "5\n0\n3\n"))
    writeFileSync(join(process.env.PIPELINE_DATA_DIR!, "substitution/wang2021_hyllios/substitution.dat"), "0 0 0\n0 0 4\n0 4 0\n")
    const e = await failure()
    expect(e._tag).toBe("BadData")
    expect(e.message).toMatch(/Z=1 has N_A = 0/)
  })

  it("a non-number → BadData with its row and column", async () => {
    broken((d) => writeFileSync(join(d, "substitution.dat"), "0 x\n1 0\n"))
    const e = await failure()
    expect(e.message).toMatch(/row 1, column 2: 'x'/)
  })
})
