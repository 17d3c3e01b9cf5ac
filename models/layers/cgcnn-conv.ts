// One CGCNN convolution (Xie & Grossman 2018, doi:10.1103/PhysRevLett.120.145301, eq. 5; the
// reference code's ConvLayer):
//   z_ij = [v_i, v_j, u_ij]·W + b → BatchNorm → σ(z_filter) ⊙ softplus(z_core), summed over j
//   v_i' = softplus(v_i + BatchNorm(Σ_j …))
// The [v_i, v_j, u_ij]·W product is computed block-wise by ops.cgcnnGate (same numbers, fewer flops).
import * as tf from "@tensorflow/tfjs-core"
import { batchNorm, type BatchNormState, cgcnnGate, type CgcnnGateParams, softplus } from "../ops.js"
import type { BatchTensors } from "../graph-batch.js"
import type { ParamStore } from "./params.js"

export class CgcnnConv {
  private readonly gate: CgcnnGateParams
  private readonly bnGamma: tf.Variable<tf.Rank.R1>
  private readonly bnBeta: tf.Variable<tf.Rank.R1>
  private readonly bnState: BatchNormState

  constructor(params: ParamStore, name: string, atomDim: number, edgeDim: number) {
    const F = atomDim
    const fanIn = 2 * F + edgeDim // torch.nn.Linear(2F + G, 2F), split into its three input blocks
    this.gate = {
      wSelf: params.uniform(`${name}.fc_full.weight_self`, [F, 2 * F], fanIn) as tf.Variable<tf.Rank.R2>,
      wNbr: params.uniform(`${name}.fc_full.weight_nbr`, [F, 2 * F], fanIn) as tf.Variable<tf.Rank.R2>,
      wEdge: params.uniform(`${name}.fc_full.weight_edge`, [edgeDim, 2 * F], fanIn) as tf.Variable<tf.Rank.R2>,
      bias: params.uniform(`${name}.fc_full.bias`, [2 * F], fanIn) as tf.Variable<tf.Rank.R1>,
      gamma: params.constant(`${name}.bn1.weight`, [2 * F], 1) as tf.Variable<tf.Rank.R1>,
      beta: params.constant(`${name}.bn1.bias`, [2 * F], 0) as tf.Variable<tf.Rank.R1>,
      state: params.batchNormState(`${name}.bn1`, 2 * F),
    }
    this.bnGamma = params.constant(`${name}.bn2.weight`, [F], 1) as tf.Variable<tf.Rank.R1>
    this.bnBeta = params.constant(`${name}.bn2.bias`, [F], 0) as tf.Variable<tf.Rank.R1>
    this.bnState = params.batchNormState(`${name}.bn2`, F)
  }

  apply(v: tf.Tensor2D, b: BatchTensors, training: boolean): tf.Tensor2D {
    // A batch without any edge has nothing to aggregate (and no statistics for the edge BatchNorm).
    const summed =
      b.numEdges > 0 ? cgcnnGate(v, b.edge, b.centre, b.nbr, this.gate, training) : tf.zerosLike(v)
    return softplus(tf.add(v, batchNorm(summed as tf.Tensor2D, this.bnGamma, this.bnBeta, training, this.bnState))) as tf.Tensor2D
  }
}
