// numerics/mds/mt19937.ts: numpy's legacy RandomState (MT19937) for integer seeds, so that SMACOF's random
// starts are the very ones scikit-learn draws (`check_random_state(seed).uniform(size=n*k)`).
// Matsumoto & Nishimura 1998, doi:10.1145/272991.272995; numpy seeds an int with init_genrand and draws
// doubles with genrand_res53: (a >> 5, b >> 6) → (a·2^26 + b) / 2^53.

export class MT19937 {
  private readonly mt = new Uint32Array(624)
  private mti = 625

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`)
    const mt = this.mt
    mt[0] = seed >>> 0
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      // 1812433253 * prev + i in uint32 arithmetic, split to stay exact in doubles
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i
    }
    this.mti = 624
  }

  /** Next uint32. */
  nextUint32(): number {
    const mt = this.mt
    if (this.mti >= 624) {
      let kk = 0
      for (; kk < 624 - 397; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff)
        mt[kk] = mt[kk + 397] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      for (; kk < 623; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff)
        mt[kk] = mt[kk + (397 - 624)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      const y = (mt[623] & 0x80000000) | (mt[0] & 0x7fffffff)
      mt[623] = mt[396] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      this.mti = 0
    }
    let y = mt[this.mti++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** Uniform double in [0, 1) with 53 random bits (numpy `random_sample`). */
  random(): number {
    const a = this.nextUint32() >>> 5
    const b = this.nextUint32() >>> 6
    return (a * 67108864 + b) / 9007199254740992
  }

  /** Fill `out` with uniform [0, 1) doubles (numpy `uniform(size=out.length)`; low=0, high=1 adds nothing). */
  fill(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.random()
    return out
  }
}
