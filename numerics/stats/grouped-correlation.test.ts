import { describe, expect, it } from "vitest"
import { pearson, spearman } from "./correlation.js"
import { foldNormalisedErrors, groupedCorrelations } from "./grouped-correlation.js"

describe("fold-normalised errors and grouped correlations", () => {
  it("divides each MAE by its (task, fold) mean", () => {
    const e = foldNormalisedErrors([
      { task: "a", fold: 0, mae: 1 },
      { task: "a", fold: 0, mae: 3 },
      { task: "a", fold: 1, mae: 10 },
      { task: "b", fold: 0, mae: 4 },
    ])
    expect([...e]).toEqual([0.5, 1.5, 1, 1])
  })

  it("averages per-task coefficients within a group; groups stay apart", () => {
    const t1 = { x: [1, 2, 3, 4], y: [1, 3, 2, 4] }
    const t2 = { x: [1, 2, 3], y: [3, 2, 1] }
    const samples = [
      ...t1.x.map((x, i) => ({ group: "g", task: "t1", error: t1.y[i]!, metrics: { m: x } })),
      ...t2.x.map((x, i) => ({ group: "g", task: "t2", error: t2.y[i]!, metrics: { m: x } })),
      ...[1, 2, 3].map((x) => ({ group: "h", task: "t1", error: x, metrics: { m: x } })),
    ]
    const r = groupedCorrelations(samples, ["m"])
    const g = r.find((c) => c.group === "g")!
    expect(g.pearson).toBeCloseTo((pearson(t1.x, t1.y) + -1) / 2, 14)
    expect(g.spearman).toBeCloseTo((spearman(t1.x, t1.y) + -1) / 2, 14)
    expect(g.tasks).toBe(2)
    expect(g.models).toBe(7)
    expect(r.find((c) => c.group === "h")!.pearson).toBeCloseTo(1, 14)
  })
})
