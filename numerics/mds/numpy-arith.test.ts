// numpy 1.24 / OpenBLAS 0.3.21 (Haswell core) outputs, written by tests/fixtures-gen/numpy_arith.py, on inputs
// both sides draw from RandomState: every comparison is exact (toBe), since the point is the last bit.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { MT19937 } from "./mt19937.js"
import { dgemvRowMajor, fma, numpySum, pairwiseSum } from "./numpy-arith.js"

interface Fixture {
  blas_core: string
  sums: { seed: number; n: number; scale: number; sum: number }[]
  row_sums: { seed: number; n: number; scale: number; sums: number[] }[]
  dgemv: { seed: number; xSeed: number; n: number; scale: number; y: number[] }[]
}
const fx = JSON.parse(readFileSync(new URL("./numpy-arith.fixture.json", import.meta.url), "utf8")) as Fixture
const draws = (seed: number, size: number, scale: number) => new MT19937(seed).fill(new Float64Array(size)).map((u) => (u - 0.5) * scale)

describe("numpy's arithmetic, bit for bit", () => {
  it("was recorded on OpenBLAS's Haswell kernels", () => expect(fx.blas_core).toBe("Haswell"))

  it("sum(): pairwise in 8,192-element buffers", () => {
    for (const c of fx.sums) expect(numpySum(draws(c.seed, c.n, c.scale)), `n = ${c.n}`).toBe(c.sum)
  })

  it("sum(axis=1): one pairwise sum per row", () => {
    for (const c of fx.row_sums) {
      const M = draws(c.seed, c.n * c.n, c.scale)
      c.sums.forEach((s, i) => expect(pairwiseSum(M, i * c.n, c.n), `n = ${c.n}, row ${i}`).toBe(s))
    }
  })

  it("np.dot(B, x): OpenBLAS dgemv's lanes, FMA and tails", () => {
    for (const c of fx.dgemv) {
      const B = draws(c.seed, c.n * c.n, c.scale)
      const x = draws(c.xSeed, c.n, c.scale)
      const y = new Float64Array(c.n)
      dgemvRowMajor(B, c.n, x, y)
      expect(Array.from(y), `n = ${c.n}`).toEqual(c.y)
    }
  })

  it("fma rounds once, including halfway cases whose tail was rounded", () => {
    const eps = 2 ** -52
    // (1 + ε)(1 − ε) = 1 − ε²: one rounding gives 1 − ε/2·… → the double just below 1; two roundings give 1
    expect(fma(1 + eps, 1 - eps, 0)).toBe(1)
    expect(fma(1 + eps, 1 - eps, -1)).toBe(-(eps * eps))
    // a·b + c exactly halfway before the product's tail: 1 + 2^-53 + 2^-105 must round up to 1 + 2^-52
    expect(fma(1 + 2 ** -52, 2 ** -53 + 2 ** -105, 1)).toBe(1 + 2 ** -52)
    expect(fma(1 - 2 ** -53, 2 ** -53, 1)).toBe(1)
    expect(fma(3, 5, 7)).toBe(22)
  })
})
