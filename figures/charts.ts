// Grouped bars and line charts for the thesis's comparison figures: MAE by element strategy per task
// and backbone (Figs. 3.6–3.7), the composition screen (Fig. 3.8), test MAE against γ per DIM, best-γ
// frequency, effect of DIM (Figs. 4.2–4.4) and the H–L angle distributions (Fig. 4.5). Deterministic
// text like figures/svg.ts; non-finite values are left out.
import { escapeXml, niceTicks, tickLabel } from "./svg.js"

/** Categorical palette (Okabe–Ito): distinguishable, also in greyscale print. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

const f2 = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2))

function open(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n`,
    `<title>${escapeXml(title)}</title>\n<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n`,
    `<text x="${f2(width / 2)}" y="20" font-size="14" text-anchor="middle">${escapeXml(title)}</text>\n`,
  ]
}

function legend(parts: string[], series: readonly string[], x: number, y: number): void {
  series.forEach((s, k) => {
    parts.push(`<rect x="${x}" y="${y + 16 * k - 9}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/>`)
    parts.push(`<text x="${x + 14}" y="${y + 16 * k}" font-size="11">${escapeXml(s)}</text>\n`)
  })
}

function yAxis(parts: string[], lo: number, hi: number, x0: number, y0: number, y1: number, label: string): (v: number) => number {
  const sy = (v: number) => y0 - ((v - lo) / (hi - lo || 1)) * (y0 - y1)
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="black"/>\n<g font-size="10">\n`)
  const ticks = niceTicks(lo, hi)
  // as many decimals as the tick step needs (349.1, 349.2 — not 349, 349)
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)))
  const fmtTick = (t: number) => (Math.abs(t) >= 1e4 || (t !== 0 && Math.abs(t) < 1e-3) ? tickLabel(t) : t.toFixed(decimals))
  for (const t of ticks) parts.push(`<text x="${x0 - 4}" y="${f2(sy(t) + 3)}" text-anchor="end">${escapeXml(fmtTick(t))}</text><line x1="${x0}" x2="${x0 - 3}" y1="${f2(sy(t))}" y2="${f2(sy(t))}" stroke="black"/>\n`)
  parts.push(`</g>\n<text x="14" y="${f2((y0 + y1) / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${f2((y0 + y1) / 2)})">${escapeXml(label)}</text>\n`)
  return sy
}

function extent(values: number[], includeZero: boolean): [number, number] {
  const f = values.filter(Number.isFinite)
  let lo = f.length ? Math.min(...f) : 0, hi = f.length ? Math.max(...f) : 1
  if (includeZero) {
    lo = Math.min(0, lo)
    hi = Math.max(0, hi)
  }
  if (hi === lo) hi = lo + 1
  const pad = 0.05 * (hi - lo)
  return [includeZero && lo === 0 ? 0 : lo - pad, hi + pad]
}

export interface GroupedBarsOptions {
  title: string
  yLabel: string
  categories: readonly string[]
  series: readonly string[]
  /** values[series][category] */
  values: readonly (readonly number[])[]
  /** optional whiskers: [lo, hi] per series and category (e.g. the fold range) */
  whiskers?: readonly (readonly (readonly [number, number] | null)[])[]
  /** dashed horizontal reference lines (a threshold, a published score) */
  references?: readonly { value: number; label: string }[]
}

export function groupedBarsSvg(o: GroupedBarsOptions): string {
  const nc = o.categories.length, ns = Math.max(1, o.series.length)
  const group = Math.max(40, Math.min(120, 18 * ns + 12))
  const x0 = 70, legendW = 16 + 7 * Math.max(6, ...o.series.map((s) => s.length)) + Math.max(0, ...(o.references ?? []).map((r) => 6 * r.label.length))
  const longest = Math.max(4, ...o.categories.map((c) => c.length))
  // labels run down-right at 35°: room below (sin) and past the last group (cos)
  const width = Math.max(x0 + group * Math.max(1, nc) + 20 + legendW, x0 + group * (nc - 0.5) + 5.5 * longest * 0.82, 7.5 * o.title.length + 40)
  const labelH = 12 + 5.5 * longest * 0.57
  const height = Math.round(300 + labelH)
  const y0 = 300 - 20, y1 = 40
  const all = [...o.values.flat(), ...(o.whiskers ?? []).flat().flatMap((w) => (w ? [...w] : [])), ...(o.references ?? []).map((r) => r.value)]
  const [lo, hi] = extent(all, true)
  const parts = open(width, height, o.title)
  const sy = yAxis(parts, lo, hi, x0, y0, y1, o.yLabel)
  parts.push(`<line x1="${x0}" y1="${f2(sy(Math.max(lo, 0)))}" x2="${x0 + group * nc}" y2="${f2(sy(Math.max(lo, 0)))}" stroke="black"/>\n<g class="bars">\n`)
  const bw = (group - 12) / ns
  for (let c = 0; c < nc; c++)
    for (let s = 0; s < o.series.length; s++) {
      const v = o.values[s]?.[c]
      if (v === undefined || !Number.isFinite(v)) continue
      const x = x0 + c * group + 6 + s * bw
      const ya = sy(Math.max(0, v)), yb = sy(Math.min(0, v))
      parts.push(`<rect x="${f2(x)}" y="${f2(ya)}" width="${f2(bw * 0.9)}" height="${f2(Math.max(0.5, yb - ya))}" fill="${PALETTE[s % PALETTE.length]}"><title>${escapeXml(`${o.series[s]} · ${o.categories[c]}: ${tickLabel(v)}`)}</title></rect>\n`)
      const w = o.whiskers?.[s]?.[c]
      if (w && Number.isFinite(w[0]) && Number.isFinite(w[1])) {
        const cx = f2(x + bw * 0.45)
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${f2(sy(w[0]))}" y2="${f2(sy(w[1]))}" stroke="black"/>\n`)
      }
    }
  parts.push(`</g>\n`)
  for (const r of o.references ?? []) {
    if (!Number.isFinite(r.value)) continue
    parts.push(`<line x1="${x0}" x2="${x0 + group * nc}" y1="${f2(sy(r.value))}" y2="${f2(sy(r.value))}" stroke="crimson" stroke-dasharray="5,3"/><text x="${x0 + group * nc + 4}" y="${f2(sy(r.value) + 4)}" font-size="10" fill="crimson">${escapeXml(r.label)}</text>\n`)
  }
  parts.push(`<g font-size="11">\n`)
  o.categories.forEach((c, k) => {
    const cx = f2(x0 + (k + 0.5) * group)
    parts.push(`<text x="${cx}" y="${y0 + 14}" text-anchor="start" transform="rotate(35 ${cx} ${y0 + 14})">${escapeXml(c)}</text>\n`)
  })
  parts.push(`</g>\n`)
  // past the reference lines' labels
  const refW = Math.max(0, ...(o.references ?? []).map((r) => 6 * r.label.length))
  legend(parts, o.series, x0 + group * nc + 24 + refW, 50)
  parts.push(`</svg>\n`)
  return parts.join("")
}

