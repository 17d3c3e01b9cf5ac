// numerics/ordering/substitution.ts: thesis eq. 3.1, S_AB = (number of substitutions A→B) / N_A, after
// Wang, Botti & Marques 2021 (doi:10.1038/s41524-020-00481-6). The mined counts are symmetric, the
// normalisation by N_A (materials containing A) makes S asymmetric.

/**
 * S for the selected rows/cols `index` (e.g. atomic numbers) of a square `counts` matrix (side `side`):
 * S[a·m + b] = counts[index_a, index_b] / elementCount[index_a]. Every selected element needs N_A > 0.
 */
export function substitutionMatrix(counts: Float64Array, side: number, elementCount: Float64Array, index: readonly number[]): Float64Array {
  const m = index.length
  const S = new Float64Array(m * m)
  for (let a = 0; a < m; a++) {
    const ia = index[a]
    const na = elementCount[ia]
    if (!(na > 0)) throw new RangeError(`substitutionMatrix: N_A = ${na} for index ${ia}`)
    for (let b = 0; b < m; b++) if (a !== b) S[a * m + b] = counts[ia * side + index[b]] / na
  }
  return S
}

/** Symmetric combinations of the asymmetric S (a reading of which S enters the spacing loss, §3.1.3). */
export function symmetrize(S: Float64Array, n: number, how: "mean" | "max"): Float64Array {
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = S[i * n + j]
      const b = S[j * n + i]
      out[i * n + j] = how === "mean" ? (a + b) / 2 : Math.max(a, b)
    }
  return out
}

/** Rows/cols `order` of an n×n matrix, as a new order.length² matrix (missing rows: index −1 → zeros). */
export function permute(M: Float64Array, n: number, order: readonly number[]): Float64Array {
  const m = order.length
  const out = new Float64Array(m * m)
  for (let a = 0; a < m; a++) {
    const ia = order[a]
    if (ia < 0) continue
    for (let b = 0; b < m; b++) {
      const ib = order[b]
      if (ib >= 0) out[a * m + b] = M[ia * n + ib]
    }
  }
  return out
}
