// References: scikit-learn 1.2.1 on ../shared/fixtures/kmeans_fixture.json (KMeans, adjusted_rand_score,
// silhouette_score / silhouette_samples).
import { describe, expect, it } from "vitest"
import { fixture } from "../../tests/fixtures.js"
import { adjustedRandIndex } from "./ari.js"
import { bestSilhouetteKMeans, kmeansBest } from "./kmeans.js"
import { euclideanDistances, silhouette, silhouettePrecomputed, silhouetteSamplesPrecomputed } from "./silhouette.js"

interface Fixture {
  X: number[][]
  y_true: number[]
  cases: { n_clusters: number; n_init: number; labels_: number[]; inertia_: number; ari_vs_true: number; silhouette_euclidean: number }[]
  fixed_labelings: { labels: Record<"a" | "b" | "c" | "d", number[]>; Xs: number[][]; results: Record<string, number | number[]> }
}
const f = fixture<Fixture>("kmeans_fixture.json")
const flat = (rows: number[][]) => Float64Array.from(rows.flat())

describe("K-means against scikit-learn", () => {
  const X = flat(f.X)
  const n = f.X.length, d = f.X[0]!.length
  for (const c of f.cases) {
    it(`k = ${c.n_clusters}, n_init = ${c.n_init}: same partition, inertia, ARI and silhouette`, () => {
      const fit = kmeansBest(X, n, d, c.n_clusters, { nInit: c.n_init, seed: 0 })
      // labels are arbitrary up to permutation: the partitions must be identical
      expect(adjustedRandIndex(fit.labels, c.labels_)).toBe(1)
      // the same partition → the same inertia up to summation order
      expect(fit.inertia).toBeCloseTo(c.inertia_, 10)
      expect(adjustedRandIndex(fit.labels, f.y_true)).toBeCloseTo(c.ari_vs_true, 12)
      expect(silhouette(X, n, d, fit.labels)).toBeCloseTo(c.silhouette_euclidean, 12)
    })
  }

  it("is deterministic for a fixed seed", () => {
    const a = kmeansBest(X, n, d, 4, { nInit: 3, seed: 7 })
    const b = kmeansBest(X, n, d, 4, { nInit: 3, seed: 7 })
    expect([...a.labels]).toEqual([...b.labels])
  })

  it("best-silhouette k over 2…4 picks the k whose silhouette is largest among sklearn's cases", () => {
    const best = bestSilhouetteKMeans(X, n, d, [2, 3, 4], { nInit: 10, seed: 0 })
    // sklearn: k=2 → 0.4219, k=3 → 0.5370, k=4 → 0.4893
    expect(best.k).toBe(3)
    expect(best.silhouette).toBeCloseTo(0.5370264448391784, 12)
  })
})

describe("ARI and silhouette on fixed labelings", () => {
  const L = f.fixed_labelings.labels
  const r = f.fixed_labelings.results as Record<string, number>
  it("ARI", () => {
    expect(adjustedRandIndex(L.a, L.b)).toBeCloseTo(r.ari_a_b!, 14)
    expect(adjustedRandIndex(L.a, L.a.map((v) => (v + 1) % 3))).toBe(r.ari_a_a_permuted)
    expect(adjustedRandIndex(L.a, L.c)).toBeCloseTo(r.ari_a_c!, 14)
    expect(adjustedRandIndex(L.a, L.d)).toBeCloseTo(r.ari_a_d_single_cluster!, 14)
  })
  it("silhouette (Euclidean, precomputed, per sample)", () => {
    const Xs = flat(f.fixed_labelings.Xs)
    const n = f.fixed_labelings.Xs.length
    expect(silhouette(Xs, n, 2, L.a)).toBeCloseTo(r.silhouette_Xs_a!, 12)
    expect(silhouette(Xs, n, 2, L.b)).toBeCloseTo(r.silhouette_Xs_b!, 12)
    const D = euclideanDistances(Xs, n, 2)
    expect(silhouettePrecomputed(D, n, L.a)).toBeCloseTo(r.silhouette_precomputed_Xs_a!, 12)
    // fixture rounds per-sample values to 10 decimals
    const samples = f.fixed_labelings.results.silhouette_samples_Xs_a as number[]
    silhouetteSamplesPrecomputed(D, n, L.a).forEach((s, i) => expect(s).toBeCloseTo(samples[i]!, 9))
  })
  it("silhouette refuses a single cluster (as sklearn does)", () => {
    expect(() => silhouette(flat(f.fixed_labelings.Xs), 10, 2, L.d)).toThrow(/clusters/)
  })
})
