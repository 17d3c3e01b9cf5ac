import { describe, expect, it } from "vitest"
import { bestGammaFrequency, dimEffect, gammaCurves, histogram, strategyTable, type GammaLabel, type ModelRow } from "./train-grid.js"

// a hand-made `train` grid: CGCNN and MEGNet on one task, two folds, DIM 8 and 16, some γ
const row = (backbone: string, fold: number, dim: number, gamma: GammaLabel, mae: number, task = "matbench_phonons"): ModelRow => ({ backbone, task, fold, dim, gamma, mae })
const rows: ModelRow[] = [
  // cgcnn fold 0 DIM 8: hybrid 0 beats both ends
  row("cgcnn", 0, 8, "H", 100), row("cgcnn", 0, 8, "L", 120), row("cgcnn", 0, 8, "0", 90), row("cgcnn", 0, 8, "2", 110),
  // cgcnn fold 1 DIM 8: H wins
  row("cgcnn", 1, 8, "H", 80), row("cgcnn", 1, 8, "L", 130), row("cgcnn", 1, 8, "0", 95), row("cgcnn", 1, 8, "2", 105),
  // cgcnn fold 0 DIM 16: incomplete (no L) — not a strategy setting, still a γ-curve point
  row("cgcnn", 0, 16, "H", 70), row("cgcnn", 0, 16, "0", 60),
  // megnet fold 0 DIM 8: L wins
  row("megnet", 0, 8, "H", 50), row("megnet", 0, 8, "L", 40), row("megnet", 0, 8, "-2", 45),
]

describe("figure data from hand-made train outputs", () => {
  it("Figs 3.6–3.7: MAE by strategy over complete settings, best hybrid, hybrid wins", () => {
    const t = strategyTable(rows)
    expect(t.map((r) => r.backbone)).toEqual(["cgcnn", "megnet"])
    const cg = t[0]!
    expect(cg.settings).toBe(2) // the DIM-16 setting lacks L
    expect(cg.maeH).toBe(90)
    expect(cg.maeL).toBe(125)
    expect(cg.maeHybridBest).toBe((90 + 95) / 2)
    expect(cg.maeHybridMean).toBe((90 + 110 + 95 + 105) / 4)
    expect(cg.hybridWins).toBe(1)
    expect(t[1]).toMatchObject({ settings: 1, maeH: 50, maeL: 40, maeHybridBest: 45, hybridWins: 0 })
  })

  it("Fig 4.2: mean ± sd over folds per γ, one curve per (backbone, task, DIM)", () => {
    const c = gammaCurves(rows)
    expect(c.map((x) => `${x.backbone}/${x.dim}`)).toEqual(["cgcnn/8", "cgcnn/16", "megnet/8"])
    const cg8 = c[0]!
    expect(cg8.mean[0]).toBe(90) // H
    expect(cg8.sd[0]).toBeCloseTo(Math.SQRT2 * 10, 12) // (100, 80): sd = 14.14
    expect(cg8.mean[3]).toBe(92.5) // γ = 0
    expect(Number.isNaN(cg8.mean[1]!)).toBe(true) // γ = −4 not run
    expect(Number.isNaN(cg8.sd[1]!)).toBe(true)
    expect(c[1]!.sd[0]).toBe(0) // one fold: no spread
    expect(cg8.folds).toEqual([2, 0, 0, 2, 2, 0, 2])
  })

  it("Fig 4.3: best-γ counts per backbone over settings with ≥ 2 γ", () => {
    expect(bestGammaFrequency(rows)).toEqual([
      { backbone: "cgcnn", counts: [1, 0, 0, 2, 0, 0, 0], settings: 3 }, // fold0/8 → 0, fold1/8 → H, fold0/16 → 0
      { backbone: "megnet", counts: [0, 0, 0, 0, 0, 0, 1], settings: 1 },
    ])
  })

  it("Fig 4.4: DIM effect on task-normalised MAE", () => {
    const taskMean = rows.reduce((a, r) => a + r.mae, 0) / rows.length
    const e = dimEffect(rows)
    const cgH = e.find((x) => x.backbone === "cgcnn" && x.strategy === "H")!
    expect(cgH.dims).toEqual([8, 16])
    expect(cgH.relativeMae[0]).toBeCloseTo(90 / taskMean, 12)
    expect(cgH.relativeMae[1]).toBeCloseTo(70 / taskMean, 12)
    const cgL = e.find((x) => x.backbone === "cgcnn" && x.strategy === "L")!
    expect(Number.isNaN(cgL.relativeMae[1]!)).toBe(true)
  })

  it("Fig 4.5: histogram bins angles, last bin closed, NaN dropped", () => {
    expect(histogram([0, 10, 89.9, 90, 180, NaN, -1], 0, 180, 2)).toEqual([3, 2])
  })
})
