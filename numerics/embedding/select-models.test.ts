import { describe, expect, it } from "vitest"
import { selectForDistillation, type ModelMeta } from "./select-models.js"

// validation MAE decides; the test MAE is set to point the other way, so a selection by test MAE fails
const m = (strategy: ModelMeta["strategy"], validationMae: number | null, over: Partial<ModelMeta> = {}): ModelMeta => ({
  backbone: "cgcnn", strategy, dim: 16, task: "phonons", fold: 0, validationMae, mae: validationMae === null ? null : 100 - validationMae, ...over,
})

describe("model selection for distillation", () => {
  const models = [
    m("H", 5), m("hybrid", 3), m("hybrid", 2), m("L", 4), // setting A: best overall is a hybrid (index 2)
    m("H", 1, { fold: 1 }), m("hybrid", 3, { fold: 1 }), m("L", 2, { fold: 1 }), // setting B: best is pure H (index 4)
    m("published", null, { backbone: "mat2vec" }),
  ]
  it("S: best γ per (task, fold, backbone, DIM) by validation MAE, pure channels included", () => {
    expect(selectForDistillation(models, "S")).toEqual({ chosen: [2, 4], publishedFallback: false })
  })
  it("never by test MAE: a model best on the test fold but worse on validation is not chosen", () => {
    const pair = [m("hybrid", 2, { mae: 9 }), m("hybrid", 3, { mae: 1 })]
    expect(selectForDistillation(pair, "S").chosen).toEqual([0])
  })
  it("H and L: the pure-channel model of each setting", () => {
    expect(selectForDistillation(models, "H").chosen).toEqual([0, 4])
    expect(selectForDistillation(models, "L").chosen).toEqual([3, 6])
  })
  it("published tables only: all of them, flagged", () => {
    expect(selectForDistillation([m("published", null), m("published", null)], "H")).toEqual({ chosen: [0, 1], publishedFallback: true })
  })
})
