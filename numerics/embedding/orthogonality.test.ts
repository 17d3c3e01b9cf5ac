import { describe, expect, it } from "vitest"
import { mulberry32 } from "../random.js"
import { channelAngles, gaussian, summariseAngles, untrainedAngles } from "./orthogonality.js"

/** Exact mean and variance (deg²) of the angle between independent isotropic vectors in R^d:
 * density ∝ sin^{d−2}θ on [0, π], integrated by Simpson's rule. */
function isotropicAngleMoments(d: number): { mean: number; variance: number } {
  const steps = 20000, h = Math.PI / steps
  let z = 0, m1 = 0, m2 = 0
  for (let s = 0; s <= steps; s++) {
    const t = s * h, w = (s === 0 || s === steps ? 1 : s % 2 ? 4 : 2) * Math.sin(t) ** (d - 2)
    z += w
    m1 += w * t
    m2 += w * t * t
  }
  const mean = m1 / z
  const deg = 180 / Math.PI
  return { mean: mean * deg, variance: (m2 / z - mean * mean) * deg * deg }
}

describe("channel orthogonality (eq. 4.2)", () => {
  it("hand cases: orthogonal 90°, parallel 0°, antiparallel 180°, 45°", () => {
    const H = Float64Array.from([1, 0, 2, 2, 1, 1, 1, 0])
    const L = Float64Array.from([0, 3, 1, 1, -2, -2, 1, 1])
    const a = channelAngles(H, L, 4, 2)
    expect(a[0]).toBeCloseTo(90, 12)
    expect(a[1]).toBeCloseTo(0, 6) // acos near 1 loses half the digits
    expect(a[2]).toBeCloseTo(180, 6)
    expect(a[3]).toBeCloseTo(45, 12)
    const s = summariseAngles(a)
    expect(s.mean).toBeCloseTo(78.75, 6)
    expect(s.variance).toBeCloseTo(((90 - 78.75) ** 2 + 78.75 ** 2 + (180 - 78.75) ** 2 + (45 - 78.75) ** 2) / 4, 4)
  })

  it("random Gaussian pairs match the isotropic angle law (the thesis's 'untrained' baseline near 90°)", () => {
    const r = mulberry32(11)
    for (const d of [8, 64]) {
      const n = 20000
      const H = Float64Array.from({ length: n * d }, () => gaussian(r))
      const L = Float64Array.from({ length: n * d }, () => gaussian(r))
      const s = summariseAngles(channelAngles(H, L, n, d))
      const exact = isotropicAngleMoments(d)
      expect(exact.mean).toBeCloseTo(90, 6)
      // 5 standard errors of the sample mean / variance (kurtosis ≈ 3 for the near-normal angle law)
      expect(Math.abs(s.mean - exact.mean)).toBeLessThan(5 * Math.sqrt(exact.variance / n))
      expect(Math.abs(s.variance - exact.variance)).toBeLessThan(5 * exact.variance * Math.sqrt(2 / n))
    }
  })

  it("untrained baseline: projected descriptor vs N(0,1) lookup is centred near 90° and seeded", () => {
    const r = mulberry32(3)
    const n = 100, p = 92
    const X = Float64Array.from({ length: n * p }, () => (r() < 0.1 ? 1 : 0)) // one-hot-like descriptor
    const a = untrainedAngles(X, n, p, 64, 42)
    expect([...a]).toEqual([...untrainedAngles(X, n, p, 64, 42)])
    const s = summariseAngles(a)
    expect(Math.abs(s.mean - 90)).toBeLessThan(5 * Math.sqrt(isotropicAngleMoments(64).variance / n))
  })
})
