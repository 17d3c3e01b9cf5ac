import { describe, expect, it } from "vitest"
import { bernoulli, mulberry32 } from "./random.js"

describe("mulberry32", () => {
  it("keeps its stream (first draws of seed 1, pinned: every seeded artifact hash depends on them)", () => {
    const r = mulberry32(1)
    expect([r(), r(), r()].map((v) => v * 2 ** 32)).toEqual([2693262067, 11749833, 2265367787])
  })
  it("fillBernoulli consumes the very draws the per-call form gives, then both streams go on alike", () => {
    const a = mulberry32(42), b = mulberry32(42)
    const p = 0.1, keep = 1 / 0.9
    const bulk = new Float32Array(10_001)
    b.fillBernoulli(bulk, p, 0, keep)
    const perCall = Float32Array.from({ length: 10_001 }, () => (a() < p ? 0 : keep))
    expect(bulk).toEqual(perCall)
    expect(b()).toBe(a())
    // a p of about 0.1: 10,001 draws, sd ≈ 30
    const zeros = bulk.filter((v) => v === 0).length
    expect(zeros).toBeGreaterThan(900)
    expect(zeros).toBeLessThan(1100)
  })
  it("bernoulli() falls back to per-call draws for a plain Random, with the same values", () => {
    const a = mulberry32(3), b = mulberry32(3)
    const plain = () => a()
    expect(bernoulli(plain, 999, 0.3, 0, 2)).toEqual(bernoulli(b, 999, 0.3, 0, 2))
  })
})
