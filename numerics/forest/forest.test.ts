import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { fitForest, predictForest, r2Score, sparseFromDense } from "./forest.js"

// numerics/forest/make-fixture.py: scikit-learn 1.2.1's RandomForestRegressor(n_estimators=200)
interface FixtureSet { name: string; nCols: number; xTrain: number[]; yTrain: number[]; xTest: number[]; yTest: number[]; r2Sklearn: number[] }
const fixture = JSON.parse(readFileSync(new URL("./forest-fixture.json", import.meta.url), "utf8")) as { datasets: FixtureSet[] }
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

describe("random forest vs scikit-learn", () => {
  for (const set of fixture.datasets) {
    it(`${set.name}: test R² within 0.01 of sklearn's (mean over 5 seeds each)`, () => {
      const xTrain = sparseFromDense(set.xTrain, set.yTrain.length, set.nCols)
      const xTest = sparseFromDense(set.xTest, set.yTest.length, set.nCols)
      // both sides average 5 seeds: one seed's R² moves by up to ~0.02 on these sizes (sklearn's own spread)
      const ours = [0, 1, 2, 3, 4].map((seed) => r2Score(set.yTest, predictForest(fitForest(xTrain, set.yTrain, { nTrees: 200, seed }), xTest)))
      expect(Math.abs(mean(ours) - mean(set.r2Sklearn))).toBeLessThan(0.01)
    })
  }
})

describe("tree semantics", () => {
  it("without bootstrap a tree interpolates distinct rows exactly (no depth limit, leaves of one row)", () => {
    const x = [0, 0.5, 0.25, 0, 0, 1, -1, 0.2, 0.3, 0.3, 0.7, 0]
    const y = [1, 2, 3, 4, 5, 6]
    const X = sparseFromDense(x, 6, 2)
    const f = fitForest(X, y, { nTrees: 1, bootstrap: false })
    expect(Array.from(predictForest(f, X))).toEqual(y)
  })

  it("splits at the midpoint between distinct values, zeros included as one block", () => {
    // y depends on x0 only: 0 → 0, 0.4 → 10; threshold must be 0.2, and x1 (noise-free tie) never wins
    const X = sparseFromDense([0, 1, 0, 1, 0.4, 1, 0.4, 1], 4, 2)
    const f = fitForest(X, [0, 0, 10, 10], { nTrees: 1, bootstrap: false })
    expect(f.trees[0]!.feature[0]).toBe(0)
    expect(f.trees[0]!.threshold[0]).toBeCloseTo(0.2, 15)
    expect(Array.from(predictForest(f, sparseFromDense([0.19, 0, 0.21, 0], 2, 2)))).toEqual([0, 10])
  })

  it("identical rows with different targets end in one leaf holding their mean", () => {
    const X = sparseFromDense([0.5, 0.5, 0.5], 3, 1)
    const f = fitForest(X, [1, 2, 6], { nTrees: 1, bootstrap: false })
    expect(f.trees[0]!.feature.length).toBe(1)
    expect(predictForest(f, X)[0]).toBeCloseTo(3, 12)
  })

  it("r2Score matches the closed form", () => {
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1)
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0)
    expect(r2Score([1, 2, 3], [3, 2, 1])).toBeCloseTo(1 - 8 / 2, 12)
  })
})

describe("parallel fit", () => {
  it("two threads grow the same forest as one (per-tree seeds)", async () => {
    const { fitForestParallel } = await import("./parallel.js")
    const set = fixture.datasets[0]!
    const x = sparseFromDense(set.xTrain, set.yTrain.length, set.nCols)
    const xt = sparseFromDense(set.xTest, set.yTest.length, set.nCols)
    const one = predictForest(fitForest(x, set.yTrain, { nTrees: 6, seed: 3 }), xt)
    const two = predictForest(await fitForestParallel(x, set.yTrain, { nTrees: 6, seed: 3 }, 2, 0), xt)
    expect(Array.from(two)).toEqual(Array.from(one))
  })
})
