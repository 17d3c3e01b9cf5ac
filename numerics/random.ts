// The project's one seeded PRNG: mulberry32, 32-bit state, fast, ample for initialisation, shuffles,
// K-means seeds and the consensus GA (not for cryptography). Seeds are always passed in, never global.
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
