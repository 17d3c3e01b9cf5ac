// Distillation of many models' element vectors into one table (thesis §4.2.3, Fig. 4.6):
//  1. per model: L2-normalise the rows, cosine distances d_ij = 1 − cos (eq. 4.3) — invariant to any
//     rotation of the model's latent basis, which differs from run to run;
//  2. rescale each model's matrix so that its median non-zero distance is 1;
//  3. average each pair over the models in which both elements appear (arithmetic mean, unweighted);
//  4. metric MDS (SMACOF, sklearn semantics; thesis: max_iter 2000, n_init 8, seed 42) to 32 / 64 dims;
//  5. standardise each column (zero mean, unit variance) → Mat2Vec-S / -H / -L.
import { smacof } from "../mds/smacof.js"

export interface DistanceSource {
  /** row labels of `vectors` */
  symbols: readonly string[]
  dim: number
  /** symbols.length × dim, row-major */
  vectors: Float64Array
}

/** Cosine distances between the rows of X; rows of zero norm are dropped (their angle is undefined). */
export function cosineDistances(X: Float64Array, n: number, d: number): { D: Float64Array; kept: number[] } {
  const kept: number[] = []
  const norms: number[] = []
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let k = 0; k < d; k++) s += X[i * d + k]! ** 2
    if (s > 0 && Number.isFinite(s)) {
      kept.push(i)
      norms.push(Math.sqrt(s))
    }
  }
  const m = kept.length
  const Z = new Float64Array(m * d)
  kept.forEach((i, r) => {
    for (let k = 0; k < d; k++) Z[r * d + k] = X[i * d + k]! / norms[r]!
  })
  const D = new Float64Array(m * m)
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      let c = 0
      for (let k = 0; k < d; k++) c += Z[a * d + k]! * Z[b * d + k]!
      // clamp: |cos| can exceed 1 by rounding
      D[a * m + b] = D[b * m + a] = 1 - Math.max(-1, Math.min(1, c))
    }
  return { D, kept }
}

/** Median of the non-zero off-diagonal entries (upper triangle; NaN if there are none). */
export function medianNonZero(D: Float64Array, n: number): number {
  const xs: number[] = []
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (D[i * n + j]! !== 0) xs.push(D[i * n + j]!)
  if (xs.length === 0) return Number.NaN
  xs.sort((a, b) => a - b)
  const h = xs.length >> 1
  return xs.length % 2 ? xs[h]! : (xs[h - 1]! + xs[h]!) / 2
}

export interface AveragedDistances {
  symbols: string[]
  D: Float64Array
  /** how many models saw each pair */
  counts: Int32Array
  /** elements removed because some pair with them was never observed (SMACOF needs every pair) */
  dropped: string[]
}

/**
 * Steps 1–3 over every source. `universe` fixes the output order (e.g. atomic number); symbols outside
 * it are ignored, symbols in it that no source has are absent from the result.
 */
