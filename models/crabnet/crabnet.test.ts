// The port against the PyTorch original (fixtures/crabnet-small, written by fixtures/make_fixture.py from
// the unchanged kingcrab.py / utils code), the fractional encoder and the padding masks against hand-worked
// cases, and training invariants (overfitting, frozen table, determinism).
import { fileURLToPath } from "node:url"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "../backend/runtime/backend.js"
import { mulberry32 } from "../../numerics/random.js"
import { FRACTION_RESOLUTION, fractionalTable, linearRow, logRow, roundHalfEven } from "./fractional.js"
import { type CrabnetBatch, CrabnetModel } from "./model.js"
import { cyclicLr, Swa } from "./optim.js"
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
  // relative per operation, amplified by the network's depth to ~1e-6; 2e-5 leaves room without hiding a bug
  // (a wrong mask, scale or transposition changes values by ≥ 1e-2).
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
      expect(relMaxDiff(torchLayout(g), ref), name).toBeLessThan(1e-4)
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
    losses.forEach((l, t) => expect(Math.abs(l - meta.losses[t]!) / Math.abs(meta.losses[t]!), `step ${t + 1}`).toBeLessThan(1e-4))
    const swa = new Swa(model.params.trainable)
    swa.update(1.0)
    swa.update(1.005)
    swa.swap()
    for (const n of ["encoder.emb_scaler", "encoder.pos_scaler", "encoder.transformer_encoder.layers.0.self_attn.in_proj_weight",
      "encoder.transformer_encoder.layers.2.norm2.weight", "output_nn.fcs.0.bias", "output_nn.fc_out.weight"]) {
      expect(relMaxDiff(torchLayout(model.params.named.get(n)!), fx.f32(`after/${n}`)), n).toBeLessThan(1e-4)
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
