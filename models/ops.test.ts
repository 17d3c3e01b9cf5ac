// Each op in ops.ts against tfjs's stock formulation on the stock cpu kernels ("cpu-ref"), forward
// and gradient (tf.grads), both on the fast cpu backend (fast kernels + fused paths) and on cpu-ref
// itself (the composed path other backends, e.g. tfjs-node-gpu, take).
import { mulberry32 } from "../numerics/random.js"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "./backend/runtime/backend.js"
import { registerReferenceCpuBackend } from "./backend/runtime/cpu-kernels.js"
import {
  batchNorm, type BatchNormState, BN_EPSILON, cgcnnGate, dense, gatherRows, leakyRelu, segmentMean, segmentSum, softplus2,
  softplusSigmoid,
} from "./ops.js"

beforeAll(async () => {
  process.env.PIPELINE_TFJS_BACKEND = "cpu"
  await initBackend()
  await registerReferenceCpuBackend()
})

/** Deterministic inputs (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  const r = mulberry32(seed)
  return () => r() * 2 - 1
}
const rand = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, rng(seed))
const ints = (n: number, hi: number, seed: number): Int32Array => {
  const r = rng(seed)
  return Int32Array.from({ length: n }, () => Math.floor(((r() + 1) / 2) * hi))
}

/** Runs fn on backend `name` and returns every output as a flat number[]. */
function on(name: string, fn: () => tf.Tensor[]): number[][] {
  tf.setBackend(name)
  return tf.tidy(() => fn().map((t) => Array.from(t.dataSync())))
}

// float32 products and sums in a different order: agreement to ~1e-5 relative is what fp32 allows here.
function expectClose(got: number[][], want: number[][], tol = 2e-4): void {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i]!
    expect(g.length).toBe(w.length)
    const scale = Math.max(1, ...w.map(Math.abs))
    const err = Math.max(0, ...g.map((x, j) => Math.abs(x - w[j]!)))
    expect(err / scale).toBeLessThan(tol)
  })
}

const BACKENDS = ["cpu", "cpu-ref"]
/** Reference values are computed on first use (after beforeAll has registered cpu-ref). */
function lazy<T>(f: () => T): () => T {
  let v: T | undefined
  return () => (v ??= f())
}

describe("gatherRows / segmentSum / segmentMean", () => {
  const n = 7, e = 40, w = 5
  const x = rand(n * w, 1), idx = ints(e, n, 2), dyE = rand(e * w, 3), xe = rand(e * w, 4), dyN = rand(n * w, 5)
  const ref = {
    gather: lazy(() => on("cpu-ref", () => {
      const xt = tf.tensor2d(x, [n, w]), it = tf.tensor1d(idx, "int32")
      const g = tf.grads((a: tf.Tensor) => tf.gather(a, it))([xt], tf.tensor2d(dyE, [e, w]))
      return [tf.gather(xt, it), ...g]
    })),
    segsum: lazy(() => on("cpu-ref", () => {
      const xt = tf.tensor2d(xe, [e, w]), it = tf.tensor1d(idx, "int32")
      const g = tf.grads((a: tf.Tensor) => tf.unsortedSegmentSum(a, it, n))([xt], tf.tensor2d(dyN, [n, w]))
      return [tf.unsortedSegmentSum(xt, it, n), ...g]
    })),
  }
  it.each(BACKENDS)("gatherRows equals tf.gather, value and gradient (%s)", (b) => {
    expectClose(on(b, () => {
      const xt = tf.tensor2d(x, [n, w]), it = tf.tensor1d(idx, "int32")
      const g = tf.grads((a: tf.Tensor) => gatherRows(a as tf.Tensor2D, it))([xt], tf.tensor2d(dyE, [e, w]))
      return [gatherRows(xt, it), ...g]
    }), ref.gather(), 1e-6)
  })
  it.each(BACKENDS)("segmentSum equals tf.unsortedSegmentSum, value and gradient (%s)", (b) => {
    expectClose(on(b, () => {
      const xt = tf.tensor2d(xe, [e, w]), it = tf.tensor1d(idx, "int32")
      const g = tf.grads((a: tf.Tensor) => segmentSum(a as tf.Tensor2D, it, n))([xt], tf.tensor2d(dyN, [n, w]))
      return [segmentSum(xt, it, n), ...g]
    }), ref.segsum(), 1e-6)
  })
  it("segmentMean averages each segment and gives empty segments 0", () => {
    const [m] = on("cpu", () => [segmentMean(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([0, 2, 0], "int32"), 3)])
    expect(m).toEqual([3, 4, 0, 0, 3, 4])
  })
})

