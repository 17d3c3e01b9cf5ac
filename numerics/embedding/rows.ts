// Nested number[][] (JSON artifacts) ↔ row-major Float64Array (the numerics' layout).

export function fromRows(rows: readonly (readonly number[])[]): { vectors: Float64Array; n: number; dim: number } {
  const n = rows.length
  const dim = n > 0 ? rows[0]!.length : 0
  const vectors = new Float64Array(n * dim)
  rows.forEach((r, i) => {
    if (r.length !== dim) throw new Error(`row ${i} has ${r.length} values, expected ${dim}`)
    vectors.set(r, i * dim)
  })
  return { vectors, n, dim }
}

export function toRows(X: Float64Array, n: number, dim: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * dim, (i + 1) * dim)))
}
