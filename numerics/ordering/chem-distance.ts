// numerics/ordering/chem-distance.ts: thesis §3.1.2, eq. 3.2. d = 1/S (∞ where S = 0), completed over
// substitution paths d_ij = min(d_ij, d_ik·d_kj) for intermediates k ∉ {i, j} until nothing changes, then
// symmetrised D = min(d, dᵀ). The diagonal never takes part: d_ii·d_ij with d_ii = 0 would collapse every
// distance to 0 (and d_ii = 1/S_ii = ∞ would be meaningless), so k = i and k = j are skipped explicitly.

/** d_ij = 1/S_ij off the diagonal (∞ where S_ij = 0), 0 on the diagonal. */
export function inverseDistances(S: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : S[i * n + j] > 0 ? 1 / S[i * n + j] : Infinity
  return d
}

export interface Completion {
  d: Float64Array
  /** relaxation sweeps done (the last one changed nothing) */
  sweeps: number
  /** off-diagonal entries that got shorter */
  improved: number
}

/**
 * Product path completion, in place on a copy. Each sweep relaxes every (k, i, j) in Floyd–Warshall order,
 * which reaches the fixed point in one sweep when all d ≥ 1 (log d ≥ 0 behaves like a shortest path);
 * sweeps repeat until one changes nothing. Links with d < 1 (S > 1) can shrink a cycle without bound, so
 * the sweeps are capped at n and a RangeError reports it.
 */
export function completeProductPaths(d0: Float64Array, n: number): Completion {
  const d = Float64Array.from(d0)
  let improved = 0
  for (let sweep = 1; sweep <= n + 1; sweep++) {
    let changed = 0
    for (let k = 0; k < n; k++) {
      const rk = k * n
      for (let i = 0; i < n; i++) {
        if (i === k) continue
        const dik = d[i * n + k]
        if (dik === Infinity) continue
        const ri = i * n
        for (let j = 0; j < n; j++) {
          if (j === k || j === i) continue
          const via = dik * d[rk + j]
          if (via < d[ri + j]) {
            d[ri + j] = via
            changed++
          }
        }
      }
    }
    improved += changed
    if (changed === 0) return { d, sweeps: sweep, improved }
  }
  throw new RangeError("completeProductPaths: no fixed point after n sweeps (a substitution cycle with S > 1 shrinks without bound)")
}

/** D_ij = min(d_ij, d_ji). */
export function symmetrizeMin(d: Float64Array, n: number): Float64Array {
  const D = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) D[i * n + j] = Math.min(d[i * n + j], d[j * n + i])
  return D
}

/** Pairs i < j with D_ij = ∞ (no substitution path either way). */
export function unreachablePairs(D: Float64Array, n: number): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (D[i * n + j] === Infinity) out.push([i, j])
  return out
}

/** The full §3.1.2 chain: S → d → completed d → D. */
export function chemDistance(S: Float64Array, n: number): { D: Float64Array; completion: Completion } {
  const completion = completeProductPaths(inverseDistances(S, n), n)
  return { D: symmetrizeMin(completion.d, n), completion }
}
