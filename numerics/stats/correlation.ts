// Pearson's r and Spearman's ρ (thesis §2.5, §3.2.3 Fig. 3.9: correlation of each embedding metric
// with the fold-normalised error). Spearman = Pearson on ranks, ties get their average rank
// (scipy.stats.spearmanr / rankdata(method="average")).

/** Pearson correlation; NaN when either series is constant or shorter than 2 (as scipy warns and returns nan). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length
  if (y.length !== n) throw new Error(`pearson: lengths differ (${n} vs ${y.length})`)
  if (n < 2) return Number.NaN
  let mx = 0, my = 0
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]! }
  mx /= n
  my /= n
  let sxy = 0, sxx = 0, syy = 0
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return Number.NaN
  // clamp: rounding can push |r| a hair past 1
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
}

/** 1-based ranks, ties replaced by the mean of the ranks they span. */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!)
  const ranks = new Float64Array(n)
  for (let start = 0; start < n; ) {
    let end = start + 1
    while (end < n && x[order[end]!] === x[order[start]!]) end++
    const mean = (start + 1 + end) / 2 // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]!] = mean
    start = end
  }
  return ranks
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (y.length !== x.length) throw new Error(`spearman: lengths differ (${x.length} vs ${y.length})`)
  return pearson(averageRanks(x), averageRanks(y))
}
