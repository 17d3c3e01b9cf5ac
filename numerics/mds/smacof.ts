// numerics/mds/smacof.ts: metric MDS by SMACOF (de Leeuw 1977; Borg & Groenen, Modern MDS, ch. 8) with the
// semantics of scikit-learn 1.2.1 `sklearn.manifold._mds._smacof_single` / `smacof` (metric=True,
// normalized_stress=False), which the thesis used (§3.1.2: n_init 20,000, max_iter 500, seed 42; §4.2: 32/64-d):
//   per iteration: dis = pairwise distances of X; stress = Σ_{i<j} (dis_ij − D_ij)² computed BEFORE the update;
//   dis_ij = 0 → 1e-5; Guttman transform X ← B(X)·X / n with B_ij = −D_ij/dis_ij, B_ii = Σ_j D_ij/dis_ij;
//   s = Σ_i ‖X_i‖ of the new X; stop when old − stress/s < eps; old = stress/s.
//   Returns the updated X, the stress measured before that update, and the iteration count (it + 1).
// Several random starts drawn in sequence from ONE numpy RandomState(seed) (`uniform(size=n·k)` each); the
// lowest stress wins, the first on ties. An explicit init forces a single run, as in sklearn.
// The inner loops are allocation-free over Float64Array; one dimension gets a division-free kernel (there
// D_ij/|x_i − x_j| · (x_i − x_j) = D_ij · sign(x_i − x_j), which is the same number up to rounding).
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
  /** progress: called after each start */
  onInit?: (done: number, total: number) => void
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

/**
 * One SMACOF run from the start in `X` (overwritten with the result). `work` is scratch of the same length.
 * Returns [stress, nIter]; exported so worker pools can run batches of starts.
 */
export function smacofSingle(
  D: Float64Array,
  n: number,
  k: number,
  X: Float64Array,
  work: Float64Array,
  maxIter: number,
  eps: number,
): { stress: number; nIter: number; X: Float64Array } {
  let cur = X
  let next = work
  let old = NaN
  let stress = 0
  let nIter = 0
  const invN = 1 / n
  for (let it = 0; it < maxIter; it++) {
    stress = k === 1 ? guttman1d(D, n, cur, next) : guttmanNd(D, n, k, cur, next)
    let s = 0
    if (k === 1) {
      for (let i = 0; i < n; i++) {
        const v = next[i] * invN
        next[i] = v
        s += Math.abs(v)
      }
    } else {
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

/** stress of `x` and out = n·(Guttman transform of x), one dimension. */
function guttman1d(D: Float64Array, n: number, x: Float64Array, out: Float64Array): number {
  out.fill(0)
  let stress = 0
  for (let i = 0; i < n; i++) {
    const xi = x[i]
    const row = i * n
    let acc = out[i]
    for (let j = i + 1; j < n; j++) {
      const d = D[row + j]
      const diff = xi - x[j]
      const e = Math.abs(diff) - d
      stress += e * e
      // sign(diff)·d; coincident points contribute 0, as sklearn's 1e-5 floor times a zero difference
      const t = diff > 0 ? d : diff < 0 ? -d : 0
      acc += t
      out[j] -= t
    }
    out[i] = acc
  }
  return stress
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
  const best = new Float64Array(n * k)
  let bestStress = Infinity
  let bestIter = 0
  for (let r = 0; r < nInit; r++) {
    if (opts.init) X.set(opts.init)
    else rng.fill(X)
    const res = smacofSingle(D, n, k, X, work, maxIter, eps)
    if (r === 0 || res.stress < bestStress) {
      bestStress = res.stress
      bestIter = res.nIter
      best.set(X)
    }
    opts.onInit?.(r + 1, nInit)
  }
  return { X: best, stress: bestStress, nIter: bestIter }
}
