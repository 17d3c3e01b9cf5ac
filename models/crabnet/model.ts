// CrabNet (Wang, Kauwe, Murdock & Sparks 2021, npj Comput. Mater. 7, 77, doi:10.1038/s41524-021-00545-1),
// restating crabnet/kingcrab.py at commit 457b4d4 (../shared/bench/crabnet-step/) piece by piece:
//   frozen element table → Linear(feat, d) × 2^emb_scaler                              (L51-77, L163)
//   + fractional encodings: linear in dims [0, d/2), log in [d/2, d), × 2^((1−s)²)      (L81-126, L169-174)
//   → N × TransformerEncoderLayer(d, heads, ffn, dropout 0.1; post-norm, ReLU), key-padding mask
//   → padded rows zeroed → residual network (Roost's: d → 1024 → 512 → 256 → 128 → 3) at every slot
//   → masked mean over the formula's elements, (value, log σ, gate): value·sigmoid(gate), log σ  (L226-241)
// A [B, L] batch (L = its largest element count) is computed on its real slots only, packed into [R, ·]
// rows (padding changes nothing in kingcrab.py either: masked keys, zeroed rows, masked mean; tested).
import * as tf from "@tensorflow/tfjs-core"
import type { Random } from "../../numerics/random.js"
import { customOp, dense, leakyRelu } from "../ops.js"
import { type Linear, linear } from "../layers/mlp.js"
import { ParamStore } from "../layers/params.js"
import { fractionalTable } from "./fractional.js"
import { addDropout, dropoutMask, layerNorm, reluDropout, selfAttention } from "./layers.js"

export interface CrabnetSize {
  /** d_model (CrabNet: 512) */
  readonly dModel: number
  /** attention heads (4) */
  readonly heads: number
  /** encoder layers N (3) */
  readonly layers: number
  /** feed-forward width (PyTorch's dim_feedforward: 2048) */
  readonly ffn: number
  /** residual output network's hidden widths (Roost's: 1024, 512, 256, 128) */
  readonly outHidden?: readonly number[]
  /** dropout of every transformer dropout (0.1); 0 turns it off (the PyTorch check) */
  readonly dropout?: number
}

export const ROOST_HIDDEN = [1024, 512, 256, 128] as const
/** CrabNet's output (value, log σ, gate logit) */
const OUT_DIMS = 3

/** One batch on the host: B formulas × L slots, slot 0 real, padding after the real elements. */
export interface CrabnetBatch {
  readonly batch: number
  readonly slots: number
  /** row of the model's table per slot (0 = the zero padding row), [B·L] */
  readonly rows: Int32Array
  /** fraction per slot (0 on padding), [B·L] */
  readonly frac: Float32Array
  /** fractional-table rows, linear and log encodings, [B·L] */
  readonly linearRows: Int32Array
  readonly logRows: Int32Array
}

interface EncoderLayer {
  inProj: Linear
  outProj: Linear
  linear1: Linear
  linear2: Linear
  norm1: { w: tf.Variable<tf.Rank.R1>; b: tf.Variable<tf.Rank.R1> }
  norm2: { w: tf.Variable<tf.Rank.R1>; b: tf.Variable<tf.Rank.R1> }
}

/**
 * x[idx] along rows, gradient scattered back (ops.ts gatherRows, but with idx an input: the gradient runs
 * after forward's tidy has disposed what the forward made, except saved inputs).
 */
function lookup(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const n = x.shape[0]
  const f = customOp(([xx, i], save) => {
    save([i!])
    return { value: tf.gather(xx!, i!), gradFunc: (dy, [ii]) => [tf.unsortedSegmentSum(dy, ii as tf.Tensor1D, n), tf.zerosLike(ii!)] }
  })
  return f(x, idx) as tf.Tensor2D
}

export class CrabnetModel {
  readonly params: ParamStore
  readonly embScaler: tf.Variable
  readonly posScaler: tf.Variable
  readonly posScalerLog: tf.Variable
  readonly embed: Linear
  readonly layers: EncoderLayer[]
  readonly fcs: Linear[]
  readonly resFcs: tf.Variable<tf.Rank.R2>[]
  readonly fcOut: Linear
  readonly dropoutRate: number
  /** frozen: [1 + rows, feat], row 0 zeros (CrabNet prepends it, kingcrab.py L72-75); not a variable */
  private readonly table: tf.Tensor2D
  private readonly pe: tf.Tensor2D
  private readonly ple: tf.Tensor2D

