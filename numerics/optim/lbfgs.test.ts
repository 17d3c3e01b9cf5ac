import { describe, expect, it } from "vitest"
import { lbfgs, lbfgsPositive } from "./lbfgs.js"

describe("lbfgs", () => {
  it("solves an SPD quadratic: minimiser A⁻¹b", () => {
    // f = ½ xᵀAx − bᵀx with A = tridiag(−1, 4, −1) (n = 30), b = A·x* for a chosen x*
    const n = 30
    const xs = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1))
    const Ax = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) out[i] = 4 * v[i] - (i > 0 ? v[i - 1] : 0) - (i < n - 1 ? v[i + 1] : 0)
    }
    const b = new Float64Array(n)
    Ax(xs, b)
    const tmp = new Float64Array(n)
    const res = lbfgs((x, g) => {
      Ax(x, tmp)
      let f = 0
      for (let i = 0; i < n; i++) {
        f += 0.5 * x[i] * tmp[i] - b[i] * x[i]
        g[i] = tmp[i] - b[i]
      }
      return f
    }, new Float64Array(n), { gtol: 1e-12, ftol: 0 })
    expect(res.reason).toBe("gtol")
    expect(res.converged).toBe(true)
    for (let i = 0; i < n; i++) expect(Math.abs(res.x[i] - xs[i])).toBeLessThan(1e-10)
  })

  it("finds the Rosenbrock minimum (1, 1)", () => {
    const res = lbfgs((x, g) => {
      const [a, b] = [x[0], x[1]]
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
      g[1] = 200 * (b - a * a)
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2
    }, Float64Array.from([-1.2, 1]), { gtol: 1e-10 })
    expect(res.converged).toBe(true)
    expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-8)
    expect(Math.abs(res.x[1] - 1)).toBeLessThan(1e-8)
  })
})

describe("lbfgsPositive", () => {
  it("minimises Σ a_i x_i + b_i/x_i over x > 0: x_i = √(b_i/a_i), f = Σ 2√(a_i b_i)", () => {
    // the same structure as the thesis's spacing loss (S·D attraction + λ/D repulsion) for unlinked gaps
    const a = [0.5, 2, 10, 0.01, 3]
    const b = [6, 6, 1, 2, 1e-3]
    const res = lbfgsPositive((x, g) => {
      let f = 0
      for (let i = 0; i < a.length; i++) {
        f += a[i] * x[i] + b[i] / x[i]
        g[i] = a[i] - b[i] / (x[i] * x[i])
      }
      return f
    }, new Float64Array(a.length).fill(1), { gtol: 1e-12 })
    expect(res.converged).toBe(true)
    a.forEach((ai, i) => expect(Math.abs(res.x[i] / Math.sqrt(b[i] / ai) - 1)).toBeLessThan(1e-8))
    const fStar = a.reduce((s, ai, i) => s + 2 * Math.sqrt(ai * b[i]), 0)
    expect(Math.abs(res.f - fStar)).toBeLessThan(1e-10)
    expect(res.x.every((v) => v > 0)).toBe(true)
  })

  it("rejects a non-positive start", () => {
    expect(() => lbfgsPositive(() => 0, Float64Array.from([1, 0]))).toThrow(/not positive/)
  })
})
