// figures/svg.ts: dependency-free SVG charts shared by every stage (heatmaps, scatter/Pareto plots, bars,
// 1-D element strips). Output is deterministic text (fixed number formatting) so a figure hashes stably
// in the content-addressed store. Labels are XML-escaped; non-finite values are drawn as grey cells/omitted.

/** Escape text for XML character data and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;")
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2))

/** Short tick label: 3 significant digits, exponent for very large/small values. */
export function tickLabel(v: number): string {
  if (v === 0) return "0"
  const a = Math.abs(v)
  if (a >= 1e4 || a < 1e-2) return v.toExponential(1)
  return String(Number(v.toPrecision(3)))
}

function svgOpen(width: number, height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<title>${escapeXml(title)}</title>\n` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n` +
    `<text x="${fmt(width / 2)}" y="20" font-size="14" text-anchor="middle">${escapeXml(title)}</text>\n`
  )
}

/** "Nice" tick positions covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return []
  if (hi === lo) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)))
  return out
}

/** Viridis-like 5-stop colour ramp, t in [0, 1]. */
export function colorRamp(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ]
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  const f = x - i
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f))
  return `rgb(${c[0]},${c[1]},${c[2]})`
}

export interface HeatmapOptions {
  /** n×n values, row-major Float64Array (give `n`) or nested arrays */
  values: Float64Array | number[][]
  n?: number
  labels: string[]
  title: string
  colorbarLabel?: string
}

export function heatmapSvg(opts: HeatmapOptions): string {
  const n = opts.n ?? (Array.isArray(opts.values) ? opts.values.length : Math.round(Math.sqrt(opts.values.length)))
  const at = Array.isArray(opts.values)
    ? (i: number, j: number) => (opts.values as number[][])[i][j]
    : (i: number, j: number) => (opts.values as Float64Array)[i * n + j]
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = at(i, j)
      if (Number.isFinite(v)) {
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
    }
  if (!Number.isFinite(lo)) lo = hi = 0
  const cell = Math.max(3, Math.min(16, Math.floor(700 / Math.max(1, n))))
  const margin = 60
  const size = cell * n
  const width = margin + size + 90
  const height = margin + size + 40
  const span = hi - lo || 1
  const parts: string[] = [svgOpen(width, height, opts.title)]
  const fontSize = Math.max(4, Math.min(10, cell - 1))
  parts.push(`<g class="cells">\n`)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = at(i, j)
      const fill = Number.isFinite(v) ? colorRamp((v - lo) / span) : "rgb(200,200,200)"
      parts.push(`<rect x="${margin + j * cell}" y="${margin + i * cell}" width="${cell}" height="${cell}" fill="${fill}"/>\n`)
    }
  parts.push(`</g>\n<g class="labels" font-size="${fontSize}">\n`)
  for (let i = 0; i < n; i++) {
    const lab = escapeXml(opts.labels[i] ?? "")
    const c = fmt(margin + i * cell + cell / 2)
    parts.push(`<text x="${margin - 2}" y="${c}" text-anchor="end" dominant-baseline="middle">${lab}</text>\n`)
    parts.push(`<text x="${c}" y="${margin - 2}" text-anchor="start" transform="rotate(-90 ${c} ${margin - 2})" dominant-baseline="middle">${lab}</text>\n`)
  }
  parts.push(`</g>\n`)
  // colour bar
  const bx = margin + size + 20
  const steps = 20
  for (let s = 0; s < steps; s++) {
    const h = size / steps
    parts.push(`<rect x="${bx}" y="${fmt(margin + size - (s + 1) * h)}" width="14" height="${fmt(h + 0.5)}" fill="${colorRamp(s / (steps - 1))}"/>\n`)
  }
  parts.push(`<text x="${bx + 18}" y="${margin + size}" font-size="10">${escapeXml(tickLabel(lo))}</text>\n`)
  parts.push(`<text x="${bx + 18}" y="${margin + 8}" font-size="10">${escapeXml(tickLabel(hi))}</text>\n`)
  if (opts.colorbarLabel)
    parts.push(
      `<text x="${bx + 7}" y="${margin + size + 20}" font-size="10" text-anchor="middle">${escapeXml(opts.colorbarLabel)}</text>\n`,
    )
  parts.push(`</svg>\n`)
  return parts.join("")
}