  constructor(
    readonly size: CrabnetSize,
    /** element vectors, row-major [rows, feat]; the model's row r + 1 is vectors' row r */
    vectors: Float32Array,
    readonly feat: number,
    seed: number,
  ) {
    const { dModel: d, heads, layers, ffn } = size
    if (d % 2 !== 0 || d % heads !== 0) throw new Error(`crabnet: d_model ${d} must be even and divisible by heads ${heads}`)
    this.dropoutRate = size.dropout ?? 0.1
    const p = (this.params = new ParamStore(seed))
    // creation order = PyTorch's named_parameters() order (the optimiser visits tensors in this order)
    this.embScaler = p.constant("encoder.emb_scaler", [1], 1)
    this.posScaler = p.constant("encoder.pos_scaler", [1], 1)
    this.posScalerLog = p.constant("encoder.pos_scaler_log", [1], 1)
    this.embed = linear(p, "encoder.embed.fc_mat2vec", feat, d)
    // nn.TransformerEncoder deep-copies one layer: all N start from the same weights (shared streams).
    // MHA: in_proj xavier_uniform, biases 0, out_proj weight Linear's default; LayerNorm 1 / 0.
    const lin = (name: string, stream: string, fanIn: number, fanOut: number, bias: "zero" | "default"): Linear => ({
      w: p.uniformBound(`${name}.weight`, [fanIn, fanOut], 1 / Math.sqrt(fanIn), `${stream}.weight`) as tf.Variable<tf.Rank.R2>,
      b: (bias === "zero" ? p.constant(`${name}.bias`, [fanOut], 0)
        : p.uniformBound(`${name}.bias`, [fanOut], 1 / Math.sqrt(fanIn), `${stream}.bias`)) as tf.Variable<tf.Rank.R1>,
    })
    this.layers = Array.from({ length: layers }, (_, i) => {
      const n = `encoder.transformer_encoder.layers.${i}`, s = "encoder.transformer_encoder.layer"
      const norm = (k: string) => ({
        w: p.constant(`${n}.${k}.weight`, [d], 1) as tf.Variable<tf.Rank.R1>,
        b: p.constant(`${n}.${k}.bias`, [d], 0) as tf.Variable<tf.Rank.R1>,
      })
      return {
        inProj: {
          w: p.uniformBound(`${n}.self_attn.in_proj_weight`, [d, 3 * d], Math.sqrt(6 / (d + 3 * d)), `${s}.self_attn.in_proj_weight`) as tf.Variable<tf.Rank.R2>,
          b: p.constant(`${n}.self_attn.in_proj_bias`, [3 * d], 0) as tf.Variable<tf.Rank.R1>,
        },
        outProj: lin(`${n}.self_attn.out_proj`, `${s}.self_attn.out_proj`, d, d, "zero"),
        linear1: lin(`${n}.linear1`, `${s}.linear1`, d, ffn, "default"),
        linear2: lin(`${n}.linear2`, `${s}.linear2`, ffn, d, "default"),
        norm1: norm("norm1"),
        norm2: norm("norm2"),
      }
    })
    const dims = [d, ...(size.outHidden ?? ROOST_HIDDEN)]
    this.fcs = dims.slice(1).map((o, i) => linear(p, `output_nn.fcs.${i}`, dims[i]!, o))
    // Roost's res_fc: bias-free Linear where the width changes, identity otherwise (kingcrab.py L35-38)
    this.resFcs = dims.slice(1).flatMap((o, i) =>
      o === dims[i] ? [] : [p.uniform(`output_nn.res_fcs.${i}.weight`, [dims[i]!, o], dims[i]!) as tf.Variable<tf.Rank.R2>])
    this.fcOut = linear(p, "output_nn.fc_out", dims[dims.length - 1]!, OUT_DIMS)
    const rows = vectors.length / feat
    const t = new Float32Array((rows + 1) * feat)
    t.set(vectors, feat)
    this.table = tf.tensor2d(t, [rows + 1, feat])
    this.pe = tf.tensor2d(fractionalTable(d / 2), [5000, d / 2])
    this.ple = tf.tensor2d(fractionalTable(d / 2), [5000, d / 2])
  }

