// CrabNet's fractional encoding (Wang et al. 2021, kingcrab.py FractionalEncoder, L81-126): an element's
// amount indexes a fixed sin/cos table, once linearly and once on a log scale. Every step is rounded to
// float32 as PyTorch computes it (Math.fround), so a port picks the same table row at bin edges.

/** Rows of each table (kingcrab.py L146-147: resolution=5000). */
export const FRACTION_RESOLUTION = 5000

const f32 = Math.fround

/** torch.round: half to even. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * The table (resolution × cols): pe[i, j] = sin(i / 50^(2j/cols)) for even j, cos(…) for odd j — j is the
 * column itself, not the pair index, and the base is 50, not Vaswani's 10,000 (kingcrab.py L107-112).
 */
export function fractionalTable(cols: number, resolution = FRACTION_RESOLUTION): Float32Array {
  const out = new Float32Array(resolution * cols)
  const denom = new Float32Array(cols)
  for (let j = 0; j < cols; j++) denom[j] = f32(Math.pow(50, f32(f32(2 * j) / cols)))
  for (let i = 0; i < resolution; i++) {
    for (let j = 0; j < cols; j++) {
      const a = f32(i / denom[j]!)
      out[i * cols + j] = j % 2 === 0 ? Math.sin(a) : Math.cos(a)
    }
  }
  return out
}

/** Linear encoding's row: round(resolution · max(f, 1/resolution)) − 1 (L120-122). Padding (f = 0) reads row 0. */
export function linearRow(f: number, resolution = FRACTION_RESOLUTION): number {
  const x = Math.max(f32(f), f32(1 / resolution))
  return roundHalfEven(f32(x * resolution)) - 1
}

/** Log encoding's row: f' = min(0.0025·log₂(f)², 1), then as linearRow (L116-122). Padding reads the last row. */
export function logRow(f: number, resolution = FRACTION_RESOLUTION): number {
  const l = f32(Math.log2(f32(f)))
  const x = Math.min(f32(f32(0.0025) * f32(l * l)), 1)
  return linearRow(x, resolution)
}
