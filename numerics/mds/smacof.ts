// numerics/mds/smacof.ts: metric MDS by SMACOF (de Leeuw 1977; Borg & Groenen, Modern MDS, ch. 8) with the
// semantics of scikit-learn 1.2.1 `sklearn.manifold._mds._smacof_single` / `smacof` (metric=True,
// normalized_stress=False), which the thesis used (§3.1.2: n_init 20,000, max_iter 500, seed 42; §4.2: 32/64-d):
//   per iteration: dis = pairwise distances of X; stress = Σ_{i<j} (dis_ij − D_ij)² computed BEFORE the update;
//   dis_ij = 0 → 1e-5; Guttman transform X ← B(X)·X / n with B_ij = −D_ij/dis_ij, B_ii = Σ_j D_ij/dis_ij;
//   s = Σ_i ‖X_i‖ of the new X; stop when old − stress/s < eps; old = stress/s.
//   Returns the updated X, the stress measured before that update, and the iteration count (it + 1).
// Several random starts drawn in sequence from ONE numpy RandomState(seed) (`uniform(size=n·k)` each); the
// lowest stress wins, the first on ties. An explicit init forces a single run, as in sklearn.
// One dimension (the thesis's 1-D ordering) follows scikit-learn's arithmetic to the last bit (numpy-arith.ts):
// starts that tie in exact arithmetic — at n_init 20,000 on the chemical distance, 14 starts that reach the
// same layout up to swapping He, Ne and Ar, whose distances are all equal — differ only by rounding, and the
// winner is the one scikit-learn picks only if every rounding is its own: distances by the expansion
// |x|² − 2x·y + |y|² (`euclidean_distances`), numpy's pairwise sums for the stress and the row sums of B,
// OpenBLAS's dgemv for B·X. More dimensions use a plain kernel that agrees to rounding (BLAS's dgemm order
// is not modelled there). The inner loops are allocation-free over Float64Array.
import { dgemvRowMajor, numpySum, pairwiseSum } from "./numpy-arith.js"
import { MT19937 } from "./mt19937.js"

export interface SmacofOptions {
  nComponents: number
  /** number of random starts (sklearn default 4); ignored (= 1) when `init` is given */
  nInit?: number
  /** sklearn default 300 */
  maxIter?: number
  /** sklearn default 1e-3 */
  eps?: number
  /** numpy RandomState seed (sklearn random_state); default 0 */
  seed?: number
  /** explicit start, n × nComponents row-major */
  init?: Float64Array
  /** progress: called after each start, with that start's final stress and iteration count */
  onInit?: (done: number, total: number, start: { stress: number; nIter: number }) => void
}

export interface SmacofResult {
  /** n × nComponents row-major embedding of the best start */
  X: Float64Array
  stress: number
  nIter: number
}

/** Throw unless D is an n×n symmetric, finite, non-negative matrix with a zero diagonal. */
export function checkDissimilarities(D: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`smacof: n must be a positive integer, got ${n}`)
  if (D.length !== n * n) throw new RangeError(`smacof: D has ${D.length} entries, expected n·n = ${n * n}`)
  for (let i = 0; i < n; i++) {
    if (D[i * n + i] !== 0) throw new RangeError(`smacof: D[${i},${i}] = ${D[i * n + i]}, the diagonal must be 0`)
    for (let j = i + 1; j < n; j++) {
      const a = D[i * n + j]
      const b = D[j * n + i]
      if (!Number.isFinite(a) || a < 0) throw new RangeError(`smacof: D[${i},${j}] = ${a} is not a finite non-negative number`)
      // sklearn's check_symmetric tolerance
      if (Math.abs(a - b) > 1e-10) throw new RangeError(`smacof: D is not symmetric at (${i},${j}): ${a} vs ${b}`)
    }
  }
}

/** Scratch for one-dimensional runs: n×n squared residuals and B, n norms. */
export interface Scratch1d {
  E: Float64Array
  B: Float64Array
  norms: Float64Array
}
export const scratch1d = (n: number): Scratch1d => ({ E: new Float64Array(n * n), B: new Float64Array(n * n), norms: new Float64Array(n) })

/**
 * One SMACOF run from the start in `X` (overwritten with the result). `work` is scratch of the same length;
 * `scratch` (k = 1) is allocated when not given. Exported so worker pools can run batches of starts.
 */
