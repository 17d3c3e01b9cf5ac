// Spectral summary of a weighted undirected graph (thesis §3.2.3, eqs. 3.4–3.5): spectral radius
// λ1 and spectral gap λ1 − λ2 of the adjacency A, and the Fiedler value (algebraic connectivity),
// the second-smallest eigenvalue of the Laplacian L = D − A (Fiedler 1973).
import { symmetricEigenvalues } from "./eigen.js"

/** L = D − A with D = diag(row sums of A). */
export function laplacian(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    let degree = 0
    for (let j = 0; j < n; j++) {
      if (j === i) continue
      degree += A[i * n + j]!
      L[i * n + j] = -A[i * n + j]!
    }
    // the diagonal of A (zero for the thesis's graphs) cancels in D − A: self-loops do not change L
    L[i * n + i] = degree
  }
  return L
}

export interface GraphSpectrum {
  /** largest adjacency eigenvalue λ1 (= spectral radius for a non-negative A, Perron–Frobenius) */
  spectralRadius: number
  /** λ1 − λ2 */
  spectralGap: number
  /** second-smallest Laplacian eigenvalue */
  fiedler: number
}

export function graphSpectrum(A: Float64Array, n: number): GraphSpectrum {
  if (n < 2) throw new Error(`a graph spectrum needs at least 2 nodes, got ${n}`)
  const a = symmetricEigenvalues(A, n)
  const l = symmetricEigenvalues(laplacian(A, n), n)
  const lambda1 = a[n - 1]!
  // L is positive semi-definite: a negative second eigenvalue (−1e-18 on a disconnected graph) is rounding
  return { spectralRadius: lambda1, spectralGap: lambda1 - a[n - 2]!, fiedler: Math.max(0, l[1]!) }
}
