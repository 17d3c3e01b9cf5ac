// Set2Set readout (Vinyals, Bengio & Kudlur 2016, arXiv:1511.06391), as DGL's Set2Set used by matgl's
// MEGNet: T steps of an LSTM whose query attends over the set (softmax within each crystal);
// output q* = [q, r] of width 2·d per crystal. An empty set (a crystal without bonds) reads out r = 0.
import * as tf from "@tensorflow/tfjs-core"
import { dense, gatherRows, segmentSum } from "../ops.js"
import type { ParamStore } from "./params.js"

export class Set2Set {
  private readonly wIh: tf.Variable<tf.Rank.R2>
  private readonly wHh: tf.Variable<tf.Rank.R2>
  private readonly bIh: tf.Variable<tf.Rank.R1>
  private readonly bHh: tf.Variable<tf.Rank.R1>

  constructor(params: ParamStore, name: string, private readonly dim: number, private readonly steps: number) {
    // torch.nn.LSTM(2d, d): every weight and bias U(±1/√d); gate order i, f, g, o
    const d = dim
    this.wIh = params.uniform(`${name}.lstm.weight_ih`, [2 * d, 4 * d], d) as tf.Variable<tf.Rank.R2>
    this.wHh = params.uniform(`${name}.lstm.weight_hh`, [d, 4 * d], d) as tf.Variable<tf.Rank.R2>
    this.bIh = params.uniform(`${name}.lstm.bias_ih`, [4 * d], d) as tf.Variable<tf.Rank.R1>
    this.bHh = params.uniform(`${name}.lstm.bias_hh`, [4 * d], d) as tf.Variable<tf.Rank.R1>
  }

  /** x: [rows, d] set members; seg: crystal of each row; returns [numSegments, 2d]. */
  apply(x: tf.Tensor2D, seg: tf.Tensor1D, segIds: Int32Array, numSegments: number): tf.Tensor2D {
    const d = this.dim
    let h = tf.zeros([numSegments, d]) as tf.Tensor2D
    let c = tf.zeros([numSegments, d]) as tf.Tensor2D
    let qStar = tf.zeros([numSegments, 2 * d]) as tf.Tensor2D
    for (let t = 0; t < this.steps; t++) {
      const gates = tf.add(dense(qStar, this.wIh, this.bIh), dense(h, this.wHh, this.bHh)) as tf.Tensor2D
      // column slices, not tf.split: the cpu SplitV kernel is slow even on [N, 4d]
      const [i, f, g, o] = [0, 1, 2, 3].map((k) => tf.slice(gates, [0, k * d], [-1, d]))
      c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D
      h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D
      const q = h
      if (x.shape[0] === 0) {
        qStar = tf.concat([q, tf.zerosLike(q)], 1) as tf.Tensor2D
        continue
      }
      const score = tf.sum(tf.mul(x, gatherRows(q, seg)), 1, true) as tf.Tensor2D // [rows, 1]
      const alpha = segmentSoftmax(score, seg, segIds, numSegments)
      const r = segmentSum(tf.mul(x, alpha) as tf.Tensor2D, seg, numSegments)
      qStar = tf.concat([q, r], 1) as tf.Tensor2D
    }
    return qStar
  }
}

/**
 * Softmax of a [rows, 1] score within each segment. The per-segment maximum is subtracted for
 * stability; it is read back as a constant, which is exact because softmax is shift-invariant.
 */
export function segmentSoftmax(score: tf.Tensor2D, seg: tf.Tensor1D, segIds: Int32Array, numSegments: number): tf.Tensor2D {
  const s = score.dataSync()
  const max = new Float32Array(numSegments).fill(-Infinity)
  for (let k = 0; k < segIds.length; k++) if (s[k]! > max[segIds[k]!]!) max[segIds[k]!] = s[k]!
  const shift = new Float32Array(segIds.length)
  for (let k = 0; k < segIds.length; k++) shift[k] = max[segIds[k]!]!
  const ex = tf.exp(tf.sub(score, tf.tensor2d(shift, [segIds.length, 1]))) as tf.Tensor2D
  const denom = segmentSum(ex, seg, numSegments)
  return tf.div(ex, gatherRows(denom, seg)) as tf.Tensor2D
}
