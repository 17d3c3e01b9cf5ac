// The port against the PyTorch original (fixtures/crabnet-small, written by fixtures/make_fixture.py from
// the unchanged kingcrab.py / utils code), the fractional encoder and the padding masks against hand-worked
// cases, and training invariants (overfitting, frozen table, determinism).
import { fileURLToPath } from "node:url"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "../backend/runtime/backend.js"
import { registerReferenceCpuBackend } from "../backend/runtime/cpu-kernels.js"
import { mulberry32 } from "../../numerics/random.js"
import { FRACTION_RESOLUTION, fractionalTable, linearRow, logRow, roundHalfEven } from "./fractional.js"
import { type CrabnetBatch, CrabnetModel } from "./model.js"
import { addDropout, dropoutMask, layerNorm, reluDropout, selfAttention } from "./layers.js"
import { Lamb, Swa, cyclicLr } from "./optim.js"
import { readTensorFile } from "./tensor-file.js"
import { type CrabnetSample, type CrabnetTable, CrabnetTrainer, makeBatch, missingSymbols, trainCrabnet } from "./train.js"

beforeAll(async () => {
  process.env.PIPELINE_TFJS_BACKEND = "cpu"
  await initBackend()
})

const fx = readTensorFile(fileURLToPath(new URL("./fixtures/crabnet-small.json", import.meta.url)))
const meta = fx.meta as { d_model: number; heads: number; layers: number; ffn: number; out_hidden: number[]; loss: number; bce_loss_labels_y_gt_0: number; losses: number[] }

/** The fixture's model (PyTorch's initial weights, dropout off) and batch (src Z mapped to the stored table rows). */
function fixtureModel(): { model: CrabnetModel; batch: CrabnetBatch; y: Float32Array } {
  const z = fx.i32("table_z"), table = fx.f32("table")
  const model = new CrabnetModel(
    { dModel: meta.d_model, heads: meta.heads, layers: meta.layers, ffn: meta.ffn, outHidden: meta.out_hidden, dropout: 0 },
    table, table.length / z.length, 1,
  )
  model.loadTorchState((n) => (fx.has(`init/${n}`) ? fx.f32(`init/${n}`) : undefined))
  const rowOf = new Map(Array.from(z, (zz, i) => [zz, i + 1]))
  const src = fx.i32("src"), frac = fx.f32("frac")
  const [B, L] = fx.shape("src") as [number, number]
  const batch = {
    batch: B, slots: L, rows: Int32Array.from(src, (s) => (s === 0 ? 0 : rowOf.get(s)!)), frac,
    linearRows: Int32Array.from(frac, (f) => linearRow(f)), logRows: Int32Array.from(frac, (f) => logRow(f)),
  }
  return { model, batch, y: fx.f32("y_scaled") }
}

/** PyTorch layout of a port parameter ([in, out] → (out, in) for matrices). */
function torchLayout(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array
  if (t.rank !== 2) return v
  const [i, o] = t.shape as [number, number]
  const out = new Float32Array(i * o)
  for (let r = 0; r < i; r++) for (let c = 0; c < o; c++) out[c * i + r] = v[r * o + c]!
  return out
}

/** max |a − b| relative to max |b| (an absolute floor for all-zero references). */
function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let d = 0, s = 0
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i]! - b[i]!)); s = Math.max(s, Math.abs(b[i]!)) }
  return d / Math.max(s, 1e-6)
}

