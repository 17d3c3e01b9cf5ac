// MEGNet (Chen, Ye, Zuo, Zheng & Ong 2019, doi:10.1021/acs.chemmater.9b01294), laid out as matgl's
// MEGNet (src/matgl/models/_megnet.py) with the thesis's settings (§3.2.2) and element input (§4.1.2):
//   element input (ElementInput, DIM) → node encoder MLP [64, 32]
//   Gaussian bond basis (25 centres, width 0.4; cutoff 4 Å) → edge encoder MLP [64, 32]
//   state input 0 (two zeros per crystal, matgl's default) → state encoder MLP [64, 32]
//   3 MEGNet blocks (dense pre-blocks [64, 32] from the second on; φ_e, φ_v, φ_u = [64, 64, 32]; residuals)
//   Set2Set (T = 3) over atoms and over bonds, ⊕ state → MLP [32, 16] → 1; softplus2 throughout.
import * as tf from "@tensorflow/tfjs-core"
import { ElementInput, type ElementInputSpec } from "./element-input.js"
import { linspace } from "../numerics/graph/crystal-graph.js"
import type { BatchTensors, GaussianBasis } from "./graph-batch.js"
import type { ForwardResult, GraphModel } from "./layers/graph-model.js"
import { MegnetBlock, type MegnetState } from "./layers/megnet-block.js"
import { MLP } from "./layers/mlp.js"
import { ParamStore } from "./layers/params.js"
import { Set2Set } from "./layers/set2set.js"

export interface MegnetConfig {
  readonly element: ElementInputSpec
  readonly seed: number
  readonly nBlocks?: number
  readonly set2setSteps?: number
}

/** 25 Gaussian centres of width 0.4 Å spread over [0, cutoff] = [0, 4] Å (thesis §3.2.2; matgl spreads them to cutoff + 1). */
export const MEGNET_BASIS: GaussianBasis = { centres: linspace(0, 4, 25), width: 0.4 }
/** Width of the state input (matgl's default state for crystals: [0, 0]). */
const STATE_DIM = 2

export class Megnet implements GraphModel {
  readonly backbone = "megnet" as const
  readonly params: ParamStore
  readonly element: ElementInput
  readonly basis = MEGNET_BASIS
  private readonly edgeEncoder: MLP
  private readonly nodeEncoder: MLP
  private readonly stateEncoder: MLP
  private readonly blocks: MegnetBlock[]
  private readonly nodeS2s: Set2Set
  private readonly edgeS2s: Set2Set
  private readonly output: MLP

  constructor(cfg: MegnetConfig) {
    const pre = [64, 32], conv = [64, 64, 32], d = 32
    this.params = new ParamStore(cfg.seed)
    this.element = new ElementInput(this.params, cfg.element)
    const p = this.params
    this.edgeEncoder = new MLP(p, "edge_encoder", [this.basis.centres.length, ...pre], true)
    this.nodeEncoder = new MLP(p, "node_encoder", [cfg.element.dim, ...pre], true)
    this.stateEncoder = new MLP(p, "state_encoder", [STATE_DIM, ...pre], true)
    this.blocks = Array.from(
      { length: cfg.nBlocks ?? 3 },
      (_, i) => new MegnetBlock(p, `blocks.${i}`, d, i === 0 ? null : pre, conv),
    )
    const T = cfg.set2setSteps ?? 3
    this.nodeS2s = new Set2Set(p, "node_s2s", d, T)
    this.edgeS2s = new Set2Set(p, "edge_s2s", d, T)
    this.output = new MLP(p, "output_proj", [2 * d + 2 * d + d, 32, 16, 1], false)
  }

  forward(b: BatchTensors, training: boolean): ForwardResult {
    void training // no batch-norm or dropout in MEGNet
    let s: MegnetState = {
      e: this.edgeEncoder.apply(b.edge),
      v: this.nodeEncoder.apply(this.element.embed(b.z)),
      u: this.stateEncoder.apply(tf.zeros([b.numCrystals, STATE_DIM]) as tf.Tensor2D),
    }
    const atomLayers: tf.Tensor2D[] = []
    for (const block of this.blocks) {
      s = block.apply(s, b)
      atomLayers.push(s.v)
    }
    const vec = tf.concat(
      [
        this.nodeS2s.apply(s.v, b.atomCrystal, b.host.atomCrystal, b.numCrystals),
        this.edgeS2s.apply(s.e, b.edgeCrystal, b.host.edgeCrystal, b.numCrystals),
        s.u,
      ],
      1,
    ) as tf.Tensor2D
    return { y: this.output.apply(vec), atomLayers }
  }

  dispose(): void {
    this.element.dispose()
    this.params.dispose()
  }
}