export interface LineChartOptions {
  title: string
  xLabel: string
  yLabel: string
  /** x positions are categorical (evenly spaced), e.g. γ = H, −4 … 4, L */
  xCategories: readonly string[]
  series: readonly { name: string; values: readonly number[]; spread?: readonly number[] }[]
}

/** One polyline per series over categorical x; optional ± spread drawn as whiskers. */
export function lineChartSvg(o: LineChartOptions): string {
  const nx = o.xCategories.length
  const x0 = 70, step = Math.max(50, Math.min(100, 600 / Math.max(1, nx)))
  const legendW = 16 + 7 * Math.max(6, ...o.series.map((s) => s.name.length))
  const width = x0 + step * nx + 20 + legendW, height = 360
  const y0 = 300, y1 = 40
  const all = o.series.flatMap((s) => s.values.flatMap((v, i) => [v, v - (s.spread?.[i] ?? 0), v + (s.spread?.[i] ?? 0)]))
  const [lo, hi] = extent(all, false)
  const parts = open(width, height, o.title)
  const sy = yAxis(parts, lo, hi, x0, y0, y1, o.yLabel)
  const sx = (i: number) => x0 + (i + 0.5) * step
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + step * nx}" y2="${y0}" stroke="black"/>\n<g font-size="11">\n`)
  o.xCategories.forEach((c, i) => parts.push(`<text x="${f2(sx(i))}" y="${y0 + 16}" text-anchor="middle">${escapeXml(c)}</text>\n`))
  parts.push(`</g>\n<text x="${f2(x0 + (step * nx) / 2)}" y="${height - 16}" font-size="12" text-anchor="middle">${escapeXml(o.xLabel)}</text>\n<g class="series">\n`)
  o.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]
    const pts = s.values.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v))
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([i, v]) => `${f2(sx(i))},${f2(sy(v))}`).join(" ")}"/>\n`)
    for (const [i, v] of pts) {
      parts.push(`<circle cx="${f2(sx(i))}" cy="${f2(sy(v))}" r="3.5" fill="${colour}"><title>${escapeXml(`${s.name} · ${o.xCategories[i]}: ${tickLabel(v)}`)}</title></circle>\n`)
      const e = s.spread?.[i]
      if (e !== undefined && Number.isFinite(e) && e > 0) parts.push(`<line x1="${f2(sx(i))}" x2="${f2(sx(i))}" y1="${f2(sy(v - e))}" y2="${f2(sy(v + e))}" stroke="${colour}"/>\n`)
    }
  })
  parts.push(`</g>\n`)
  legend(parts, o.series.map((s) => s.name), x0 + step * nx + 24, 50)
  parts.push(`</svg>\n`)
  return parts.join("")
}

/** Finished SVG panels in rows of `columns` (a paper grid gives 16 task × backbone panels). */
export function panelGridSvg(title: string, svgs: readonly string[], columns = 2): string {
  const sizes = svgs.map((s) => {
    const m = /width="([\d.]+)" height="([\d.]+)"/.exec(s)
    return m ? { w: Number(m[1]), h: Number(m[2]) } : { w: 600, h: 400 }
  })
  const colW = Array.from({ length: Math.min(columns, svgs.length) }, (_, c) => Math.max(...sizes.filter((_, i) => i % columns === c).map((s) => s.w)))
  const rowH = Array.from({ length: Math.ceil(svgs.length / columns) }, (_, r) => Math.max(...sizes.slice(r * columns, (r + 1) * columns).map((s) => s.h)))
  const width = Math.max(colW.reduce((a, b) => a + b, 0), 7.5 * title.length + 40), height = 30 + rowH.reduce((a, b) => a + b, 0)
  const inner = svgs.map((s, i) => {
    const c = i % columns, r = Math.floor(i / columns)
    const x = colW.slice(0, c).reduce((a, b) => a + b, 0), y = 30 + rowH.slice(0, r).reduce((a, b) => a + b, 0)
    return s.replace(/^<svg /, `<svg x="${x}" y="${y}" `)
  })
  return [...open(width, height, title), ...inner, `</svg>\n`].join("")
}
