// crabnet-transfer on hand-made metrics: Tables 4.2/4.3 (mean ± sd over the folds trained), the
// thesis's overall improvement, and the Mat2Vec baseline beside MatBench's CrabNet folds.
import { describe, expect, it } from "vitest"
import { transferTables, type TransferInput } from "./crabnet-transfer.js"

const none = { train: 0, validation: 0, test: 0 }
const m = (table: string, dim: number, task: TransferInput["task"], fold: number, score: number, droppedTest = 0): TransferInput => ({
  table,
  dim,
  task,
  fold,
  metric: task === "matbench_glass" || task === "matbench_expt_is_metal" ? "rocAuc" : "mae",
  score,
  dropped: { ...none, test: droppedTest },
})

describe("crabnet-transfer", () => {
  it("the thesis's own Tables 4.2/4.3 give its 9.8 %, 5.1 %, 0.5 %, 2.1 % → 4.3 %", () => {
    const { summary } = transferTables([])
    const t = summary.thesisImprovement
    expect(t.perTask.map((g) => [g.task, g.best, Number(g.gainPercent.toFixed(1))])).toEqual([
      ["matbench_steels", "Mat2Vec-H (32)", 9.8],
      ["matbench_expt_gap", "Mat2Vec-H (64)", 5.1],
      ["matbench_expt_is_metal", "Mat2Vec-S (32)", 0.5],
      ["matbench_glass", "Mat2Vec-S (64)", 2.1],
    ])
    // (106.6691 − 96.2327)/106.6691 = 9.784 %, …; mean 4.345 %
    expect(t.overallPercent).toBeCloseTo((9.7839 + 5.0739 + 0.4668 + 2.0612) / 4, 3)
    expect(Number(t.overallPercent!.toFixed(1))).toBe(summary.thesisPrintedOverallPercent)
    expect(summary.improvement.overallPercent).toBeNull() // nothing trained
  })

  it("mean ± sd per table and task; gains compared on the folds both tables trained", () => {
    const metrics = [
      m("Mat2Vec", 200, "matbench_steels", 2, 120),
      m("Mat2Vec", 200, "matbench_steels", 0, 100),
      m("Mat2Vec", 200, "matbench_steels", 1, 110),
      m("Mat2Vec-S", 32, "matbench_steels", 0, 90),
      m("Mat2Vec-S", 32, "matbench_steels", 1, 99),
      ...[0, 1, 2].map((f) => m("Mat2Vec-H", 64, "matbench_steels", f, 100)),
      m("SkipAtom", 200, "matbench_steels", 0, 50), // not a Mat2Vec-* table: never the "best"
      m("Mat2Vec", 200, "matbench_glass", 0, 0.9),
      m("Mat2Vec-L", 32, "matbench_glass", 0, 0.99, 3),
    ]
    const { rows, summary, markdown, csv } = transferTables(metrics)
    const base = rows.find((r) => r.table === "Mat2Vec" && r.task === "matbench_steels")!
    expect(base.folds).toEqual([0, 1, 2])
    expect(base.scores).toEqual([100, 110, 120])
    expect(base.mean).toBe(110)
    expect(base.sd).toBe(10)
    expect(rows.find((r) => r.table === "SkipAtom")!.sd).toBeNull()
    // S (32): folds 0, 1 → 94.5 vs the baseline's 105 there: 10 %; H (64): 100 vs 110: 9.09 %
    const steels = summary.improvement.perTask.find((g) => g.task === "matbench_steels")!
    expect(steels).toMatchObject({ best: "Mat2Vec-S (32)", folds: [0, 1], baselineMean: 105, bestMean: 94.5 })
    expect(steels.gainPercent).toBeCloseTo(10, 12)
    // glass: Mat2Vec-L lost test formulas to missing=drop, so it is not compared (another test set)
    expect(summary.improvement.perTask.map((g) => g.task)).toEqual(["matbench_steels"])
    expect(summary.improvement.overallPercent).toBeCloseTo(10, 12)
    // ROC-AUC: higher is better, 0.99 vs 0.9 = +10 %
    const glass = transferTables([m("Mat2Vec", 200, "matbench_glass", 0, 0.9), m("Mat2Vec-L", 32, "matbench_glass", 0, 0.99)])
    expect(glass.summary.improvement.perTask[0]!.gainPercent).toBeCloseTo(10, 12)
    // Mat2Vec beside MatBench's CrabNet, same folds
    expect(summary.baselineVsMatbench.folds.map((f) => [f.fold, f.matbench])).toEqual([[0, 116.22], [1, 88.09], [2, 108.12]])
    expect(summary.baselineVsMatbench.folds[0]!.ratio).toBeCloseTo(100 / 116.22, 12)
    expect(summary.baselineVsMatbench.means).toEqual([
      { task: "matbench_steels", folds: [0, 1, 2], ours: 110, matbench: (116.22 + 88.09 + 108.12) / 3, matbenchAllFolds: 107.32 },
    ])
    expect(summary.droppedTest).toEqual([{ table: "Mat2Vec-L", dim: 32, task: "matbench_glass", fold: 0, formulas: 3 }])
    expect(csv.split("\n")[0]).toBe("table,dim,task,metric,folds,mean,sd,thesis")
    expect(csv).toContain("Mat2Vec,200,matbench_steels,mae,0 1 2,110,10,106.6691")
    expect(markdown).toContain("| Mat2Vec (DIM = 200/512) | 110.00 ± 10.00 (folds 0,1,2) | 106.67 | — | 0.3449 |")
    expect(markdown).toContain("| Mat2Vec-L (DIM = 32/512) | — | 0.9580 | 0.9900 (fold 0) † | 0.9189 |")
    // the † footnote names the task, the table and the count per fold
    expect(markdown).toContain("\n- matbench_glass, Mat2Vec-L (32): fold 0 −3\n")
    // an sd takes its mean's precision: 94.5 ± 6.36, not ± 6.3640
    expect(markdown).toContain("| Mat2Vec-S (DIM = 32/512) | 94.50 ± 6.36 (folds 0,1) | 101.91 |")
  })

  it("a fold where a table dropped test formulas is compared on the formulas every table kept", () => {
    const base = { ...m("Mat2Vec", 200, "matbench_steels", 0, 2), predictions: "id,target,prediction,uncertainty\na,10,11,1\nb,20,22,1\nc,30,33,1\n" }
    const s32 = { ...m("Mat2Vec-S", 32, "matbench_steels", 0, 0.5, 1), predictions: "id,target,prediction,uncertainty\na,10,10.5,1\nb,20,20.5,1\n" }
    const { rows, summary } = transferTables([base, s32])
    // the tables keep each model's own score …
    expect(rows.find((r) => r.table === "Mat2Vec")!.mean).toBe(2)
    // … the gain compares MAE on {a, b}: 1.5 vs 0.5
    expect(summary.improvement.perTask[0]).toMatchObject({ baselineMean: 1.5, bestMean: 0.5 })
    expect(summary.improvement.perTask[0]!.gainPercent).toBeCloseTo(100 * (1 / 1.5), 12)
    // ROC-AUC likewise, from the probabilities
    const g0 = { ...m("Mat2Vec", 200, "matbench_glass", 0, 0.5), predictions: "id,target,probability\na,1,0.9\nb,0,0.2\nc,1,0.1\nd,0,0.3\n" }
    const g1 = { ...m("Mat2Vec-H", 64, "matbench_glass", 0, 1, 1), predictions: "id,target,probability\na,1,0.8\nb,0,0.1\nd,0,0.2\n" }
    const glass = transferTables([g0, g1]).summary.improvement.perTask[0]!
    expect(glass).toMatchObject({ baselineMean: 1, bestMean: 1, gainPercent: 0 }) // on {a, b, d} both rank a first
  })

  it("refuses a fold counted twice and mixed metrics", () => {
    expect(() => transferTables([m("Mat2Vec", 200, "matbench_steels", 0, 1), m("Mat2Vec", 200, "matbench_steels", 0, 2)])).toThrow(/fold 0 appears twice/)
    expect(() => transferTables([m("Mat2Vec", 200, "matbench_steels", 0, 1), { ...m("Mat2Vec", 200, "matbench_steels", 1, 2), metric: "rocAuc" }])).toThrow(/mixed metrics/)
  })
})
