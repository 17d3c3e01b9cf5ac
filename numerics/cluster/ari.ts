// Adjusted Rand index (Hubert & Arabie 1985; thesis eqs. 3.6–3.7) as scikit-learn 1.2 computes it:
// from the pair confusion matrix, 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)).

/** Labels may be any integers (or strings): only equality matters. */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const n = a.length
  if (b.length !== n) throw new Error(`ARI: label lengths differ (${n} vs ${b.length})`)
  const ia = denseLabels(a), ib = denseLabels(b)
  const ka = Math.max(0, ...ia) + 1, kb = Math.max(0, ...ib) + 1
  const table = new Float64Array(ka * kb)
  const rows = new Float64Array(ka), cols = new Float64Array(kb)
  for (let i = 0; i < n; i++) {
    table[ia[i]! * kb + ib[i]!]! += 1
    rows[ia[i]!]! += 1
    cols[ib[i]!]! += 1
  }
  // pair counts (each unordered pair counted twice, as sklearn's pair_confusion_matrix does)
  let sumSquares = 0
  for (const c of table) sumSquares += c * c
  let rowSquares = 0, colSquares = 0
  for (const r of rows) rowSquares += r * r
  for (const c of cols) colSquares += c * c
  const tp = sumSquares - n
  const fp = colSquares - sumSquares // together in b, apart in a
  const fn = rowSquares - sumSquares // together in a, apart in b
  const tn = n * n - fp - fn - sumSquares
  if (fn === 0 && fp === 0) return 1 // identical partitions (incl. the degenerate all-one / all-singleton cases)
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
}

/** Map arbitrary labels to 0…k−1 in order of first appearance. */
export function denseLabels(labels: ArrayLike<number | string>): Int32Array {
  const ids = new Map<number | string, number>()
  const out = new Int32Array(labels.length)
  for (let i = 0; i < labels.length; i++) {
    let id = ids.get(labels[i]!)
    if (id === undefined) ids.set(labels[i]!, (id = ids.size))
    out[i] = id
  }
  return out
}
