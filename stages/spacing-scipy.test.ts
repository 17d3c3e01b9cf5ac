// Eq. 3.3 (default reading, all ten λ, x0 = 1) against scipy 1.10's L-BFGS-B and BFGS, recorded by
// tests/fixtures-gen/spacing_scipy.py in spacing-scipy.fixture.json (the README's "agrees with" claims).
import { readFileSync } from "node:fs"
import { beforeAll, describe, expect, it } from "vitest"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"
import { useSharedData } from "../tests/fixtures.js"
import { chemDistance } from "./chem-distance.js"
import { referenceOrder } from "./reference-order.js"
import { spacing } from "./spacing.js"
import { substitution } from "./substitution.js"

interface Fixture {
  reading: string
  distanceSpan: [number, number]
  lambdas: { lambda: number; lbfgsb: { loss: number; success: boolean; gaps: number[] }; bfgs: { loss: number; success: boolean; message: string; maxAbsGapDiffVsLbfgsb: number } }[]
}
const fx = JSON.parse(readFileSync(new URL("./spacing-scipy.fixture.json", import.meta.url), "utf8")) as Fixture

describe("spacing (eq. 3.3) vs scipy", () => {
  const ours = new Map<number, { loss: number; gaps: number[]; converged: boolean }>()
  beforeAll(async () => {
    useSharedData()
    const sub = await runStage(substitution, { dataDir: dataDir() })
    const cd = await runStage(chemDistance, { inputs: { S: sub.S } })
    const ro = await runStage(referenceOrder, { dataDir: dataDir() })
    for (const { lambda } of fx.lambdas) {
      const { result } = await runStage(spacing, { params: { lambda, reading: fx.reading }, inputs: { S: sub.S, D: cd.D, order: ro.order } })
      ours.set(lambda, result)
    }
  })

  it("L-BFGS-B converges at every λ to our optimum", () => {
    for (const c of fx.lambdas) {
      const r = ours.get(c.lambda)!
      expect(c.lbfgsb.success).toBe(true)
      expect(r.converged).toBe(true)
      // eq. 3.3 is convex: one minimiser; both stop at gradient ~1e-9, so losses agree to ~1e-10 relative
      expect(Math.abs(r.loss - c.lbfgsb.loss) / c.lbfgsb.loss, `λ = ${c.lambda}`).toBeLessThan(1e-10)
      // gaps (~0.5–2) in the valley's flattest directions move ~1e-4 for a loss change of ~1e-10 relative
      const dev = Math.max(...r.gaps.map((g, k) => Math.abs(g - c.lbfgsb.gaps[k]!)))
      expect(dev, `λ = ${c.lambda}: max |Δgap|`).toBeLessThan(1e-3)
    }
  })

  it("scipy's default BFGS from x0 = 1 stops with precision loss, far from the optimum at λ = 1, 8, 16, 64, 100", () => {
    const stalled = fx.lambdas.filter((c) => c.bfgs.maxAbsGapDiffVsLbfgsb > 1).map((c) => c.lambda)
    expect(stalled).toEqual([1, 8, 16, 64, 100])
    for (const c of fx.lambdas) {
      expect(c.bfgs.success).toBe(false)
      expect(c.bfgs.message).toMatch(/precision loss/)
      // never below the optimum (it is the minimum); well above it where it stalled
      expect(c.bfgs.loss).toBeGreaterThanOrEqual(ours.get(c.lambda)!.loss * (1 - 1e-12))
      if (stalled.includes(c.lambda)) expect(c.bfgs.loss / ours.get(c.lambda)!.loss).toBeGreaterThan(1.04)
    }
  })

  it("the completed chemical distances span 1 … 6.8·10⁶", () => {
    expect(fx.distanceSpan[0]).toBe(1)
    expect(fx.distanceSpan[1]).toBeCloseTo(6.7558e6, -3)
  })
})
