// One MEGNet block (Chen, Ye, Zuo, Zheng & Ong 2019, doi:10.1021/acs.chemmater.9b01294, eqs. 1–6;
// layout of matgl's MEGNetBlock): an optional dense pre-block on e, v, u, then
//   e_k' = φ_e(v_sender ⊕ v_receiver ⊕ e_k ⊕ u)
//   v_i' = φ_v(mean_{k→i} e_k' ⊕ v_i ⊕ u)
//   u'   = φ_u(mean_k e_k' ⊕ mean_i v_i' ⊕ u)
// and residual connections around the block. φ's first layer is split by input block so the
// atom and state parts are multiplied per atom / per crystal and gathered onto edges (same numbers).
import * as tf from "@tensorflow/tfjs-core"
import type { BatchTensors } from "../graph-batch.js"
import { dense, gatherRows, segmentMean } from "../ops.js"
import { biasSoftplus2, MLP } from "./mlp.js"
import type { ParamStore } from "./params.js"

export interface MegnetState {
  readonly e: tf.Tensor2D // [E, d]
  readonly v: tf.Tensor2D // [A, d]
  readonly u: tf.Tensor2D // [N, d]
}

/**
 * φ = MLP over a concatenation of parts (softplus2 after every layer). Its first layer keeps one
 * weight block per part, initialised as torch.nn.Linear(Σ parts) would be; the caller multiplies
 * each part on its own rows (atoms, crystals) and gathers the products onto the output rows.
 */
class Phi {
  private readonly blocks: tf.Variable<tf.Rank.R2>[]
  private readonly bias: tf.Variable<tf.Rank.R1>
  private readonly rest: MLP
  constructor(params: ParamStore, name: string, partDims: readonly number[], hidden: readonly number[]) {
    const fanIn = partDims.reduce((a, b) => a + b, 0)
    this.blocks = partDims.map((d, k) => params.uniform(`${name}.0.weight_${k}`, [d, hidden[0]!], fanIn) as tf.Variable<tf.Rank.R2>)
    this.bias = params.uniform(`${name}.0.bias`, [hidden[0]!], fanIn) as tf.Variable<tf.Rank.R1>
    this.rest = new MLP(params, `${name}.rest`, hidden, true)
  }
  get outDim(): number {
    return this.rest.outDim
  }
  /** part k times its weight block */
  mul(k: number, x: tf.Tensor2D): tf.Tensor2D {
    return dense(x, this.blocks[k]!)
  }
  /** Finishes φ given Σ_k part_k·W_k on the output rows. */
  finish(sum: tf.Tensor2D): tf.Tensor2D {
    return this.rest.apply(biasSoftplus2(sum, this.bias))
  }
}

export class MegnetBlock {
  private readonly pre: { e: MLP; v: MLP; u: MLP } | null
  private readonly phiE: Phi
  private readonly phiV: Phi
  private readonly phiU: Phi

  constructor(params: ParamStore, name: string, dim: number, preHidden: readonly number[] | null, convHidden: readonly number[]) {
    this.pre = preHidden
      ? {
          e: new MLP(params, `${name}.edge_func`, [dim, ...preHidden], true),
          v: new MLP(params, `${name}.node_func`, [dim, ...preHidden], true),
          u: new MLP(params, `${name}.state_func`, [dim, ...preHidden], true),
        }
      : null
    const d = preHidden ? preHidden[preHidden.length - 1]! : dim
    this.phiE = new Phi(params, `${name}.conv.edge_func`, [d, d, d, d], convHidden)
    this.phiV = new Phi(params, `${name}.conv.node_func`, [d, d, d], convHidden)
    this.phiU = new Phi(params, `${name}.conv.state_func`, [d, d, d], convHidden)
  }

  apply(s: MegnetState, b: BatchTensors): MegnetState {
    const e = this.pre ? this.pre.e.apply(s.e) : s.e
    const v = this.pre ? this.pre.v.apply(s.v) : s.v
    const u = this.pre ? this.pre.u.apply(s.u) : s.u

    // φ_e on edges: sender, receiver and state parts are projected per atom / crystal, then gathered
    const pe = this.phiE
    const eNew =
      b.numEdges > 0
        ? this.phiE.finish(
            tf.addN([
              gatherRows(pe.mul(0, v), b.nbr),
              gatherRows(pe.mul(1, v), b.centre),
              pe.mul(2, e),
              gatherRows(pe.mul(3, u), b.edgeCrystal),
            ]) as tf.Tensor2D,
          )
        : (tf.zeros([0, this.phiE.outDim]) as tf.Tensor2D)

    // φ_v on atoms: mean of incoming updated bonds (0 for an isolated atom)
    const pv = this.phiV
    const eMeanAtom = segmentMean(eNew, b.centre, b.numAtoms, b.atomEdgeCounts)
    const vNew = this.phiV.finish(
      tf.addN([pv.mul(0, eMeanAtom), pv.mul(1, v), gatherRows(pv.mul(2, u), b.atomCrystal)]) as tf.Tensor2D,
    )

    // φ_u on crystals: means of the updated bonds and atoms
    const pu = this.phiU
    const eMean = segmentMean(eNew, b.edgeCrystal, b.numCrystals, b.edgeCounts)
    const vMean = segmentMean(vNew, b.atomCrystal, b.numCrystals, b.atomCounts)
    const uNew = this.phiU.finish(tf.addN([pu.mul(0, eMean), pu.mul(1, vMean), pu.mul(2, u)]) as tf.Tensor2D)

    // residuals around the whole block (matgl: skip=True adds the block's inputs)
    return {
      e: tf.add(eNew, s.e) as tf.Tensor2D,
      v: tf.add(vNew, s.v) as tf.Tensor2D,
      u: tf.add(uNew, s.u) as tf.Tensor2D,
    }
  }
}