describe("against PyTorch (kingcrab.py, fixture)", () => {
  // float32 tolerance: every value is a float32 sum over up to B·L = 312 slots and 64-wide dot products,
  // taken in another order than OpenBLAS's, through 3 layer norms and a softmax: rounding of ~1e-7
  // relative per operation, amplified by the network's depth to ~1e-6 (observed: loss 1.5e-7, worst gradient
  // 1.2e-6 of its tensor's largest value, 13 step losses 1.7e-7); 2e-5 leaves room without hiding a bug (a wrong
  // mask, scale or transposition changes values by ≥ 1e-2).
  const TOL = 2e-5

  it("same outputs, loss and every gradient for the same weights and batch", () => {
    const { model, batch, y } = fixtureModel()
    const out = fx.f32("output")
    const o = tf.tidy(() => {
      const r = model.forward(batch, null)
      return [r.prediction.dataSync().slice(), r.logStd.dataSync().slice()]
    })
    expect(relMaxDiff(o[0]!, out.filter((_, i) => i % 2 === 0))).toBeLessThan(TOL)
    expect(relMaxDiff(o[1]!, out.filter((_, i) => i % 2 === 1))).toBeLessThan(TOL)
    const trainer = new CrabnetTrainer(model)
    const { loss, grads } = trainer.gradients(batch, y, null)
    expect(Math.abs(loss - meta.loss) / meta.loss).toBeLessThan(TOL)
    let checked = 0
    for (const [name, g] of grads) {
      const ref = fx.f32(`grad/${name}`)
      expect(relMaxDiff(torchLayout(g), ref), name).toBeLessThan(TOL)
      checked++
    }
    // the pos_scalers' gradient is exactly 0 at s = 1 (d/ds 2^((1−s)²)), in both
    expect(Math.abs(grads.get("encoder.pos_scaler")!.dataSync()[0]!)).toBe(0)
    expect(checked).toBe(grads.size)
    expect(checked).toBeGreaterThan(50)
    tf.dispose([...grads.values()])
    const bce = new CrabnetTrainer(model, "classification").gradients(batch, Float32Array.from(y, (v) => (v > 0 ? 1 : 0)), null)
    expect(Math.abs(bce.loss - meta.bce_loss_labels_y_gt_0) / meta.bce_loss_labels_y_gt_0).toBeLessThan(TOL)
    tf.dispose([...bce.grads.values()])
    trainer.dispose()
    model.dispose()
  })

  it("same losses over 13 Lamb + Lookahead + cyclic-LR steps (syncs after steps 6 and 12), then the same SWA weights", () => {
    const { model, batch, y } = fixtureModel()
    const trainer = new CrabnetTrainer(model)
    const losses = meta.losses.map((_, t) => trainer.step(batch, y, cyclicLr(t, 2), null))
    losses.forEach((l, t) => expect(Math.abs(l - meta.losses[t]!) / Math.abs(meta.losses[t]!), `step ${t + 1}`).toBeLessThan(1e-5))
    const swa = new Swa(model.params.trainable)
    swa.update(1.0)
    swa.update(1.005)
    swa.swap()
    for (const n of ["encoder.emb_scaler", "encoder.pos_scaler", "encoder.transformer_encoder.layers.0.self_attn.in_proj_weight",
      "encoder.transformer_encoder.layers.2.norm2.weight", "output_nn.fcs.0.bias", "output_nn.fc_out.weight"]) {
      expect(relMaxDiff(torchLayout(model.params.named.get(n)!), fx.f32(`after/${n}`)), n).toBeLessThan(TOL)
    }
    // Lamb never moves the pos_scalers (zero gradient → zero update)
    expect(model.posScaler.dataSync()[0]).toBe(1)
    swa.dispose()
    trainer.dispose()
    model.dispose()
  })

  it("same fractional-table rows and entries", () => {
    const f = fx.f32("fractions")
    expect(Array.from(f, (v) => linearRow(v))).toEqual(Array.from(fx.i32("linear_rows")))
    expect(Array.from(f, (v) => logRow(v))).toEqual(Array.from(fx.i32("log_rows")))
    const t = fractionalTable(meta.d_model / 2), ref = fx.f32("pe_rows_0_17_4999"), c = meta.d_model / 2
    ;[0, 17, 4999].forEach((row, k) => expect(relMaxDiff(t.subarray(row * c, row * c + c), ref.subarray(k * c, k * c + c))).toBeLessThan(1e-6))
  })
})

describe("fractional encoder (hand-worked)", () => {
  it("rows: linear round(5000·max(f, 1/5000)) − 1, log min(0.0025·log₂(f)², 1) the same way, half to even", () => {
    expect(linearRow(0.5)).toBe(2499)
    expect(linearRow(1)).toBe(4999)
    expect(linearRow(0)).toBe(0) // padding reads row 0 (masked later)
    expect(linearRow(1e-6)).toBe(0)
    expect(logRow(1)).toBe(0) // log₂ 1 = 0 → clamped to 1/5000
    expect(logRow(0)).toBe(4999) // log₂ 0 = −∞ → clamped to 1
    expect(logRow(1 / 1024)).toBe(1249) // 0.0025·(−10)² = 0.25 → 1250 − 1
    // 0.0025·(−1)² · 5000 = 12.5 exactly in float32 → half to even → 12 → row 11
    expect(logRow(0.5)).toBe(11)
    expect(roundHalfEven(2.5)).toBe(2)
    expect(roundHalfEven(3.5)).toBe(4)
    expect(roundHalfEven(3.4)).toBe(3)
  })
  it("table: sin on even columns, cos on odd, base 50 per column index", () => {
    const c = 8, t = fractionalTable(c)
    expect(t.length).toBe(FRACTION_RESOLUTION * c)
    for (let j = 0; j < c; j++) expect(t[j]).toBe(j % 2 === 0 ? 0 : 1) // row 0: sin 0, cos 0
    // the argument i/50^(2j/c) is a float32 as in torch: at i ≈ 1,000 its rounding (ulp 1.2e-4) moves sin by < 1e-4
    const i = 1234
    for (let j = 0; j < c; j++) {
      const a = i / 50 ** ((2 * j) / c)
      expect(Math.abs(t[i * c + j]! - (j % 2 === 0 ? Math.sin(a) : Math.cos(a)))).toBeLessThan(1e-4)
    }
  })
})

