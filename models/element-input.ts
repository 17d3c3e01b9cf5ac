// The element input shared by CGCNN and MEGNet (thesis §3.2.2 and §4.1.2, Fig. 4.1): two parallel
// channels mapped into one DIM-dimensional latent space and summed element-wise.
//   H (handcrafted): the frozen 92-d CGCNN descriptor (Xie & Grossman 2018) → trainable Linear(92 → DIM)
//   L (learnable):   a trainable lookup table, one DIM-vector per element
//   fused = w_L·L + w_H·H,   γ = log10(w_L / w_H)   (thesis eq. 4.1)
// The thesis fixes only the ratio. We normalise the weights to sum to one,
//   w_L = 10^γ / (1 + 10^γ) = 1 / (1 + 10^−γ),   w_H = 1 / (1 + 10^γ),
// so that the end points are exact: γ = −∞ gives w_L = 0, w_H = 1 (pure H, the L table is not even
// built) and γ = +∞ gives w_L = 1, w_H = 0 (pure L). γ = 0 weighs both channels ½.
// Because every element's vector depends on Z alone, the fused table [nZ, DIM] is computed once per
// step and atoms gather their rows from it (a 92→DIM matmul on ~100 rows, not on every atom).
import * as tf from "@tensorflow/tfjs-core"
import { dense, gatherRows } from "./ops.js"
import type { ParamStore } from "./layers/params.js"

/** A Z-indexed descriptor matrix: row z is element z's handcrafted vector (zeros where unknown). */
export interface DescriptorMatrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float32Array
}

export interface ElementInputSpec {
  /** DIM: width of the shared latent space */
  readonly dim: number
  /** γ = log10(w_L / w_H); −Infinity is pure H, +Infinity pure L */
  readonly gamma: number
  readonly descriptor: DescriptorMatrix
}

/** Channel weights for γ; exact 0/1 at γ = ∓∞ (no NaN: 10^∞ = ∞ and 1/(1+∞) = 0 in IEEE arithmetic). */
export function channelWeights(gamma: number): { wL: number; wH: number } {
  if (Number.isNaN(gamma)) throw new Error("γ must not be NaN")
  return { wL: 1 / (1 + 10 ** -gamma), wH: 1 / (1 + 10 ** gamma) }
}

export class ElementInput {
  readonly wL: number
  readonly wH: number
  readonly dim: number
  private readonly descriptor: tf.Tensor2D | null
  private readonly hWeight: tf.Variable<tf.Rank.R2> | null
  private readonly hBias: tf.Variable<tf.Rank.R1> | null
  private readonly lTable_: tf.Variable<tf.Rank.R2> | null

  constructor(params: ParamStore, spec: ElementInputSpec) {
    const { wL, wH } = channelWeights(spec.gamma)
    this.wL = wL
    this.wH = wH
    this.dim = spec.dim
    const d = spec.descriptor
    if (wH > 0) {
      this.descriptor = tf.tensor2d(d.data, [d.rows, d.cols])
      this.hWeight = params.uniform("element.h.weight", [d.cols, spec.dim], d.cols) as tf.Variable<tf.Rank.R2>
      this.hBias = params.uniform("element.h.bias", [spec.dim], d.cols) as tf.Variable<tf.Rank.R1>
    } else {
      this.descriptor = this.hWeight = this.hBias = null
    }
    this.lTable_ = wL > 0 ? (params.normal("element.l.table", [d.rows, spec.dim]) as tf.Variable<tf.Rank.R2>) : null
  }

  /** Number of Z rows (elements are looked up by atomic number). */
  get rows(): number {
    return (this.descriptor ?? this.lTable_)!.shape[0]
  }

  /** H channel after its projection, [nZ, DIM]; null for pure L. */
  hTable(): tf.Tensor2D | null {
    return this.descriptor ? dense(this.descriptor, this.hWeight!, this.hBias!) : null
  }

  /** L channel, [nZ, DIM]; null for pure H. */
  lTable(): tf.Tensor2D | null {
    return this.lTable_
  }

  /** The fused table the network consumes. At the end points it IS the one channel (no arithmetic). */
  table(): tf.Tensor2D {
    const h = this.hTable()
    const l = this.lTable()
    if (l === null) return h!
    if (h === null) return l
    return tf.add(tf.mul(l, this.wL), tf.mul(h, this.wH)) as tf.Tensor2D
  }

  /** Atom features: the fused row of each atom's Z. */
  embed(z: tf.Tensor1D): tf.Tensor2D {
    return gatherRows(this.table(), z)
  }

  dispose(): void {
    this.descriptor?.dispose()
  }
}