describe("dense", () => {
  const r = 33, k = 19, c = 12
  const x = rand(r * k, 6), w = rand(k * c, 7), b = rand(c, 8), dy = rand(r * c, 9)
  const ref = lazy(() => on("cpu-ref", () => {
    const [xt, wt, bt] = [tf.tensor2d(x, [r, k]), tf.tensor2d(w, [k, c]), tf.tensor1d(b)]
    const f = (a: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(a as tf.Tensor2D, ww as tf.Tensor2D), bb)
    return [f(xt, wt, bt), ...tf.grads(f)([xt, wt, bt], tf.tensor2d(dy, [r, c]))]
  }))
  it.each(BACKENDS)("equals matMul + bias, value and gradients (%s)", (bk) => {
    expectClose(on(bk, () => {
      const [xt, wt, bt] = [tf.tensor2d(x, [r, k]), tf.tensor2d(w, [k, c]), tf.tensor1d(b)]
      const f = (a: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => dense(a as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)
      return [f(xt, wt, bt), ...tf.grads(f)([xt, wt, bt], tf.tensor2d(dy, [r, c]))]
    }), ref())
  })
})

describe("leakyRelu", () => {
  // zeros and negative zeros in x too: tfjs's gradient sends x = 0 down the α branch
  const x = rand(257, 30).map((v, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? -0 : v)), dy = rand(257, 31)
  const ref = lazy(() => on("cpu-ref", () => {
    const xt = tf.tensor1d(x)
    return [tf.leakyRelu(xt, 0.01), ...tf.grads((a: tf.Tensor) => tf.leakyRelu(a, 0.01))([xt], tf.tensor1d(dy))]
  }))
  it.each(BACKENDS)("equals tf.leakyRelu bit for bit, value and gradient (%s)", (bk) => {
    const got = on(bk, () => {
      const xt = tf.tensor2d(x, [1, 257])
      return [leakyRelu(xt, 0.01), ...tf.grads((a: tf.Tensor) => leakyRelu(a as tf.Tensor2D, 0.01))([xt], tf.tensor2d(dy, [1, 257]))]
    })
    expect(got).toEqual(ref())
    // the α branch is really taken: dy·0.01 where x ≤ 0
    const i = x.findIndex((v) => v < 0)
    expect(got[1]![i]).toBeCloseTo(dy[i]! * 0.01, 9)
  })
})

describe("softplus2 / softplusSigmoid", () => {
  const x = rand(300, 14).map((v) => 30 * v), dy = rand(300, 15)
  const ref = lazy(() => on("cpu-ref", () => {
    const f = (a: tf.Tensor) => tf.sub(tf.softplus(a), Math.log(2))
    const xt = tf.tensor1d(x)
    return [f(xt), tf.sigmoid(xt), ...tf.grads(f)([xt], tf.tensor1d(dy))]
  }))
  // wasm polynomial exp/log (act-wat.ts): float32 to a few ulp of values up to 30
  it.each(BACKENDS)("equal softplus(x) − ln 2 and σ(x), value and gradient (%s)", (bk) => {
    expectClose(on(bk, () => {
      const xt = tf.tensor1d(x)
      const [sp, sg] = softplusSigmoid(xt, Math.log(2))
      expectClose([Array.from(softplus2(xt).dataSync())], [Array.from(sp.dataSync())], 1e-7)
      return [sp, sg, ...tf.grads((a: tf.Tensor) => softplus2(a))([xt], tf.tensor1d(dy))]
    }), ref(), 1e-6)
  })
})

const state = (c: number): BatchNormState => ({
  mean: tf.variable(tf.zeros([c]), false), variance: tf.variable(tf.ones([c]), false), momentum: 0.1,
})

describe("batchNorm (training)", () => {
  const n = 50, c = 6
  const x = rand(n * c, 10).map((v, i) => 3 * v + (i % c)), g = rand(c, 11), b = rand(c, 12), dy = rand(n * c, 13)
  const ref = lazy(() => on("cpu-ref", () => {
    const [xt, gt, bt] = [tf.tensor2d(x, [n, c]), tf.tensor1d(g), tf.tensor1d(b)]
    const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, 0)
      return tf.batchNorm(a, mean, variance, bb as tf.Tensor1D, gg as tf.Tensor1D, BN_EPSILON)
    }
    return [f(xt, gt, bt), ...tf.grads(f)([xt, gt, bt], tf.tensor2d(dy, [n, c]))]
  }))
  it.each(BACKENDS)("equals tf.moments + tf.batchNorm, value and gradients (%s)", (bk) => {
    expectClose(on(bk, () => {
      const s = state(c)
      const [xt, gt, bt] = [tf.tensor2d(x, [n, c]), tf.tensor1d(g), tf.tensor1d(b)]
      const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
        batchNorm(a as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D, true, s)
      const out = [f(xt, gt, bt), ...tf.grads(f)([xt, gt, bt], tf.tensor2d(dy, [n, c]))]
      s.mean.dispose(); s.variance.dispose()
      return out
    }), ref())
  })
  it.each(BACKENDS)("updates running statistics as PyTorch does: unbiased variance, momentum 0.1 (%s)", (bk) => {
    const [mean, variance] = on(bk, () => {
      const s = state(c)
      batchNorm(tf.tensor2d(x, [n, c]), tf.tensor1d(g), tf.tensor1d(b), true, s)
      const out = [s.mean.clone(), s.variance.clone()]
      s.mean.dispose(); s.variance.dispose()
      return out
    })
    for (let k = 0; k < c; k++) {
      const col = Array.from({ length: n }, (_, r) => x[r * c + k]!)
      const mu = col.reduce((p, q) => p + q, 0) / n
      const unbiased = col.reduce((p, q) => p + (q - mu) ** 2, 0) / (n - 1)
      expect(mean![k]).toBeCloseTo(0.1 * mu, 5)
      expect(variance![k]).toBeCloseTo(0.9 + 0.1 * unbiased, 4)
    }
  })
})

