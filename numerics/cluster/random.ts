// A seeded PRNG for the clustering numerics (K-means seeds, the consensus GA): mulberry32,
// 32-bit state, fast, ample for sampling (not for cryptography). Seeds are always passed in.
export type Random = () => number

export function mulberry32(seed: number): Random {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Uniform integer in [0, n). */
export const randInt = (r: Random, n: number): number => Math.floor(r() * n)
