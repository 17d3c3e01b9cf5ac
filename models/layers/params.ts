// Named, seeded model parameters. Every tensor is drawn from its own random stream keyed by
// (seed, name), so a parameter's initial value does not depend on which other parameters exist:
// a pure-H model and a γ = −∞ hybrid start from the very same H weights (test: element-input.test.ts),
// and adding a layer does not reshuffle the others. PyTorch's defaults are reproduced in
// distribution (not bit for bit): Linear U(±1/√fan_in) for weight and bias, Embedding N(0, 1).
import * as tf from "@tensorflow/tfjs-core"
import type { BatchNormState } from "../ops.js"

import { mulberry32 } from "../../numerics/random.js"

export { mulberry32 }

/** FNV-1a of a string mixed with the seed: the stream id of one parameter. */
export function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h
}

export class ParamStore {
  /** trainable parameters in creation order (the optimiser's var list) */
  readonly trainable: tf.Variable[] = []
  /** every variable incl. batch-norm running statistics (snapshots for early stopping) */
  readonly all: tf.Variable[] = []
  /** every variable by its name (loading weights written by another implementation) */
  readonly named = new Map<string, tf.Variable>()

  constructor(readonly seed: number) {}

  private add(name: string, values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
    if (this.named.has(name)) throw new Error(`duplicate parameter name ${name}`)
    const v = tf.variable(tf.tensor(values, shape, "float32"), trainable, `${name}_${this.seed}_${uid++}`)
    this.named.set(name, v)
    this.all.push(v)
    if (trainable) this.trainable.push(v)
    return v
  }

  private rng(name: string): () => number {
    return mulberry32(streamSeed(this.seed, name))
  }

  /** U(−b, b) with b = 1/√fanIn (torch.nn.Linear's default for weight and bias). */
  uniform(name: string, shape: number[], fanIn: number): tf.Variable {
    return this.uniformBound(name, shape, 1 / Math.sqrt(fanIn))
  }

  /**
   * U(−bound, bound) drawn from the stream of `stream` (default: the name). Modules PyTorch clones
   * (nn.TransformerEncoder deep-copies one layer N times) pass one stream, so the clones start equal.
   */
  uniformBound(name: string, shape: number[], bound: number, stream = name): tf.Variable {
    const r = this.rng(stream)
    const n = shape.reduce((a, c) => a * c, 1)
    const v = new Float32Array(n)
    for (let i = 0; i < n; i++) v[i] = (2 * r() - 1) * bound
    return this.add(name, v, shape, true)
  }

  /** N(0, 1) via Box–Muller (torch.nn.Embedding's default). */
  normal(name: string, shape: number[]): tf.Variable {
    const r = this.rng(name)
    const n = shape.reduce((a, c) => a * c, 1)
    const v = new Float32Array(n)
    for (let i = 0; i < n; i++) v[i] = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
    return this.add(name, v, shape, true)
  }

  constant(name: string, shape: number[], value: number, trainable = true): tf.Variable {
    const n = shape.reduce((a, c) => a * c, 1)
    return this.add(name, new Float32Array(n).fill(value), shape, trainable)
  }

  /** PyTorch BatchNorm1d state: running mean 0, running variance 1, momentum 0.1. */
  batchNormState(name: string, n: number): BatchNormState {
    return {
      mean: this.constant(`${name}.running_mean`, [n], 0, false),
      variance: this.constant(`${name}.running_var`, [n], 1, false),
      momentum: 0.1,
    }
  }

  /** Copies of every variable's values (early stopping keeps the best epoch's). */
  snapshot(): Float32Array[] {
    return this.all.map((v) => v.dataSync().slice() as Float32Array)
  }

  restore(values: Float32Array[]): void {
    tf.tidy(() => this.all.forEach((v, i) => v.assign(tf.tensor(values[i]!, v.shape, "float32"))))
  }

  dispose(): void {
    for (const v of this.all) v.dispose()
  }
}
let uid = 0
