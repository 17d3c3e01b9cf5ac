import { describe, expect, it } from "vitest"
import { buildGraphSets } from "./build.js"
import { arange, decodeGraphSet, encodeGraphSet, gaussianExpand, linspace } from "./crystal-graph.js"

// rock salt NaCl, a = 5.64 Å, primitive fcc cell: 6 Cl at a/2 = 2.82 Å from Na, 12 Na at a/√2 = 3.988 Å
const a = 5.64
const nacl = {
  lattice: [0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0],
  z: [11, 17],
  frac: [0, 0, 0, 0.5, 0.5, 0.5],
}

describe("crystal graph set", () => {
  it("NaCl: CGCNN takes 6 Cl + 6 of the 12 Na (tie at the cut); MEGNet takes all 18 within 4 Å", () => {
    const { cgcnn, megnet } = buildGraphSets([nacl])
    expect(cgcnn.edgeSrc.length).toBe(24)
    const d0 = [...cgcnn.edgeDist.subarray(0, 12)]
    expect(d0.slice(0, 6).every((d) => Math.abs(d - a / 2) < 1e-5)).toBe(true)
    expect(d0.slice(6).every((d) => Math.abs(d - a / Math.SQRT2) < 1e-5)).toBe(true)
    expect(megnet.edgeOffsets[1]).toBe(36) // 2 sites × (6 + 12)
  })

  it("encodes to typed arrays and decodes to the same graph", () => {
    const { cgcnn, megnet } = buildGraphSets([nacl, { ...nacl, frac: [0.1, 0, 0, 0.6, 0.5, 0.5] }])
    for (const g of [cgcnn, megnet]) {
      const bytes = encodeGraphSet(g)
      expect(bytes.byteLength).toBe(20 + 4 * (2 * 3 + 4 + 3 * g.edgeSrc.length))
      const back = decodeGraphSet(bytes)
      expect(back.kind).toBe(g.kind)
      expect(back.nStructures).toBe(2)
      for (const f of ["atomOffsets", "atomZ", "edgeOffsets", "edgeSrc", "edgeDst", "edgeDist"] as const) expect([...back[f]]).toEqual([...g[f]])
      // unaligned input (as a slice of a larger file) still decodes
      const shifted = new Uint8Array(bytes.byteLength + 1)
      shifted.set(bytes, 1)
      expect([...decodeGraphSet(shifted.subarray(1)).edgeDist]).toEqual([...g.edgeDist])
    }
    expect(() => decodeGraphSet(new Uint8Array(24))).toThrow(/bad magic/)
  })

  it("Gaussian expansion: CGCNN's 41 centres 0…8 Å, value exp(−(d−μ)²/w²)", () => {
    expect(arange(0, 8, 0.2).length).toBe(41)
    expect(linspace(0, 4, 25)[24]).toBe(4)
    const d = Float32Array.from([0, 1.0, 7.9])
    const g = gaussianExpand(d, { start: 0, stop: 8, step: 0.2 }, 0.2)
    expect(g.length).toBe(3 * 41)
    expect(g[0]).toBe(1) // d = 0 at centre 0
    expect(g[41 + 5]).toBeCloseTo(1, 6) // d = 1 at centre 5 (1.0)
    expect(g[41 + 6]).toBeCloseTo(Math.exp(-1), 6) // one width away
    expect(g[2 * 41 + 40]).toBeCloseTo(Math.exp(-0.25), 5) // 7.9 vs 8.0: (0.1/0.2)² = 0.25
    const m = gaussianExpand(Float32Array.from([2]), linspace(0, 4, 25), 0.4)
    expect(m[12]).toBeCloseTo(1, 6) // centre 12 = 2.0 Å
  })
})
