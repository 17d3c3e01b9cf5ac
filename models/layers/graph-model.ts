// What the training loop needs from a backbone (CGCNN or MEGNet).
import type * as tf from "@tensorflow/tfjs-core"
import type { ElementInput } from "../element-input.js"
import type { BatchTensors, GaussianBasis } from "../graph-batch.js"
import type { ParamStore } from "./params.js"

export type Backbone = "cgcnn" | "megnet"

export interface ForwardResult {
  /** standardised prediction per crystal [N, 1] */
  readonly y: tf.Tensor2D
  /** atom features after each message-passing layer [A, F_l] (thesis §3.2.4) */
  readonly atomLayers: readonly tf.Tensor2D[]
}

export interface GraphModel {
  readonly backbone: Backbone
  readonly params: ParamStore
  readonly element: ElementInput
  /** Gaussian basis the model's edges are expanded in */
  readonly basis: GaussianBasis
  forward(b: BatchTensors, training: boolean): ForwardResult
  dispose(): void
}
