import { describe, expect, it } from "vitest"
import { pickCompositionDominated, screenSummary, THESIS_PICK } from "./composition-pick.js"
import { STRUCTURE_TASKS } from "../io/matbench.js"
import type { ScreenResult } from "./composition-screen.js"

const result = (task: string, meanR2: number): ScreenResult => ({
  task,
  unit: "u",
  nRows: 10,
  maxTrainRows: 0,
  folds: [{ fold: 0, nTrain: 8, nTest: 2, r2: meanR2, mae: 1, r2Dummy: -0.01, maeDummy: 2, fitSeconds: 0 }],
  meanR2,
  meanMae: 1,
  meanMaeDummy: 2,
  best: { algorithm: "x", mae: 0.5, dummyMae: 2, source: "s" },
})

describe("composition screen rule", () => {
  it("picks exactly the tasks whose mean R² reaches the threshold (boundary included)", () => {
    const rs = [result("a", 0.59999), result("b", 0.6), result("c", 0.95), result("d", -0.2)]
    expect(pickCompositionDominated(rs, 0.6)).toEqual(["b", "c"])
    expect(pickCompositionDominated(rs, 0.0)).toEqual(["a", "b", "c"])
  })

  it("says whether the pick reproduces the thesis's, and only when all 8 tasks were screened", () => {
    const r2 = (t: string) => ((THESIS_PICK as readonly string[]).includes(t) ? 0.85 : 0.3)
    const full = STRUCTURE_TASKS.map((t) => result(t, r2(t)))
    const s = screenSummary(full, 0.6)
    expect(s.tasks.sort()).toEqual([...THESIS_PICK].sort())
    expect(s.reproducesThesis).toBe(true)
    // perovskites above the bar: one task too many, not reproduced
    const more = screenSummary(full.map((r) => (r.task === "matbench_perovskites" ? result(r.task, 0.7) : r)), 0.6)
    expect(more.reproducesThesis).toBe(false)
    expect(more.rows.find((r) => r.task === "matbench_perovskites")!.picked).toBe(true)
    // a partial screen (smoke runs one task) cannot claim either way
    expect(screenSummary(full.slice(0, 3), 0.6).reproducesThesis).toBeNull()
    // rows follow the thesis's task order whatever the input order
    expect(screenSummary([...full].reverse(), 0.6).rows.map((r) => r.task)).toEqual([...STRUCTURE_TASKS])
  })
})