interface Frame {
  x0: number
  x1: number
  y0: number
  y1: number
  sx: (v: number) => number
  sy: (v: number) => number
}

/** Plot frame with axes, ticks and labels for data ranges [xlo,xhi]×[ylo,yhi]. */
function axes(parts: string[], w: number, h: number, xr: [number, number], yr: [number, number], xLabel: string, yLabel: string): Frame {
  const x0 = 70
  const x1 = w - 20
  const y0 = h - 50
  const y1 = 35
  const pad = (r: [number, number]): [number, number] => {
    const d = r[1] - r[0] || Math.abs(r[0]) || 1
    return [r[0] - 0.05 * d, r[1] + 0.05 * d]
  }
  const [xlo, xhi] = pad(xr)
  const [ylo, yhi] = pad(yr)
  const sx = (v: number) => x0 + ((v - xlo) / (xhi - xlo)) * (x1 - x0)
  const sy = (v: number) => y0 - ((v - ylo) / (yhi - ylo)) * (y0 - y1)
  parts.push(`<g class="axes" stroke="black" fill="none"><line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}"/></g>\n`)
  parts.push(`<g class="ticks" font-size="10">\n`)
  for (const t of niceTicks(xlo, xhi)) parts.push(`<text x="${fmt(sx(t))}" y="${y0 + 14}" text-anchor="middle">${escapeXml(tickLabel(t))}</text>\n`)
  for (const t of niceTicks(ylo, yhi)) parts.push(`<text x="${x0 - 4}" y="${fmt(sy(t) + 3)}" text-anchor="end">${escapeXml(tickLabel(t))}</text>\n`)
  parts.push(`</g>\n`)
  parts.push(`<text x="${fmt((x0 + x1) / 2)}" y="${h - 12}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>\n`)
  parts.push(`<text x="16" y="${fmt((y0 + y1) / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${fmt((y0 + y1) / 2)})">${escapeXml(yLabel)}</text>\n`)
  return { x0, x1, y0, y1, sx, sy }
}

function range(vs: number[]): [number, number] {
  const f = vs.filter(Number.isFinite)
  if (f.length === 0) return [0, 1]
  return [Math.min(...f), Math.max(...f)]
}

export interface ScatterPoint {
  x: number
  y: number
  label?: string
  highlight?: boolean
}

export interface ScatterOptions {
  points: ScatterPoint[]
  title: string
  xLabel: string
  yLabel: string
  /** join the points (in the given order) with a polyline */
  line?: boolean
  /** optional extra polyline (e.g. a Pareto front or lower convex hull), drawn dashed */
  overlay?: { x: number; y: number }[]
}

export function scatterSvg(opts: ScatterOptions): string {
  const w = 640
  const h = 440
  const parts = [svgOpen(w, h, opts.title)]
  const pts = opts.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
  const f = axes(parts, w, h, range(pts.map((p) => p.x)), range(pts.map((p) => p.y)), opts.xLabel, opts.yLabel)
  if (opts.line && pts.length > 1)
    parts.push(`<polyline fill="none" stroke="steelblue" points="${pts.map((p) => `${fmt(f.sx(p.x))},${fmt(f.sy(p.y))}`).join(" ")}"/>\n`)
  if (opts.overlay && opts.overlay.length > 1)
    parts.push(
      `<polyline fill="none" stroke="darkorange" stroke-dasharray="5,3" points="${opts.overlay.map((p) => `${fmt(f.sx(p.x))},${fmt(f.sy(p.y))}`).join(" ")}"/>\n`,
    )
  parts.push(`<g class="points" font-size="10">\n`)
  for (const p of pts) {
    const cx = fmt(f.sx(p.x))
    const cy = fmt(f.sy(p.y))
    parts.push(`<circle cx="${cx}" cy="${cy}" r="${p.highlight ? 6 : 4}" fill="${p.highlight ? "crimson" : "steelblue"}"/>\n`)
    if (p.label !== undefined) parts.push(`<text x="${fmt(f.sx(p.x) + 7)}" y="${fmt(f.sy(p.y) - 5)}">${escapeXml(p.label)}</text>\n`)
  }
  parts.push(`</g>\n</svg>\n`)
  return parts.join("")
}

