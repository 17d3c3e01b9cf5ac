// Hand-worked cases (values checked against scipy.stats 1.11 pearsonr / spearmanr / rankdata).
import { describe, expect, it } from "vitest"
import { averageRanks, pearson, spearman } from "./correlation.js"

describe("Pearson", () => {
  it("exact linear relations give ±1, invariant to affine rescaling", () => {
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 14)
    expect(pearson([1, 2, 3, 4], [-2, -4, -6, -8])).toBeCloseTo(-1, 14)
  })
  it("a hand case: x = (1,2,3,4,5), y = (2,1,4,3,5) → r = 0.8", () => {
    // Σdxdy = 8, Σdx² = Σdy² = 10
    expect(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 14)
  })
  it("a constant series is undefined (NaN)", () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN()
  })
})

describe("average ranks and Spearman with ties", () => {
  it("ranks ties by their mean rank", () => {
    expect([...averageRanks([10, 20, 20, 30])]).toEqual([1, 2.5, 2.5, 4])
    expect([...averageRanks([3, 1, 3, 3, 2])]).toEqual([4, 1, 4, 4, 2])
  })
  it("monotone but non-linear relations give ρ = 1", () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])).toBeCloseTo(1, 14)
  })
  it("a hand case with ties in both series", () => {
    // x = (1,2,2,3) → ranks (1, 2.5, 2.5, 4); y = (1,1,2,3) → (1.5, 1.5, 3, 4)
    // centred: (−1.5, 0, 0, 1.5) and (−1, −1, 0.5, 1.5): Σ = 3.75, Σx² = 4.5, Σy² = 4.5 → ρ = 3.75/4.5
    expect(spearman([1, 2, 2, 3], [1, 1, 2, 3])).toBeCloseTo(3.75 / 4.5, 14)
  })
  it("a hand case: scipy.stats.spearmanr([1,2,3,4,5,6], [2,2,1,5,5,4]) = 0.617914…", () => {
    // y ranks (2.5, 2.5, 1, 5.5, 5.5, 4): Σdxdy = 10.5, Σdx² = 17.5, Σdy² = 16.5
    expect(spearman([1, 2, 3, 4, 5, 6], [2, 2, 1, 5, 5, 4])).toBeCloseTo(10.5 / Math.sqrt(17.5 * 16.5), 14)
    expect(spearman([1, 2, 3, 4, 5, 6], [2, 2, 1, 5, 5, 4])).toBeCloseTo(0.6179143806533246, 14)
  })
})
