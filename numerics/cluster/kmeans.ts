// K-means (Lloyd) via ml-kmeans with k-means++ seeding, restarted nInit times from fixed seeds; the
// run with the smallest inertia wins (scikit-learn's n_init semantics). Used by thesis §3.2.3 (ARI
// against the chemical classes) and §3.2.4 (k = 2…10, best silhouette per configuration).
import { kmeans } from "ml-kmeans"
import { silhouette } from "./silhouette.js"

export interface KMeansOptions {
  nInit?: number
  seed?: number
  maxIter?: number
}

export interface KMeansFit {
  labels: Int32Array
  /** k×d row-major cluster means of the final labels */
  centers: Float64Array
  /** Σ squared distance to the own cluster mean */
  inertia: number
  nIter: number
}

export function kmeansBest(X: Float64Array, n: number, d: number, k: number, opts: KMeansOptions = {}): KMeansFit {
  const { nInit = 10, seed = 0, maxIter = 300 } = opts
  if (k < 1 || k > n) throw new Error(`K-means needs 1 ≤ k ≤ n (k = ${k}, n = ${n})`)
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)))
  let best: KMeansFit | undefined
  for (let run = 0; run < nInit; run++) {
    // tolerance 0: iterate until the centres stop moving (Lloyd terminates; recomputed means are bit-identical)
    const r = kmeans(rows, k, { initialization: "kmeans++", seed: seed * 1000 + run + 1, maxIterations: maxIter, tolerance: 0 })
    const fit = finish(X, n, d, k, Int32Array.from(r.clusters), r.iterations)
    if (!best || fit.inertia < best.inertia) best = fit
  }
  return best!
}

/** Cluster means and inertia of a labelling (empty clusters keep a zero centre and add nothing). */
function finish(X: Float64Array, n: number, d: number, k: number, labels: Int32Array, nIter: number): KMeansFit {
  const centers = new Float64Array(k * d)
  const size = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    size[labels[i]!]! += 1
    for (let j = 0; j < d; j++) centers[labels[i]! * d + j]! += X[i * d + j]!
  }
  for (let c = 0; c < k; c++) if (size[c]! > 0) for (let j = 0; j < d; j++) centers[c * d + j]! /= size[c]!
  let inertia = 0
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const t = X[i * d + j]! - centers[labels[i]! * d + j]!
      inertia += t * t
    }
  return { labels, centers, inertia, nIter }
}

export interface BestK {
  k: number
  labels: Int32Array
  silhouette: number
  /** silhouette for every k tried (NaN where K-means left fewer than 2 clusters) */
  scores: { k: number; silhouette: number }[]
}

/** Thesis §3.2.4: K-means for each k in ks, keep the labelling with the highest silhouette. */
export function bestSilhouetteKMeans(X: Float64Array, n: number, d: number, ks: readonly number[], opts: KMeansOptions = {}): BestK {
  let best: BestK | undefined
  const scores: { k: number; silhouette: number }[] = []
  for (const k of ks) {
    if (k < 2 || k > n - 1) continue
    const fit = kmeansBest(X, n, d, k, opts)
    const distinct = new Set(fit.labels).size
    const s = distinct >= 2 && distinct <= n - 1 ? silhouette(X, n, d, fit.labels) : Number.NaN
    scores.push({ k, silhouette: s })
    if (!Number.isNaN(s) && (!best || s > best.silhouette)) best = { k, labels: fit.labels, silhouette: s, scores }
  }
  if (!best) throw new Error(`no k in [${ks.join(", ")}] gave a valid clustering of ${n} points`)
  return best
}
