// Dense layers and MLPs on models/ops.ts's `dense` (hand-written gradients), PyTorch-initialised.
import * as tf from "@tensorflow/tfjs-core"
import { dense, softplus, softplusSigmoid } from "../ops.js"
import type { ParamStore } from "./params.js"

export interface Linear {
  readonly w: tf.Variable<tf.Rank.R2>
  readonly b: tf.Variable<tf.Rank.R1>
}

/** torch.nn.Linear(fanIn, fanOut): weight and bias U(±1/√fanIn); weight stored [in, out]. */
export function linear(params: ParamStore, name: string, fanIn: number, fanOut: number): Linear {
  return {
    w: params.uniform(`${name}.weight`, [fanIn, fanOut], fanIn) as tf.Variable<tf.Rank.R2>,
    b: params.uniform(`${name}.bias`, [fanOut], fanIn) as tf.Variable<tf.Rank.R1>,
  }
}

export const applyLinear = (x: tf.Tensor2D, l: Linear): tf.Tensor2D => dense(x, l.w, l.b)

const LN2 = Math.log(2)
/** softplus(x) − ln 2: zero at zero (MEGNet's activation, Chen et al. 2019). */
export const softplus2 = (x: tf.Tensor): tf.Tensor => tf.sub(softplus(x), LN2)

/** Σ over rows as a [1, rows]·[rows, F] product: tfjs's cpu Sum over axis 0 transposes its input first. */
const colSum = (x: tf.Tensor2D): tf.Tensor1D => tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]])

/**
 * softplus2(x·w + b) with a hand-written gradient (dz = dy ⊙ σ(z); dx = dz·wᵀ; dw = xᵀ·dz;
 * db = Σ dz): about half the kernels of the composed ops' gradient, which is what MEGNet's
 * edge-sized MLPs spend their time on.
 */
export function denseSoftplus2(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xx, ww, bb] = args as tf.Tensor2D[]
    const save = args[3] as tf.GradSaveFunc
    const z = tf.add(tf.matMul(xx!, ww!), bb!)
    // value and σ in one pass where the backend has the fused kernel (they share exp(−|z|))
    const [value, sig] = softplusSigmoid(z, LN2)
    save([xx!, ww!, sig!])
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, sg] = saved as tf.Tensor2D[]
        const dz = tf.mul(dy, sg!) as tf.Tensor2D
        return [tf.matMul(dz, ws!, false, true), tf.matMul(xs!, dz, true, false), colSum(dz)]
      },
    }
  })
  return f(x, w, b) as tf.Tensor2D
}

/** softplus2(z + b) with the same hand-written gradient (dz = dy ⊙ σ(z + b); db = Σ dz). */
export function biasSoftplus2(z: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [zz, bb] = args as tf.Tensor2D[]
    const save = args[2] as tf.GradSaveFunc
    const zb = tf.add(zz!, bb!)
    const [value, sig] = softplusSigmoid(zb, LN2)
    save([sig!])
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, [sg]: tf.Tensor[]) => {
        const dz = tf.mul(dy, sg!) as tf.Tensor2D
        return [dz, colSum(dz)]
      },
    }
  })
  return f(z, b) as tf.Tensor2D
}

/** MEGNet's MLP: dims = [in, h1, …, out], softplus2 after every layer (the last only if activateLast). */
export class MLP {
  readonly layers: Linear[]
  constructor(
    params: ParamStore,
    name: string,
    readonly dims: readonly number[],
    private readonly activateLast: boolean,
  ) {
    this.layers = dims.slice(1).map((out, i) => linear(params, `${name}.${i}`, dims[i]!, out))
  }

  get outDim(): number {
    return this.dims[this.dims.length - 1]!
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x
    this.layers.forEach((l, i) => {
      h = i < this.layers.length - 1 || this.activateLast ? denseSoftplus2(h, l.w, l.b) : applyLinear(h, l)
    })
    return h
  }
}
