// Structure metrics of one element-embedding table (thesis §3.2.3, Fig. 3.9):
//  - graph spectrum of A_ij = exp(−‖v_i − v_j‖²), A_ii = 0 (eq. 3.4): spectral radius λ1, gap λ1 − λ2,
//    Fiedler value of L = D − A. Raw vectors, no rescaling, as the thesis writes it: tables with large
//    coordinates (Magpie's raw properties) give an almost empty graph, and that is the measurement.
//  - effective rank of E ∈ R^{n×d} (exp entropy of σ/Σσ, Roy & Vetterli 2007);
//  - embedding entropy: Shannon entropy (nats) of the per-dimension variance shares var_k / Σ var;
//  - K-means with k = number of chemical classes present, ARI against the classes, and the silhouette
//    of that K-means partition.
import { squaredDistances } from "../linalg/distances.js"
import { adjustedRandIndex } from "../cluster/ari.js"
import { bestSilhouetteKMeans, kmeansBest, type KMeansOptions } from "../cluster/kmeans.js"
import { silhouette } from "../cluster/silhouette.js"
import { graphSpectrum } from "../linalg/graph-spectrum.js"
import { effectiveRank, singularValues } from "../linalg/svd.js"

export interface EmbeddingMetrics {
  n: number
  dim: number
  spectralRadius: number
  spectralGap: number
  fiedler: number
  effectiveRank: number
  entropy: number
  /** K-means ARI against the chemical classes (NaN when fewer than 2 classes are present) */
  ari: number
  /** silhouette of that K-means partition */
  silhouette: number
  /** k = number of classes among the classified elements */
  classes: number
}

/** A_ij = exp(−‖v_i − v_j‖²), zero diagonal (thesis eq. 3.4). */
export function gaussianAffinity(X: Float64Array, n: number, d: number): Float64Array {
  const A = squaredDistances(X, n, d).map((s) => Math.exp(-s))
  for (let i = 0; i < n; i++) A[i * n + i] = 0
  return A
}

/** Entropy (nats) of var_k / Σ_k var_k over the d columns; 0 ≤ H ≤ ln d. */
export function varianceEntropy(X: Float64Array, n: number, d: number): number {
  const v = new Float64Array(d)
  for (let k = 0; k < d; k++) {
    let m = 0
    for (let i = 0; i < n; i++) m += X[i * d + k]!
    m /= n
    let s = 0
    for (let i = 0; i < n; i++) s += (X[i * d + k]! - m) ** 2
    v[k] = s / n
  }
  const total = v.reduce((a, b) => a + b, 0)
  if (total === 0) return 0
  let h = 0
  for (const x of v) if (x > 0) h -= (x / total) * Math.log(x / total)
  return h
}

/**
 * K-means on the rows that have a class (k = number of distinct classes among them), ARI of the
 * partition against the classes, and its silhouette. Rows with class undefined are left out.
 */
export function classAgreement(
  X: Float64Array,
  n: number,
  d: number,
  classes: readonly (string | undefined)[],
  opts: KMeansOptions = {},
): { ari: number; silhouette: number; classes: number } {
  if (classes.length !== n) throw new Error(`${classes.length} class labels for ${n} rows`)
  const keep = classes.flatMap((c, i) => (c === undefined ? [] : [i]))
  const truth = keep.map((i) => classes[i]!)
  const k = new Set(truth).size
  if (k < 2 || keep.length <= k) return { ari: Number.NaN, silhouette: Number.NaN, classes: k }
  const Y = new Float64Array(keep.length * d)
  keep.forEach((i, r) => Y.set(X.subarray(i * d, (i + 1) * d), r * d))
  const fit = kmeansBest(Y, keep.length, d, k, opts)
  const distinct = new Set(fit.labels).size
  const s = distinct >= 2 && distinct < keep.length ? silhouette(Y, keep.length, d, fit.labels) : Number.NaN
  return { ari: adjustedRandIndex(fit.labels, truth), silhouette: s, classes: k }
}

export function embeddingMetrics(
  X: Float64Array,
  n: number,
  d: number,
  classes: readonly (string | undefined)[],
  opts: KMeansOptions = {},
): EmbeddingMetrics {
  const spectrum = graphSpectrum(gaussianAffinity(X, n, d), n)
  const agreement = classAgreement(X, n, d, classes, opts)
  return {
    n,
    dim: d,
    ...spectrum,
    effectiveRank: effectiveRank(singularValues(X, n, d)),
    entropy: varianceEntropy(X, n, d),
    ...agreement,
  }
}

/** Names of the metrics that are correlated with the error (thesis Fig. 3.9 rows), in display order. */
export const metricNames = ["dim", "entropy", "effectiveRank", "spectralRadius", "spectralGap", "fiedler", "silhouette", "ari"] as const
export type MetricName = (typeof metricNames)[number]

export interface TableAnalysis {
  metrics: EmbeddingMetrics
  /** K-means ARI against the classes of the per-layer vectors (thesis §3.2.4, Fig. 3.10) */
  layerAri: number[]
  /** best-silhouette K-means over k ∈ ks: the reference labelling for the consensus (thesis §3.2.4) */
  bestK: { k: number; silhouette: number; labels: number[] }
}

/**
 * Everything the analysis needs from one model's table, computed once per model so that adding a
 * model recomputes only its own node: the metrics, the per-layer ARI and the best-silhouette K-means.
 */
export function analyseTable(
  X: Float64Array,
  n: number,
  d: number,
  classes: readonly (string | undefined)[],
  opts: KMeansOptions & { layers?: readonly { vectors: Float64Array; dim: number }[]; ks: readonly number[] },
): TableAnalysis {
  const km = { nInit: opts.nInit ?? 10, seed: opts.seed ?? 0, ...(opts.maxIter ? { maxIter: opts.maxIter } : {}) }
  const best = bestSilhouetteKMeans(X, n, d, opts.ks, km)
  return {
    metrics: embeddingMetrics(X, n, d, classes, km),
    layerAri: (opts.layers ?? []).map((l) => classAgreement(l.vectors, n, l.dim, classes, km).ari),
    bestK: { k: best.k, silhouette: best.silhouette, labels: Array.from(best.labels) },
  }
}
