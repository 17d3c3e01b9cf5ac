// Silhouette coefficient (Rousseeuw 1987; thesis eq. 3.8) with scikit-learn's conventions:
// a(i) = mean distance to the other members of i's cluster, b(i) = smallest mean distance to
// another cluster, s(i) = (b − a) / max(a, b), and s(i) = 0 for members of singleton clusters.
import { squaredDistances } from "../linalg/distances.js"
import { denseLabels } from "./ari.js"

/** Euclidean distances of the rows of X (n×d, row-major), n×n. */
export function euclideanDistances(X: Float64Array, n: number, d: number): Float64Array {
  return squaredDistances(X, n, d).map(Math.sqrt)
}

/** Per-sample silhouettes from a precomputed n×n distance matrix. */
export function silhouetteSamplesPrecomputed(D: Float64Array, n: number, labels: ArrayLike<number>): Float64Array {
  const l = denseLabels(labels)
  const k = Math.max(0, ...l) + 1
  if (k < 2 || k > n - 1) throw new Error(`silhouette needs 2 ≤ clusters ≤ n − 1 (got ${k} clusters for ${n} samples)`)
  const size = new Float64Array(k)
  for (let i = 0; i < n; i++) size[l[i]!]! += 1
  const out = new Float64Array(n)
  const sums = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    sums.fill(0)
    for (let j = 0; j < n; j++) sums[l[j]!]! += D[i * n + j]!
    const own = l[i]!
    if (size[own]! <= 1) continue // sklearn: 0 for singletons
    const a = sums[own]! / (size[own]! - 1)
    let b = Infinity
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c]! / size[c]!)
    const m = Math.max(a, b)
    out[i] = m > 0 ? (b - a) / m : 0
  }
  return out
}

export function silhouettePrecomputed(D: Float64Array, n: number, labels: ArrayLike<number>): number {
  const s = silhouetteSamplesPrecomputed(D, n, labels)
  let total = 0
  for (const v of s) total += v
  return total / n
}

/** Mean silhouette with Euclidean distances (sklearn.metrics.silhouette_score, metric="euclidean"). */
export function silhouette(X: Float64Array, n: number, d: number, labels: ArrayLike<number>): number {
  return silhouettePrecomputed(euclideanDistances(X, n, d), n, labels)
}
