// CGCNN (Xie & Grossman 2018, doi:10.1103/PhysRevLett.120.145301) with the thesis's element input
// (§3.2.2, §4.1.2): the original `embedding = Linear(92, atom_fea_len)` is replaced by ElementInput,
// so the convolutions run at width DIM. Settings of MatBench's CGCNN (thesis §3.2.2): 3 convolutions,
// 12 nearest neighbours within 8 Å, Gaussian edges 0–8 Å step 0.2 (width 0.2), mean pooling, one
// hidden layer of 128 (softplus before and after conv_to_fc, as in the reference code), linear output.
import * as tf from "@tensorflow/tfjs-core"
import { ElementInput, type ElementInputSpec } from "./element-input.js"
import { arange } from "../numerics/graph/crystal-graph.js"
import type { BatchTensors, GaussianBasis } from "./graph-batch.js"
import { CgcnnConv } from "./layers/cgcnn-conv.js"
import type { ForwardResult, GraphModel } from "./layers/graph-model.js"
import { applyLinear, linear, type Linear } from "./layers/mlp.js"
import { ParamStore } from "./layers/params.js"
import { segmentMean, softplus } from "./ops.js"

export interface CgcnnConfig {
  readonly element: ElementInputSpec
  readonly seed: number
  /** number of convolutions (3) */
  readonly nConv?: number
  /** width of the pooled hidden layer (128) */
  readonly hidden?: number
}

/** GaussianDistance(dmin=0, dmax=8, step=0.2): 41 centres, σ = step. */
export const CGCNN_BASIS: GaussianBasis = { centres: arange(0, 8, 0.2), width: 0.2 }

export class Cgcnn implements GraphModel {
  readonly backbone = "cgcnn" as const
  readonly params: ParamStore
  readonly element: ElementInput
  readonly basis = CGCNN_BASIS
  private readonly convs: CgcnnConv[]
  private readonly convToFc: Linear
  private readonly fcOut: Linear

  constructor(cfg: CgcnnConfig) {
    this.params = new ParamStore(cfg.seed)
    this.element = new ElementInput(this.params, cfg.element)
    const F = cfg.element.dim, G = this.basis.centres.length, H = cfg.hidden ?? 128
    this.convs = Array.from({ length: cfg.nConv ?? 3 }, (_, i) => new CgcnnConv(this.params, `convs.${i}`, F, G))
    this.convToFc = linear(this.params, "conv_to_fc", F, H)
    this.fcOut = linear(this.params, "fc_out", H, 1)
  }

  forward(b: BatchTensors, training: boolean): ForwardResult {
    let v = this.element.embed(b.z)
    const atomLayers: tf.Tensor2D[] = []
    for (const conv of this.convs) {
      v = conv.apply(v, b, training)
      atomLayers.push(v)
    }
    const crystal = segmentMean(v, b.atomCrystal, b.numCrystals, b.atomCounts)
    const h = softplus(applyLinear(softplus(crystal) as tf.Tensor2D, this.convToFc)) as tf.Tensor2D
    return { y: applyLinear(h, this.fcOut), atomLayers }
  }

  dispose(): void {
    this.element.dispose()
    this.params.dispose()
  }
}
