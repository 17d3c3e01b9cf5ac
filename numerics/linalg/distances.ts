// Pairwise squared Euclidean distances of the rows of X (n×d, row-major): the one kernel behind the
// silhouette's distances and the embedding graph's Gaussian affinity.
export function squaredDistances(X: Float64Array, n: number, d: number): Float64Array {
  const D = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0
      for (let k = 0; k < d; k++) {
        const t = X[i * d + k]! - X[j * d + k]!
        s += t * t
      }
      D[i * n + j] = D[j * n + i] = s
    }
  return D
}
