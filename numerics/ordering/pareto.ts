// numerics/ordering/pareto.ts: thesis §2.3.2 and §3.1.3 (Fig. 3.4): the (LossX, LossY) points of the λ
// candidates, both minimised; the Pareto front (non-dominated points), the lower convex hull, and the
// variance of the gaps rescaled to sum N that picks λ among the candidates.

export interface Point2 {
  x: number
  y: number
}

/** Indices of the non-dominated points (minimising x and y), sorted by x. Duplicates both stay. */
export function paretoFront(pts: readonly Point2[]): number[] {
  const out: number[] = []
  pts.forEach((p, i) => {
    const dominated = pts.some((q, j) => j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y))
    if (!dominated) out.push(i)
  })
  return out.sort((a, b) => pts[a].x - pts[b].x || pts[a].y - pts[b].y)
}

const cross = (o: Point2, a: Point2, b: Point2) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)

/** Indices of the lower convex hull's vertices (Andrew's monotone chain), left to right; collinear points dropped. */
export function lowerConvexHull(pts: readonly Point2[]): number[] {
  const idx = pts.map((_, i) => i).sort((a, b) => pts[a].x - pts[b].x || pts[a].y - pts[b].y)
  const hull: number[] = []
  for (const i of idx) {
    while (hull.length >= 2 && cross(pts[hull[hull.length - 2]], pts[hull[hull.length - 1]], pts[i]) <= 0) hull.pop()
    hull.push(i)
  }
  return hull
}

/** Vertices of the lower convex hull that are also Pareto optimal: the convex part of the trade-off curve. */
export function convexFront(pts: readonly Point2[]): number[] {
  const front = new Set(paretoFront(pts))
  return lowerConvexHull(pts).filter((i) => front.has(i))
}

/** Population variance of the gaps after scaling them to sum `total` (thesis: total = N). */
export function rescaledVariance(gaps: ArrayLike<number>, total: number): number {
  let s = 0
  for (let i = 0; i < gaps.length; i++) s += gaps[i]
  const k = total / s
  let mean = 0
  for (let i = 0; i < gaps.length; i++) mean += gaps[i] * k
  mean /= gaps.length
  let v = 0
  for (let i = 0; i < gaps.length; i++) v += (gaps[i] * k - mean) ** 2
  return v / gaps.length
}

/**
 * Knee of a trade-off curve: the candidate farthest below the chord joining the extreme candidates, with both
 * axes scaled to [0, 1] over the candidates (a parameter-free rule; Satopää et al. 2011, "Kneedle").
 */
export function kneeIndex(pts: readonly Point2[], candidates: readonly number[]): number {
  if (candidates.length === 0) throw new RangeError("kneeIndex: no candidates")
  const c = [...candidates].sort((a, b) => pts[a].x - pts[b].x)
  const xs = c.map((i) => pts[i].x)
  const ys = c.map((i) => pts[i].y)
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)]
  const nx = (v: number) => (x1 > x0 ? (v - x0) / (x1 - x0) : 0)
  const ny = (v: number) => (y1 > y0 ? (v - y0) / (y1 - y0) : 0)
  const a = { x: nx(pts[c[0]].x), y: ny(pts[c[0]].y) }
  const b = { x: nx(pts[c[c.length - 1]].x), y: ny(pts[c[c.length - 1]].y) }
  let best = c[0]
  let bestDist = -Infinity
  for (const i of c) {
    // signed distance below the chord a→b (positive = towards the origin)
    const p = { x: nx(pts[i].x), y: ny(pts[i].y) }
    const dist = -cross(a, b, p)
    if (dist > bestDist + 1e-12) {
      bestDist = dist
      best = i
    }
  }
  return best
}
