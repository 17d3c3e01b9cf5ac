// numerics/ordering/spacing.ts: thesis §3.1.3, eq. 3.3. Along a fixed 1-D order of N elements, gaps
// x_1…x_{N−1} (x_k between the k-th and (k+1)-th element) minimise
//   L(x, λ) = η(Σx − N)² + Σ_{i<j} (W_ij·D_ij + λ/D_ij),   D_ij = Σ_{k=i}^{j−1} x_k,
// with W the substitutability weights in the order (which S: see readings.ts). ∂L/∂x_k collects every pair
// (i, j) with i ≤ k < j: 2η(Σx − N) + Σ (W_ij − λ/D_ij²); a difference array makes the whole gradient O(N²).
// L is convex on x > 0 (linear + 1/linear + a square), so the minimiser is unique and any converged
// quasi-Newton run finds the same gaps.
import { lbfgsPositive } from "../optim/lbfgs.js"

export interface SpacingParams {
  lambda: number
  eta: number
}

/**
 * L(x, λ) for weights W (n×n row-major in the order, pairs i < j read from the upper triangle W[i·n+j]).
 * Writes ∂L/∂x into `grad` when given (length n−1). `scratch` (length n+1) avoids allocation in loops.
 */
export function spacingLoss(
  x: Float64Array,
  W: Float64Array,
  n: number,
  p: SpacingParams,
  grad?: Float64Array,
  scratch: Float64Array = new Float64Array(n + 1),
): number {
  // scratch holds prefix positions c_0 = 0, c_k = Σ_{m<k} x_m
  const c = scratch
  c[0] = 0
  let sum = 0
  for (let k = 0; k < n - 1; k++) {
    sum += x[k]
    c[k + 1] = sum
  }
  const excess = sum - n
  let loss = p.eta * excess * excess
  if (grad) grad.fill(0)
  for (let i = 0; i < n - 1; i++) {
    const ci = c[i]
    const row = i * n
    // acc_i: Σ_j w_ij over the pairs starting at i; w_ij is added on gaps i…j−1 via a running difference
    for (let j = i + 1; j < n; j++) {
      const D = c[j] - ci
      const w = W[row + j]
      const inv = 1 / D
      loss += w * D + p.lambda * inv
      if (grad) {
        const g = w - p.lambda * inv * inv
        grad[i] += g
        if (j < n - 1) grad[j] -= g
      }
    }
  }
  if (grad) {
    // prefix-sum the difference array: pair (i, j) contributes to gaps i…j−1
    let run = 0
    const base = 2 * p.eta * excess
    for (let k = 0; k < n - 1; k++) {
      run += grad[k]
      grad[k] = run + base
    }
  }
  return loss
}

/** LossX = Σ_{i<j} W_ij·D_ij and LossY = Σ_{i<j} 1/D_ij of thesis §3.1.3 (Fig. 3.4). */
export function lossParts(x: Float64Array, W: Float64Array, n: number): { lossX: number; lossY: number } {
  const c = positionsFromGaps(x, 0)
  let lossX = 0
  let lossY = 0
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const D = c[j] - c[i]
      lossX += W[i * n + j] * D
      lossY += 1 / D
    }
  return { lossX, lossY }
}

/** Positions start + cumulative gaps (length gaps + 1). */
export function positionsFromGaps(x: Float64Array, start = 1): Float64Array {
  const p = new Float64Array(x.length + 1)
  p[0] = start
  for (let k = 0; k < x.length; k++) p[k + 1] = p[k] + x[k]
  return p
}

/** Gaps scaled to sum to `total` (the thesis's "等比例放缩": positions then span 1…N when total = N − 1). */
export function rescaleGaps(x: Float64Array, total: number): Float64Array {
  let s = 0
  for (const v of x) s += v
  return x.map((v) => (v * total) / s)
}

export interface SpacingFit {
  gaps: Float64Array
  loss: number
  lossX: number
  lossY: number
  iterations: number
  gradNorm: number
  converged: boolean
}

/** Minimise eq. 3.3 from x0 (thesis: all ones) by L-BFGS on log-gaps (keeps every gap positive). */
export function fitGaps(W: Float64Array, n: number, p: SpacingParams, x0?: Float64Array): SpacingFit {
  if (W.length !== n * n) throw new RangeError(`fitGaps: W has ${W.length} entries, expected ${n * n}`)
  const scratch = new Float64Array(n + 1)
  const start = x0 ?? new Float64Array(n - 1).fill(1)
  const res = lbfgsPositive((x, g) => spacingLoss(x, W, n, p, g, scratch), start, { gtol: 1e-9, ftol: 0, maxIter: 20_000 })
  const gaps = res.x
  const g = new Float64Array(n - 1)
  const loss = spacingLoss(gaps, W, n, p, g)
  let gradNorm = 0
  for (const v of g) gradNorm = Math.max(gradNorm, Math.abs(v))
  return { gaps, loss, ...lossParts(gaps, W, n), iterations: res.iterations, gradNorm, converged: res.converged || gradNorm < 1e-6 }
}
