// Periodic-table figure coloured by element group (thesis Figs. 3.11 and 3.12): 18 columns × 7 periods
// with the lanthanides and actinides in two rows below. Deterministic SVG text, like figures/svg.ts.
import { escapeXml } from "./svg.js"

const PERIOD_END = [2, 10, 18, 36, 54, 86, 118]

/** (row, column), 0-based; rows 7 and 8 hold La–Lu and Ac–Lr. */
export function tablePosition(z: number): { row: number; col: number } {
  if (!Number.isInteger(z) || z < 1 || z > 118) throw new Error(`no periodic-table cell for Z = ${z}`)
  if (z >= 57 && z <= 71) return { row: 7, col: 2 + (z - 57) }
  if (z >= 89 && z <= 103) return { row: 8, col: 2 + (z - 89) }
  const period = PERIOD_END.findIndex((end) => z <= end)
  const start = period === 0 ? 1 : PERIOD_END[period - 1]! + 1
  const k = z - start // position inside the period
  if (period === 0) return { row: 0, col: k === 0 ? 0 : 17 }
  if (period <= 2) return { row: period, col: k < 2 ? k : k + 10 }
  if (period <= 4) return { row: period, col: k }
  // periods 6 and 7: s-block, then (after the 15 f-elements) d and p blocks from column 3
  return { row: period, col: k < 2 ? k : k - 14 }
}

/** Distinct categorical colours: golden-angle hues at two lightness levels. */
export function groupColor(index: number): string {
  const hue = (index * 137.508) % 360
  const light = index % 2 === 0 ? 62 : 78
  return `hsl(${hue.toFixed(1)},65%,${light}%)`
}

export interface PeriodicTableOptions {
  title: string
  /** element symbol → its Z */
  z: (symbol: string) => number
  /** element → group label; elements without one are drawn blank */
  groupOf: ReadonlyMap<string, string>
  /** optional small second line per cell (e.g. an ionic radius) */
  note?: ReadonlyMap<string, string>
}

export function periodicTableSvg(opts: PeriodicTableOptions): string {
  const cell = 46, x0 = 20, y0 = 40
  const groups = [...new Set(opts.groupOf.values())]
  const colorOf = new Map(groups.map((g, i) => [g, groupColor(i)]))
  const legendRows = Math.ceil(groups.length / 4)
  const width = x0 * 2 + 18 * cell
  const height = y0 + 9 * cell + 20 + 30 + legendRows * 18
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n`,
    `<title>${escapeXml(opts.title)}</title>\n<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>\n`,
    `<text x="${width / 2}" y="24" font-size="15" text-anchor="middle">${escapeXml(opts.title)}</text>\n`,
  ]
  const members = new Map<string, string[]>()
  for (const [symbol, g] of opts.groupOf) {
    const { row, col } = tablePosition(opts.z(symbol))
    const x = x0 + col * cell, y = y0 + row * cell + (row >= 7 ? 20 : 0)
    parts.push(`<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${colorOf.get(g)}" stroke="#555" stroke-width="0.5"/>\n`)
    parts.push(`<text x="${x + (cell - 2) / 2}" y="${y + 20}" font-size="14" text-anchor="middle">${escapeXml(symbol)}</text>\n`)
    parts.push(`<text x="${x + (cell - 2) / 2}" y="${y + 36}" font-size="9" text-anchor="middle">${escapeXml(opts.note?.get(symbol) ?? g)}</text>\n`)
    members.set(g, [...(members.get(g) ?? []), symbol])
  }
  const ly = y0 + 9 * cell + 40
  groups.forEach((g, i) => {
    const x = x0 + (i % 4) * ((width - 2 * x0) / 4), y = ly + Math.floor(i / 4) * 18
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colorOf.get(g)}"/>\n`)
    const list = members.get(g)!.sort((a, b) => opts.z(a) - opts.z(b))
    parts.push(`<text x="${x + 16}" y="${y}" font-size="10">${escapeXml(`${g}: ${list.slice(0, 8).join(" ")}${list.length > 8 ? " …" : ""}`)}</text>\n`)
  })
  parts.push(`</svg>\n`)
  return parts.join("")
}
