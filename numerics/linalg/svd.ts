// Singular values and the effective rank of an embedding matrix E ∈ R^{n×d} (thesis §3.2.3;
// Roy & Vetterli 2007): p_k = σ_k / Σσ, erank = exp(−Σ p_k log p_k).
import { Matrix, SingularValueDecomposition } from "ml-matrix"

/** Singular values of the rows×cols row-major X, descending. */
export function singularValues(X: Float64Array, rows: number, cols: number): Float64Array {
  if (X.length !== rows * cols) throw new Error(`expected ${rows}×${cols} entries, got ${X.length}`)
  const m = new Matrix(rows, cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, X[i * cols + j]!)
  // ml-matrix's one-sided SVD wants rows ≥ cols; σ(Xᵀ) = σ(X)
  const svd = new SingularValueDecomposition(rows >= cols ? m : m.transpose(), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  })
  return Float64Array.from(svd.diagonal).sort().reverse()
}

/** exp of the Shannon entropy of the normalised singular values (1 ≤ erank ≤ min(rows, cols)). */
export function effectiveRank(sigma: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < sigma.length; i++) total += Math.max(0, sigma[i]!)
  if (total === 0) return 0
  let h = 0
  for (let i = 0; i < sigma.length; i++) {
    const p = Math.max(0, sigma[i]!) / total
    if (p > 0) h -= p * Math.log(p)
  }
  return Math.exp(h)
}