// F = 4: the wasm passes (F a multiple of 4); F = 3: the JS fallback of the fused kernel.
describe.each([4, 3])("cgcnnGate, F = %i", (F) => {
  const A = 9, E = 40, Fin = 5, G = 7
  const x = rand(A * Fin, 20), edge = rand(E * G, 21), dst = ints(E, A, 22), src = ints(E, A, 23)
  const ws = rand(Fin * 2 * F, 24), wn = rand(Fin * 2 * F, 25), we = rand(G * 2 * F, 26), bias = rand(2 * F, 27)
  const gam = rand(2 * F, 28).map((v) => 1 + 0.3 * v), bet = rand(2 * F, 29), dy = rand(A * F, 30)
  const inputs = () => [tf.tensor2d(x, [A, Fin]), tf.tensor2d(ws, [Fin, 2 * F]), tf.tensor2d(wn, [Fin, 2 * F]),
    tf.tensor2d(we, [G, 2 * F]), tf.tensor1d(bias), tf.tensor1d(gam), tf.tensor1d(bet)]
  // The CGCNN conv message block written the literal way (concat, one Linear, stock ops and gradients).
  const ref = lazy(() => on("cpu-ref", () => {
    const e = tf.tensor2d(edge, [E, G]), d = tf.tensor1d(dst, "int32"), s = tf.tensor1d(src, "int32")
    const f = (xx: tf.Tensor, a: tf.Tensor, bw: tf.Tensor, c: tf.Tensor, bb: tf.Tensor, gg: tf.Tensor, be: tf.Tensor) => {
      const W = tf.concat([a, bw, c], 0) as tf.Tensor2D
      const z = tf.add(tf.matMul(tf.concat([tf.gather(xx, d), tf.gather(xx, s), e], 1) as tf.Tensor2D, W), bb)
      const { mean, variance } = tf.moments(z, 0)
      const zn = tf.batchNorm(z, mean, variance, be as tf.Tensor1D, gg as tf.Tensor1D, BN_EPSILON)
      const [fl, co] = tf.split(zn, 2, 1)
      return tf.unsortedSegmentSum(tf.mul(tf.sigmoid(fl!), tf.softplus(co!)), d, A)
    }
    const ins = inputs()
    return [f(...(ins as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
      ...tf.grads(f)(ins, tf.tensor2d(dy, [A, F]))]
  }))
  it.each(BACKENDS)("equals the concat formulation with stock gradients, value and all 7 gradients (%s)", (bk) => {
    expectClose(on(bk, () => {
      const e = tf.tensor2d(edge, [E, G]), d = tf.tensor1d(dst, "int32"), s = tf.tensor1d(src, "int32")
      const st = state(2 * F)
      const f = (xx: tf.Tensor, a: tf.Tensor, bw: tf.Tensor, c: tf.Tensor, bb: tf.Tensor, gg: tf.Tensor, be: tf.Tensor) =>
        cgcnnGate(xx as tf.Tensor2D, e, d, s, {
          wSelf: a as tf.Tensor2D, wNbr: bw as tf.Tensor2D, wEdge: c as tf.Tensor2D, bias: bb as tf.Tensor1D,
          gamma: gg as tf.Tensor1D, beta: be as tf.Tensor1D, state: st,
        }, true)
      const ins = inputs()
      const out = [f(...(ins as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
        ...tf.grads(f)(ins, tf.tensor2d(dy, [A, F]))]
      st.mean.dispose(); st.variance.dispose()
      return out
    }), ref())
  })
  it("evaluation mode uses the running statistics (fused and composed agree)", () => {
    const run = (bk: string) => on(bk, () => {
      const st = state(2 * F)
      st.mean.assign(tf.tensor1d(rand(2 * F, 31)))
      st.variance.assign(tf.tensor1d(rand(2 * F, 32).map((v) => 1.5 + v)))
      const [xx, a, bw, c, bb, gg, be] = inputs()
      const out = cgcnnGate(xx as tf.Tensor2D, tf.tensor2d(edge, [E, G]), tf.tensor1d(dst, "int32"), tf.tensor1d(src, "int32"), {
        wSelf: a as tf.Tensor2D, wNbr: bw as tf.Tensor2D, wEdge: c as tf.Tensor2D, bias: bb as tf.Tensor1D,
        gamma: gg as tf.Tensor1D, beta: be as tf.Tensor1D, state: st,
      }, false)
      const r = out.clone()
      st.mean.dispose(); st.variance.dispose()
      return [r]
    })
    expectClose(run("cpu"), run("cpu-ref"), 1e-5)
  })
})