/** A synthetic table and formula set: target = a fixed linear function of composition (learnable). */
function toy(n: number, seed: number) {
  const symbols = ["Fe", "Ni", "Cr", "Mo", "C", "Mn"], dim = 6
  const r = mulberry32(seed)
  const table: CrabnetTable = { name: "toy", symbols, dim, vectors: Float32Array.from({ length: symbols.length * dim }, () => r() * 2 - 1) }
  const weight = [3, -1, 2, 0.5, -2, 1]
  const samples: CrabnetSample[] = [], targets: number[] = []
  for (let i = 0; i < n; i++) {
    const k = 2 + Math.floor(r() * 4)
    const pick = [...symbols].sort(() => r() - 0.5).slice(0, k)
    const fr = pick.map(() => 0.05 + r())
    samples.push({ symbols: pick, fractions: fr })
    const tot = fr.reduce((a, c) => a + c, 0)
    targets.push(100 + 10 * pick.reduce((a, s, j) => a + weight[symbols.indexOf(s)]! * fr[j]! / tot, 0))
  }
  return { table, samples, targets }
}
const SMALL = { dModel: 16, heads: 2, layers: 1, ffn: 32, outHidden: [16, 8] } as const

describe("padding masks", () => {
  it("a formula's prediction does not depend on how many empty slots its batch has", () => {
    const { table } = toy(1, 3)
    const model = new CrabnetModel({ ...SMALL, dropout: 0 }, table.vectors, table.dim, 5)
    const rowOf = new Map(table.symbols.map((s, i) => [s, i + 1]))
    const enc = (s: CrabnetSample) => {
      const order = s.symbols.map((_, i) => i).sort((a, b) => s.fractions[b]! - s.fractions[a]!)
      const tot = s.fractions.reduce((a, c) => a + c, 0)
      return { rows: Int32Array.from(order, (i) => rowOf.get(s.symbols[i]!)!), frac: Float32Array.from(order, (i) => s.fractions[i]! / tot) }
    }
    const short = { symbols: ["Fe", "C"], fractions: [0.8, 0.2] }
    const long = { symbols: ["Fe", "Ni", "Cr", "Mo", "Mn"], fractions: [0.5, 0.2, 0.15, 0.1, 0.05] }
    const predict = (b: CrabnetBatch) => tf.tidy(() => model.forward(b, null).prediction.dataSync().slice())
    const alone = predict(makeBatch([enc(short)], null))[0]!
    const beside = predict(makeBatch([enc(short), enc(long)], null)) // short padded from 2 to 5 slots
    expect(beside[0]).toBeCloseTo(alone, 6)
    // and an explicitly padded batch (L = 8) equals both
    const b = makeBatch([enc(short)], null)
    const L = 8, pad = (a: Int32Array | Float32Array, fill: number) => { const o = new (a.constructor as new (n: number) => typeof a)(L).fill(fill); o.set(a); return o }
    const wide = { batch: 1, slots: L, rows: pad(b.rows, 0) as Int32Array, frac: pad(b.frac, 0) as Float32Array,
      linearRows: pad(b.linearRows, 0) as Int32Array, logRows: pad(b.logRows, 4999) as Int32Array }
    expect(predict(wide)[0]).toBeCloseTo(alone, 6)
    model.dispose()
  })
})