export interface BarsOptions {
  values: number[]
  labels: string[]
  title: string
  yLabel: string
}

export function barsSvg(opts: BarsOptions): string {
  const n = opts.values.length
  const bw = Math.max(4, Math.min(30, Math.floor(900 / Math.max(1, n))))
  const w = 90 + bw * n + 20
  const h = 400
  const parts = [svgOpen(w, h, opts.title)]
  const finite = opts.values.filter(Number.isFinite)
  const hi = Math.max(0, ...finite)
  const lo = Math.min(0, ...finite)
  const f = axes(parts, w, h, [0, Math.max(1, n)], [lo, hi], "", opts.yLabel)
  const step = (f.x1 - f.x0) / Math.max(1, n)
  const fontSize = Math.max(5, Math.min(10, bw - 1))
  parts.push(`<g class="bars" fill="steelblue">\n`)
  for (let i = 0; i < n; i++) {
    const v = opts.values[i]
    if (!Number.isFinite(v)) continue
    const ya = f.sy(Math.max(0, v))
    const yb = f.sy(Math.min(0, v))
    parts.push(`<rect x="${fmt(f.x0 + i * step + 0.1 * step)}" y="${fmt(ya)}" width="${fmt(0.8 * step)}" height="${fmt(Math.max(0, yb - ya))}"/>\n`)
  }
  parts.push(`</g>\n<g class="bar-labels" font-size="${fontSize}">\n`)
  for (let i = 0; i < n; i++) {
    const cx = fmt(f.x0 + (i + 0.5) * step)
    parts.push(`<text x="${cx}" y="${f.y0 + 4}" text-anchor="end" transform="rotate(-90 ${cx} ${f.y0 + 4})" dominant-baseline="middle">${escapeXml(opts.labels[i] ?? "")}</text>\n`)
  }
  parts.push(`</g>\n</svg>\n`)
  return parts.join("")
}

export interface StripOptions {
  /** element symbols with their 1-D coordinates */
  items: { label: string; x: number }[]
  title: string
  xLabel?: string
}

/** 1-D ordering strip: each element a tick on a line, labels staggered over 4 rows so neighbours stay legible. */
export function stripSvg(opts: StripOptions): string {
  const w = 1200
  const h = 200
  const parts = [svgOpen(w, h, opts.title)]
  const items = opts.items.filter((it) => Number.isFinite(it.x)).sort((a, b) => a.x - b.x)
  const [lo, hi] = range(items.map((it) => it.x))
  const x0 = 30
  const x1 = w - 30
  const sx = (v: number) => x0 + ((v - lo) / (hi - lo || 1)) * (x1 - x0)
  const yLine = 140
  parts.push(`<line x1="${x0}" y1="${yLine}" x2="${x1}" y2="${yLine}" stroke="black"/>\n<g class="items" font-size="10">\n`)
  items.forEach((it, k) => {
    const x = fmt(sx(it.x))
    const y = yLine - 14 - (k % 4) * 20
    parts.push(`<line x1="${x}" y1="${yLine - 5}" x2="${x}" y2="${yLine + 5}" stroke="crimson"/>\n`)
    parts.push(`<text x="${x}" y="${y}" text-anchor="middle">${escapeXml(it.label)}</text>\n`)
  })
  parts.push(`</g>\n`)
  parts.push(`<text x="${x0}" y="${yLine + 20}" font-size="10">${escapeXml(tickLabel(lo))}</text>\n`)
  parts.push(`<text x="${x1}" y="${yLine + 20}" font-size="10" text-anchor="end">${escapeXml(tickLabel(hi))}</text>\n`)
  if (opts.xLabel) parts.push(`<text x="${w / 2}" y="${yLine + 40}" font-size="12" text-anchor="middle">${escapeXml(opts.xLabel)}</text>\n`)
  parts.push(`</svg>\n`)
  return parts.join("")
}
