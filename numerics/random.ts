// The project's one seeded PRNG: mulberry32, 32-bit state, fast, ample for initialisation, shuffles,
// K-means seeds and the consensus GA (not for cryptography). Seeds are always passed in, never global.
export type Random = () => number

/**
 * mulberry32, plus `fillBernoulli`: the same stream drawn in bulk. Why: CrabNet's dropout draws ~14 M
 * uniforms a training step; one tight loop over the shared state is ~2.5× faster than a call per draw,
 * and consuming the very same draws keeps every seeded result bit for bit.
 */
export interface BulkRandom extends Random {
  /** out[i] = (the i-th next draw < p) ? below : above, for i < out.length; advances the stream by out.length. */
  fillBernoulli(out: Float32Array, p: number, below: number, above: number): void
}

/** mulberry32's output hash of its state (uint32); a small function V8 inlines into both loops below. */
const mix32 = (t: number): number => {
  let x = Math.imul(t ^ (t >>> 15), t | 1)
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
  return (x ^ (x >>> 14)) >>> 0
}

export function mulberry32(seed: number): BulkRandom {
  let s = seed | 0 // int32 state: the same bits as uint32 for every operation in mix32, and no doubles in loops
  const r = (() => {
    s = (s + 0x6d2b79f5) | 0
    return mix32(s) / 4294967296
  }) as BulkRandom
  r.fillBernoulli = (out, p, below, above) => {
    const cut = p * 4294967296 // draw/2³² < p ⟺ draw < p·2³² exactly (scaling by a power of two is exact)
    let t = s
    for (let i = 0; i < out.length; i++) {
      t = (t + 0x6d2b79f5) | 0
      out[i] = mix32(t) < cut ? below : above
    }
    s = t
  }
  return r
}

/** Draws n Bernoulli values into a fresh array, in bulk when `r` is a BulkRandom. */
export function bernoulli(r: Random, n: number, p: number, below: number, above: number): Float32Array {
  const out = new Float32Array(n)
  const bulk = (r as Partial<BulkRandom>).fillBernoulli
  if (bulk !== undefined) bulk(out, p, below, above)
  else for (let i = 0; i < n; i++) out[i] = r() < p ? below : above
  return out
}

/** Uniform integer in [0, n). */
export const randInt = (r: Random, n: number): number => Math.floor(r() * n)