describe("training", () => {
  const split = (n: number) => ({ train: Array.from({ length: n }, (_, i) => i), validation: Array.from({ length: n }, (_, i) => i), test: Array.from({ length: n }, (_, i) => i) })

  it("overfits a tiny set: MAE on 8 formulas falls to under a quarter in 150 steps (dropout and jitter off)", () => {
    const { table, samples } = toy(8, 11)
    const model = new CrabnetModel({ ...SMALL, dropout: 0 }, table.vectors, table.dim, 1)
    const trainer = new CrabnetTrainer(model)
    const rowOf = new Map(table.symbols.map((s, i) => [s, i + 1]))
    const b = makeBatch(samples.map((s) => ({ rows: Int32Array.from(s.symbols, (e) => rowOf.get(e)!), frac: Float32Array.from(s.fractions, (f) => f / s.fractions.reduce((a, c) => a + c, 0)) })), null)
    const r = mulberry32(2), y = Float32Array.from(samples, () => r() * 2 - 1) // arbitrary targets: only memorising fits them
    const mae = () => tf.tidy(() => tf.mean(tf.abs(tf.sub(model.forward(b, null).prediction, tf.tensor1d(y)))).dataSync()[0]!)
    const before = mae()
    for (let t = 0; t < 150; t++) trainer.step(b, y, 1e-2, null)
    expect(mae()).toBeLessThan(before / 4)
    trainer.dispose()
    model.dispose()
  }, 120_000)

  it("leaves the frozen table bit-identical, in the model and in the caller's array", () => {
    const { table, samples } = toy(8, 2)
    const before = table.vectors.slice()
    const model = new CrabnetModel({ ...SMALL }, table.vectors, table.dim, 3)
    const t0 = model.tableValues()
    const trainer = new CrabnetTrainer(model)
    const rowOf = new Map(table.symbols.map((s, i) => [s, i + 1]))
    const items = samples.map((s) => ({ rows: Int32Array.from(s.symbols, (e) => rowOf.get(e)!), frac: Float32Array.from(s.fractions, (f) => f / s.fractions.reduce((a, c) => a + c, 0)) }))
    const rng = mulberry32(4)
    for (let t = 0; t < 8; t++) trainer.step(makeBatch(items, { sigma: 0.02, rng }), Float32Array.from(items, () => rng()), cyclicLr(t, 1), rng)
    expect(Buffer.from(model.tableValues().buffer).equals(Buffer.from(t0.buffer))).toBe(true)
    expect(Buffer.from(table.vectors.buffer).equals(Buffer.from(before.buffer))).toBe(true)
    trainer.dispose()
    model.dispose()
  })

  it("is deterministic for a seed and differs across seeds (dropout and jitter on)", async () => {
    const { table, samples, targets } = toy(20, 5)
    const s = { train: [...Array(14).keys()], validation: [14, 15, 16], test: [17, 18, 19] }
    const run = (seed: number) => trainCrabnet(table, samples, targets, s, { task: "regression", ...SMALL, epochs: 4, batchSize: 5, seed })
    const [a, b, c] = [await run(1), await run(1), await run(2)]
    expect(a.test).toEqual(b.test)
    expect(a.history).toEqual(b.history)
    expect(a.test.map((t) => t.prediction)).not.toEqual(c.test.map((t) => t.prediction))
  }, 120_000)

  it("classification: probabilities in (0, 1), no uncertainty", async () => {
    const { table, samples, targets } = toy(16, 8)
    const labels = targets.map((t) => (t > 100 ? 1 : 0))
    const r = await trainCrabnet(table, samples, labels, split(16), { task: "classification", ...SMALL, epochs: 3, seed: 1 })
    for (const t of r.test) {
      expect(t.prediction).toBeGreaterThan(0)
      expect(t.prediction).toBeLessThan(1)
      expect(t.uncertainty).toBeUndefined()
    }
  }, 60_000)

  it("a table without a needed element is an error naming the element and the table", async () => {
    const { table, samples, targets } = toy(6, 1)
    const withW = [...samples, { symbols: ["W", "Fe"], fractions: [1, 1] }]
    expect(missingSymbols(table, withW)).toEqual([{ symbol: "W", samples: 1 }])
    await expect(trainCrabnet(table, withW, [...targets, 1], split(7), { task: "regression", ...SMALL, epochs: 1, seed: 1 }))
      .rejects.toThrow("table toy has no vector for W (1 formulas)")
  })
})