export function averageDistances(sources: readonly DistanceSource[], universe: readonly string[]): AveragedDistances {
  const index = new Map(universe.map((s, i) => [s, i]))
  const N = universe.length
  const sum = new Float64Array(N * N)
  const counts = new Int32Array(N * N)
  const seen = new Uint8Array(N)
  for (const src of sources) {
    const n = src.symbols.length
    if (src.vectors.length !== n * src.dim) throw new Error(`source has ${src.vectors.length} values for ${n}×${src.dim}`)
    const { D, kept } = cosineDistances(src.vectors, n, src.dim)
    const m = kept.length
    const scale = medianNonZero(D, m)
    if (!(scale > 0)) continue // all rows parallel: no geometry to contribute
    const at = kept.map((i) => index.get(src.symbols[i]!) ?? -1)
    for (let a = 0; a < m; a++) {
      const ia = at[a]!
      if (ia < 0) continue
      seen[ia] = 1
      for (let b = a + 1; b < m; b++) {
        const ib = at[b]!
        if (ib < 0) continue
        const v = D[a * m + b]! / scale
        sum[ia * N + ib]! += v
        sum[ib * N + ia]! += v
        counts[ia * N + ib]! += 1
        counts[ib * N + ia]! += 1
      }
    }
  }
  // keep the seen elements; greedily drop the one with most unobserved pairs until every pair is observed
  const alive = Array.from({ length: N }, (_, i) => i).filter((i) => seen[i])
  const dropped: string[] = []
  for (;;) {
    let worst = -1, worstMissing = 0
    for (const i of alive) {
      let missing = 0
      for (const j of alive) if (j !== i && counts[i * N + j] === 0) missing++
      if (missing > worstMissing || (missing === worstMissing && missing > 0 && i > worst)) {
        worst = i
        worstMissing = missing
      }
    }
    if (worstMissing === 0) break
    alive.splice(alive.indexOf(worst), 1)
    dropped.push(universe[worst]!)
  }
  const n = alive.length
  const D = new Float64Array(n * n)
  const c = new Int32Array(n * n)
  alive.forEach((i, a) =>
    alive.forEach((j, b) => {
      if (a === b) return
      c[a * n + b] = counts[i * N + j]!
      D[a * n + b] = sum[i * N + j]! / counts[i * N + j]!
    }),
  )
  return { symbols: alive.map((i) => universe[i]!), D, counts: c, dropped }
}

/** Column z-scores (population std, as sklearn's StandardScaler); constant columns become 0. */
export function standardiseColumns(X: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d)
  for (let k = 0; k < d; k++) {
    let m = 0
    for (let i = 0; i < n; i++) m += X[i * d + k]!
    m /= n
    let v = 0
    for (let i = 0; i < n; i++) v += (X[i * d + k]! - m) ** 2
    const s = Math.sqrt(v / n)
    for (let i = 0; i < n; i++) out[i * d + k] = s > 0 ? (X[i * d + k]! - m) / s : 0
  }
  return out
}

export interface DistillOptions {
  nComponents: number
  maxIter?: number
  nInit?: number
  seed?: number
  eps?: number
  onInit?: (done: number, total: number) => void
}

export interface Distilled extends AveragedDistances {
  dim: number
  /** standardised MDS coordinates, symbols.length × dim — the distilled table */
  vectors: Float64Array
  /** raw SMACOF coordinates before standardisation */
  mds: Float64Array
  stress: number
  nIter: number
}

/** Steps 1–5: the distilled table of the given sources. */
export function distil(sources: readonly DistanceSource[], universe: readonly string[], opts: DistillOptions): Distilled {
  const avg = averageDistances(sources, universe)
  const n = avg.symbols.length
  const k = opts.nComponents
  if (n < 2) throw new Error(`distillation needs at least 2 shared elements, got ${n}`)
  const res = smacof(avg.D, n, {
    nComponents: k,
    maxIter: opts.maxIter ?? 2000,
    nInit: opts.nInit ?? 8,
    seed: opts.seed ?? 42,
    ...(opts.eps !== undefined ? { eps: opts.eps } : {}),
    ...(opts.onInit ? { onInit: opts.onInit } : {}),
  })
  return { ...avg, dim: k, vectors: standardiseColumns(res.X, n, k), mds: res.X, stress: res.stress, nIter: res.nIter }
}

export interface DistanceRange {
  minDistance: number
  maxDistance: number
  /** arccos(1 − d) in degrees */
  minAngle: number
  maxAngle: number
}

/** Range of the off-diagonal cosine distances and the corresponding angles (thesis: Mat2Vec-S 0.1155–1.7340). */
export function distanceRange(D: Float64Array, n: number): DistanceRange {
  let lo = Infinity, hi = -Infinity
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      lo = Math.min(lo, D[i * n + j]!)
      hi = Math.max(hi, D[i * n + j]!)
    }
  const angle = (d: number) => (Math.acos(Math.max(-1, Math.min(1, 1 - d))) * 180) / Math.PI
  return { minDistance: lo, maxDistance: hi, minAngle: angle(lo), maxAngle: angle(hi) }
}