  /**
   * (prediction, log σ) per formula, [B] each, in scaled target units. `rng` draws the dropout masks in
   * training; null = evaluation (no dropout).
   */
  forward(b: CrabnetBatch, rng: Random | null): { prediction: tf.Tensor1D; logStd: tf.Tensor1D } {
    const { batch: B, slots: L } = b
    const d = this.size.dModel, H = this.size.heads
    const p = rng === null ? 0 : this.dropoutRate
    const drop = rng === null || p === 0 ? null : rng
    // Only real slots are computed, packed formula after formula: kingcrab.py computes the padded ones too,
    // but masks them out of every real slot's attention (key mask from frac ≠ 0, L165-167), zeroes them after
    // the encoder (L186-188) and leaves them out of the mean (src ≠ 0, L229), so they change no number.
    const packedOf = new Int32Array(B * L).fill(-1), slot: number[] = [], formula: number[] = []
    const count = new Float32Array(B)
    for (let s = 0; s < B * L; s++) {
      if ((b.frac[s] !== 0) !== (b.rows[s] !== 0)) throw new Error(`crabnet: slot ${s} has element row ${b.rows[s]} but fraction ${b.frac[s]}`)
      if (b.frac[s] === 0) continue
      packedOf[s] = slot.length
      slot.push(s)
      formula.push(Math.floor(s / L))
      count[Math.floor(s / L)]!++
    }
    const pick = (a: Int32Array) => tf.tensor1d(Int32Array.from(slot, (s) => a[s]!), "int32")
    return tf.tidy(() => {
      const two = tf.scalar(2)
      // Linear on the table's rows, then the lookup: the same numbers as projecting every slot (row by row),
      // for (table rows)/(B·L) of the work — the table is frozen, so its own gradient is never needed
      const emb = lookup(dense(this.table, this.embed.w, this.embed.b), pick(b.rows))
      let x = tf.mul(emb, tf.pow(two, this.embScaler)) as tf.Tensor2D
      const scale = (s: tf.Variable) => tf.pow(two, tf.square(tf.sub(1, s))) // 2**(1-s)**2: Python's precedence
      const pe = tf.mul(tf.gather(this.pe, pick(b.linearRows)), scale(this.posScaler))
      const ple = tf.mul(tf.gather(this.ple, pick(b.logRows)), scale(this.posScalerLog))
      x = tf.add(x, tf.concat([pe, ple], 1)) as tf.Tensor2D
      for (const l of this.layers) {
        const qkv = dense(x, l.inProj.w, l.inProj.b)
        const attn = selfAttention(qkv, packedOf, { batch: B, slots: L, heads: H }, drop && dropoutMask(B * H * L * L, p, drop))
        const sa = dense(attn, l.outProj.w, l.outProj.b)
        x = layerNorm(addDropout(x, sa, p, drop), l.norm1.w, l.norm1.b)
        const ff = dense(reluDropout(dense(x, l.linear1.w, l.linear1.b), p, drop), l.linear2.w, l.linear2.b)
        x = layerNorm(addDropout(x, ff, p, drop), l.norm2.w, l.norm2.b)
      }
      let r = 0
      for (const fc of this.fcs) {
        const res = fc.w.shape[0] === fc.w.shape[1] ? x : dense(x, this.resFcs[r++]!)
        x = tf.add(leakyRelu(dense(x, fc.w, fc.b), 0.01), res) as tf.Tensor2D
      }
      const out = dense(x, this.fcOut.w, this.fcOut.b) // [R, 3]
      const sum = tf.unsortedSegmentSum(out, tf.tensor1d(Int32Array.from(formula), "int32"), B)
      const mean = tf.div(sum, tf.tensor2d(count, [B, 1])) as tf.Tensor2D
      const [value, logStd, gate] = tf.split(mean, 3, 1) as tf.Tensor2D[]
      return {
        prediction: tf.reshape(tf.mul(value!, tf.sigmoid(gate!)), [B]) as tf.Tensor1D,
        logStd: tf.reshape(logStd!, [B]) as tf.Tensor1D,
      }
    })
  }

  /**
   * Sets every parameter from a PyTorch state_dict of kingcrab.py's CrabNet (same names); nn.Linear
   * weights are (out, in) there and [in, out] here. Buffers and the frozen table are not parameters.
   */
  loadTorchState(get: (name: string) => Float32Array | undefined): void {
    for (const [name, v] of this.params.named) {
      const t = get(name)
      if (t === undefined) throw new Error(`crabnet: state has no ${name}`)
      if (t.length !== v.size) throw new Error(`crabnet: ${name} has ${t.length} values, expected ${v.size}`)
      if (v.rank === 2) {
        const [i, o] = v.shape as [number, number]
        const w = new Float32Array(i * o)
        for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) w[c * o + r] = t[r * i + c]!
        v.assign(tf.tensor2d(w, [i, o]))
      } else v.assign(tf.tensor(t, v.shape))
    }
  }

  /** The frozen table's values (row 0 = padding), for the test that training leaves it bit-identical. */
  tableValues(): Float32Array {
    return this.table.dataSync().slice() as Float32Array
  }

  dispose(): void {
    this.params.dispose()
    for (const t of [this.table, this.pe, this.ple]) t.dispose()
  }
}
