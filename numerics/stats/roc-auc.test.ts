import { describe, expect, it } from "vitest"
import { mulberry32 } from "../random.js"
import { rocAuc } from "./roc-auc.js"

/** The definition: share of (positive, negative) pairs ordered right, ties ½ — O(n²), for checking. */
function pairwise(labels: number[], scores: number[]): number {
  let good = 0, pairs = 0
  labels.forEach((yi, i) => {
    if (yi !== 1) return
    labels.forEach((yj, j) => {
      if (yj !== 0) return
      pairs++
      good += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0
    })
  })
  return good / pairs
}

describe("rocAuc", () => {
  it("equals scikit-learn's roc_auc_score on a case with ties (0.76, sklearn 1.2.1)", () => {
    // python3 -c "from sklearn.metrics import roc_auc_score; print(roc_auc_score(y, s))" → 0.76;
    // by hand: 19 of 25 pairs ordered right (one positive 0.4 ties two negatives 0.4: 2 × ½)
    const y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0]
    const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.4, 0.2, 0.55, 0.7]
    expect(rocAuc(y, s)).toBeCloseTo(0.76, 15)
  })
  it("is 1 for a perfect ranking, 0 for a reversed one, ½ for constant scores", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1)
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0)
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5)
  })
  it("equals the pairwise definition on random data with many ties", () => {
    const r = mulberry32(7)
    const y = Array.from({ length: 301 }, () => (r() < 0.3 ? 1 : 0))
    const s = Array.from({ length: 301 }, () => Math.round(r() * 20) / 20)
    expect(rocAuc(y, s)).toBeCloseTo(pairwise(y, s), 12)
  })
  it("refuses one-class labels, non-binary labels and NaN scores", () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/both classes/)
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow(/not 0 or 1/)
    expect(() => rocAuc([0, 1], [0.2, Number.NaN])).toThrow(/NaN/)
  })
})