describe("fused CPU kernels equal the composed ops (stock kernels, 'cpu-ref')", () => {
  beforeAll(async () => {
    await registerReferenceCpuBackend()
  })
  const rand = (n: number, seed: number) => { const r = mulberry32(seed); return Float32Array.from({ length: n }, () => r() * 2 - 1) }
  /** value and gradients of f on backend `name` */
  function run(name: string, f: (xs: tf.Tensor[]) => tf.Tensor, xs: () => tf.Tensor[]): Float32Array[] {
    tf.setBackend(name)
    try {
      return tf.tidy(() => {
        const inputs = xs()
        const dy = tf.tensor(rand(f(inputs).size, 99), f(inputs).shape)
        const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(a), dy)))(inputs)
        return [f(inputs).dataSync().slice() as Float32Array, Float32Array.of(value.dataSync()[0]!), ...grads.map((g) => g.dataSync().slice() as Float32Array)]
      })
    } finally {
      tf.setBackend("cpu")
    }
  }
  const same = (a: Float32Array[], b: Float32Array[], tol: number) => a.forEach((x, i) => expect(relMaxDiff(x, b[i]!), `output ${i}`).toBeLessThan(tol))

  it("layer norm: value and gradients", () => {
    const xs = () => [tf.tensor2d(rand(37 * 24, 1), [37, 24]), tf.tensor1d(rand(24, 2)), tf.tensor1d(rand(24, 3))]
    const f = ([x, g, b]: tf.Tensor[]) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D)
    same(run("cpu", f, xs), run("cpu-ref", f, xs), 1e-5)
  })
  it("self-attention over packed rows with padding and a dropout mask: value and gradient", () => {
    const B = 3, L = 5, H = 2, d = 8
    const real = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    let r = 0
    const packedOf = Int32Array.from(real, (x) => (x ? r++ : -1))
    const drop = dropoutMask(B * H * L * L, 0.3, mulberry32(5))
    for (const mask of [null, drop]) {
      const xs = () => [tf.tensor2d(rand(r * 3 * d, 7), [r, 3 * d])]
      const f = ([x]: tf.Tensor[]) => selfAttention(x as tf.Tensor2D, packedOf, { batch: B, slots: L, heads: H }, mask)
      same(run("cpu", f, xs), run("cpu-ref", f, xs), 1e-5)
    }
  })
  it("self-attention with padding between real slots (the per-element loop, not the per-formula products)", () => {
    const B = 2, L = 4, H = 2, d = 8
    const real = [1, 0, 1, 1, 0, 1, 1, 0]
    let r = 0
    const packedOf = Int32Array.from(real, (x) => (x ? r++ : -1))
    const mask = dropoutMask(B * H * L * L, 0.3, mulberry32(6))
    const xs = () => [tf.tensor2d(rand(r * 3 * d, 8), [r, 3 * d])]
    const f = ([x]: tf.Tensor[]) => selfAttention(x as tf.Tensor2D, packedOf, { batch: B, slots: L, heads: H }, mask)
    same(run("cpu", f, xs), run("cpu-ref", f, xs), 1e-5)
  })
  it("FFN relu → dropout and residual + dropout: value and gradients, bit for bit", () => {
    const xs = () => [tf.tensor2d(rand(29 * 16, 11), [29, 16]), tf.tensor2d(rand(29 * 16, 12), [29, 16])]
    const relu = ([h]: tf.Tensor[]) => reluDropout(h as tf.Tensor2D, 0.25, mulberry32(3))
    const add = ([x, y]: tf.Tensor[]) => addDropout(x as tf.Tensor2D, y as tf.Tensor2D, 0.25, mulberry32(4))
    const hs = () => xs().slice(0, 1)
    const bits = (xs: Float32Array[]) => xs.map((x) => Array.from(x, (v) => v + 0)) // −0 and 0 alike
    expect(bits(run("cpu", relu, hs))).toEqual(bits(run("cpu-ref", relu, hs)))
    expect(bits(run("cpu", add, xs))).toEqual(bits(run("cpu-ref", add, xs)))
    // the mask really drops: about a quarter of relu's positive inputs come out 0
    const h = rand(29 * 16, 11), y = run("cpu", relu, hs)[0]!
    const positive = h.filter((v) => v > 0).length, dropped = h.filter((v, i) => v > 0 && y[i] === 0).length
    expect(dropped / positive).toBeGreaterThan(0.15)
    expect(dropped / positive).toBeLessThan(0.35)
  })
  it("Lamb: two steps of a tensor (and a zero tensor: trust 1)", () => {
    const steps = (name: string) => {
      tf.setBackend(name)
      try {
        const w = tf.variable(tf.tensor1d(rand(300, 4))), z = tf.variable(tf.zeros([7]))
        const lamb = new Lamb([w, z])
        for (let t = 0; t < 2; t++) lamb.step([tf.tensor1d(rand(300, 10 + t)), tf.tensor1d(rand(7, 20 + t))], 3e-3)
        const out = [w.dataSync().slice() as Float32Array, z.dataSync().slice() as Float32Array]
        lamb.dispose()
        tf.dispose([w, z])
        return out
      } finally {
        tf.setBackend("cpu")
      }
    }
    same(steps("cpu"), steps("cpu-ref"), 1e-6)
  })
})
