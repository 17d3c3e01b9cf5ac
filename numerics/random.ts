// The project's one seeded PRNG: mulberry32, 32-bit state, fast, ample for initialisation, shuffles,
// K-means seeds and the consensus GA (not for cryptography). Seeds are always passed in, never global.
export type Random = () => number

/**
 * mulberry32, plus `fillBernoulli`: the same stream drawn in bulk. Why: CrabNet's dropout draws ~14 M
 * uniforms a training step; one tight loop over the shared state is ~4× faster than a call per draw,
 * and consuming the very same draws keeps every seeded result bit for bit.
 */
export interface BulkRandom extends Random {
  /** out[i] = (the i-th next draw < p) ? below : above, for i < out.length; advances the stream by out.length. */
  fillBernoulli(out: Float32Array, p: number, below: number, above: number): void
}

const step32 = (s: number): number => {
  let t = s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return (t ^ (t >>> 14)) >>> 0
}

export function mulberry32(seed: number): BulkRandom {
  let s = seed >>> 0
  const r = (() => {
    s = (s + 0x6d2b79f5) >>> 0
    return step32(s) / 4294967296
  }) as BulkRandom
  r.fillBernoulli = (out, p, below, above) => {
    // draw/2³² < p ⟺ draw < p·2³² exactly (scaling by a power of two is exact); int32 arithmetic
    // inline (same bits as step32) keeps V8 off doubles in the loop
    const cut = p * 4294967296
    let t = s | 0
    for (let i = 0; i < out.length; i++) {
      t = (t + 0x6d2b79f5) | 0
      let x = Math.imul(t ^ (t >>> 15), t | 1)
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
      out[i] = (x ^ (x >>> 14)) >>> 0 < cut ? below : above
    }
    s = t >>> 0
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
