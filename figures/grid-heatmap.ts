// Rectangular labelled heatmap (rows × columns, values printed in the cells): correlation tables
// (thesis Fig. 3.9), per-layer ARI (Fig. 3.10), angle variances (Fig. 4.5). figures/svg.ts draws
// square matrices; this one takes separate row and column labels and an optional diverging scale.
import { colorRamp, escapeXml } from "./svg.js"

export interface GridHeatmapOptions {
  values: readonly (readonly number[])[]
  rowLabels: readonly string[]
  colLabels: readonly string[]
  title: string
  /** fixed colour range; default the finite min/max */
  range?: [number, number]
  /** blue–white–red around the middle of the range (correlations) instead of the sequential ramp */
  diverging?: boolean
  digits?: number
}

function divergingColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * 2 - 1 // −1 … 1
  const [r, g, b] = x < 0 ? [255 + x * (255 - 59), 255 + x * (255 - 76), 255 + x * (255 - 192)] : [255 - x * (255 - 180), 255 - x * (255 - 4), 255 - x * (255 - 38)]
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`
}

export function gridHeatmapSvg(o: GridHeatmapOptions): string {
  const rows = o.rowLabels.length, cols = o.colLabels.length
  const cw = 64, ch = 24
  const left = 12 + 7 * Math.max(4, ...o.rowLabels.map((l) => l.length))
  const top = 50 + 6 * Math.max(4, ...o.colLabels.map((l) => l.length))
  const width = left + cols * cw + 20, height = top + rows * ch + 20
  const finite = o.values.flat().filter(Number.isFinite)
  const [lo, hi] = o.range ?? (finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1])
  const scale = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n`,
    `<title>${escapeXml(o.title)}</title>\n<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n`,
    `<text x="${width / 2}" y="20" font-size="14" text-anchor="middle">${escapeXml(o.title)}</text>\n`,
  ]
  o.colLabels.forEach((l, j) => {
    const x = left + j * cw + cw / 2
    parts.push(`<text x="${x}" y="${top - 6}" font-size="11" transform="rotate(-45 ${x} ${top - 6})">${escapeXml(l)}</text>\n`)
  })
  for (let i = 0; i < rows; i++) {
    const y = top + i * ch
    parts.push(`<text x="${left - 6}" y="${y + ch / 2 + 4}" font-size="11" text-anchor="end">${escapeXml(o.rowLabels[i]!)}</text>\n`)
    for (let j = 0; j < cols; j++) {
      const v = o.values[i]?.[j] ?? Number.NaN
      const fill = Number.isFinite(v) ? (o.diverging ? divergingColor(scale(v)) : colorRamp(scale(v))) : "#ddd"
      parts.push(`<rect x="${left + j * cw}" y="${y}" width="${cw - 1}" height="${ch - 1}" fill="${fill}"/>\n`)
      const label = Number.isFinite(v) ? v.toFixed(o.digits ?? 2) : "–"
      parts.push(`<text x="${left + j * cw + cw / 2}" y="${y + ch / 2 + 4}" font-size="10" text-anchor="middle">${label}</text>\n`)
    }
  }
  parts.push(`</svg>\n`)
  return parts.join("")
}

/** A figure that only says why there is nothing to plot yet (e.g. correlations before training). */
export function noteSvg(title: string, lines: readonly string[]): string {
  const width = 720, height = 60 + 20 * lines.length
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<title>${escapeXml(title)}</title>\n<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n` +
    `<text x="${width / 2}" y="24" font-size="14" text-anchor="middle">${escapeXml(title)}</text>\n` +
    lines.map((l, i) => `<text x="20" y="${54 + 20 * i}" font-size="12">${escapeXml(l)}</text>\n`).join("") +
    `</svg>\n`
  )
}

/** Place finished SVG documents side by side in one SVG (thesis Fig. 4.7: Mat2Vec-* next to Mat2Vec). */
export function sideBySideSvg(title: string, svgs: readonly string[]): string {
  const sizes = svgs.map((s) => {
    const m = /width="([\d.]+)" height="([\d.]+)"/.exec(s)
    return m ? { w: Number(m[1]), h: Number(m[2]) } : { w: 600, h: 600 }
  })
  const width = sizes.reduce((a, s) => a + s.w, 0), height = 30 + Math.max(0, ...sizes.map((s) => s.h))
  let x = 0
  const inner = svgs.map((s, i) => {
    const out = s.replace(/^<svg /, `<svg x="${x}" y="30" `)
    x += sizes[i]!.w
    return out
  })
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<title>${escapeXml(title)}</title>\n<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n` +
    `<text x="${width / 2}" y="20" font-size="15" text-anchor="middle">${escapeXml(title)}</text>\n` +
    inner.join("") +
    `</svg>\n`
  )
}