export function smacofSingle(
  D: Float64Array,
  n: number,
  k: number,
  X: Float64Array,
  work: Float64Array,
  maxIter: number,
  eps: number,
  scratch: Scratch1d | null = k === 1 ? scratch1d(n) : null,
): { stress: number; nIter: number; X: Float64Array } {
  let cur = X
  let next = work
  let old = NaN
  let stress = 0
  let nIter = 0
  const invN = 1 / n
  for (let it = 0; it < maxIter; it++) {
    let s = 0
    if (k === 1) {
      const { E, B, norms } = scratch!
      stress = sklearnStress1d(D, n, cur, E, B)
      dgemvRowMajor(B, n, cur, next)
      // X = 1.0 / n * (B·X); s = Σ_i sqrt((X**2).sum(axis=1)) = numpy's sum of |x_i|
      for (let i = 0; i < n; i++) {
        const v = invN * next[i]!
        next[i] = v
        norms[i] = Math.sqrt(v * v)
      }
      s = numpySum(norms, n)
    } else {
      stress = guttmanNd(D, n, k, cur, next)
      for (let i = 0; i < n; i++) {
        let r = 0
        for (let c = 0; c < k; c++) {
          const v = next[i * k + c] * invN
          next[i * k + c] = v
          r += v * v
        }
        s += Math.sqrt(r)
      }
    }
    const t = cur
    cur = next
    next = t
    nIter = it + 1
    const ratio = stress / s
    if (!Number.isNaN(old) && old - ratio < eps) break
    old = ratio
  }
  if (cur !== X) X.set(cur)
  return { stress, nIter, X }
}

/**
 * scikit-learn's stress of x (`((dis − D)**2).sum() / 2` over the full matrix) and its B (−D/dis off the
 * diagonal, dis = 0 → 1e-5, row sums added on the diagonal), in numpy's rounding; E is n×n scratch.
 */
function sklearnStress1d(D: Float64Array, n: number, x: Float64Array, E: Float64Array, B: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const xi = x[i]!
    const xx = xi * xi
    const row = i * n
    for (let j = 0; j < n; j++) {
      let dis = 0
      if (j !== i) {
        // euclidean_distances: −2·(x_i·x_j) + |x_i|² + |x_j|², clipped at 0 (its diagonal is set to 0)
        const xj = x[j]!
        const d2 = -2 * (xi * xj) + xx + xj * xj
        dis = d2 > 0 ? Math.sqrt(d2) : 0
      }
      const target = D[row + j]!
      const e = dis - target
      E[row + j] = e * e
      B[row + j] = -(target / (dis === 0 ? 1e-5 : dis))
    }
    // B = −ratio; B_ii += ratio.sum(axis=1), which is −(pairwise sum of −ratio) to the bit
    B[row + i] = B[row + i]! - pairwiseSum(B, row, n)
  }
  return numpySum(E, n * n) / 2
}

/** stress of X and out = n·(Guttman transform of X), k dimensions. */
function guttmanNd(D: Float64Array, n: number, k: number, X: Float64Array, out: Float64Array): number {
  out.fill(0)
  let stress = 0
  for (let i = 0; i < n; i++) {
    const row = i * n
    const oi = i * k
    for (let j = i + 1; j < n; j++) {
      const oj = j * k
      let r2 = 0
      for (let c = 0; c < k; c++) {
        const d = X[oi + c] - X[oj + c]
        r2 += d * d
      }
      let dist = Math.sqrt(r2)
      const target = D[row + j]
      const e = dist - target
      stress += e * e
      if (dist === 0) dist = 1e-5
      const ratio = target / dist
      if (ratio === 0) continue
      for (let c = 0; c < k; c++) {
        const t = ratio * (X[oi + c] - X[oj + c])
        out[oi + c] += t
        out[oj + c] -= t
      }
    }
  }
  return stress
}

/** Draw the `nInit` random starts exactly as sklearn does: one RandomState, n·k uniforms per start, in order. */
export function sklearnStarts(n: number, k: number, nInit: number, seed: number): Float64Array {
  const rng = new MT19937(seed)
  return rng.fill(new Float64Array(nInit * n * k))
}

export function smacof(D: Float64Array, n: number, opts: SmacofOptions): SmacofResult {
  const k = opts.nComponents
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`smacof: nComponents must be a positive integer, got ${k}`)
  checkDissimilarities(D, n)
  const maxIter = opts.maxIter ?? 300
  const eps = opts.eps ?? 1e-3
  const nInit = opts.init ? 1 : (opts.nInit ?? 4)
  if (opts.init && opts.init.length !== n * k) throw new RangeError(`smacof: init has ${opts.init.length} entries, expected ${n * k}`)
  const rng = new MT19937(opts.seed ?? 0)
  const X = new Float64Array(n * k)
  const work = new Float64Array(n * k)
  const scratch = k === 1 ? scratch1d(n) : null
  const best = new Float64Array(n * k)
  let bestStress = Infinity
  let bestIter = 0
  for (let r = 0; r < nInit; r++) {
    if (opts.init) X.set(opts.init)
    else rng.fill(X)
    const res = smacofSingle(D, n, k, X, work, maxIter, eps, scratch)
    if (r === 0 || res.stress < bestStress) {
      bestStress = res.stress
      bestIter = res.nIter
      best.set(X)
    }
    opts.onInit?.(r + 1, nInit, res)
  }
  return { X: best, stress: bestStress, nIter: bestIter }
}
