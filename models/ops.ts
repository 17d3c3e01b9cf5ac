// Graph-network ops shared by CGCNN and MEGNet (thesis §3.2.2; CGCNN: Xie & Grossman 2018,
// doi:10.1103/PhysRevLett.120.145301; MEGNet: Chen et al. 2019, doi:10.1021/acs.chemmater.9b01294).
// Every op is written on tfjs's public API, so a model built from them runs unchanged on any backend
// (cpu, wasm, tfjs-node, tfjs-node-gpu). Each op carries a hand-written gradient: tfjs's stock
// gradients for gather / batch-norm go through Tile and transposed reshapes that dominate a CPU step
// (../shared/bench/cgcnn-step/README.md). Where models/backend/ has registered a fused kernel for the
// active backend (see FusedKernel), the op dispatches to it; otherwise it composes stock ops.
import * as tf from "@tensorflow/tfjs-core"
// tfjs-core alone registers no gradients; the @tensorflow/tfjs bundle does (stock ops inside models need them).
import "@tensorflow/tfjs"

/** Names of the fused kernels models/backend/ may register (per backend). */
export const FusedKernel = {
  batchNormTrain: "GnnBatchNormTrain",
  batchNormGrad: "GnnBatchNormGrad",
  gateForward: "GnnCgcnnGate",
  gateBackward: "GnnCgcnnGateGrad",
  softplusSigmoid: "GnnSoftplusSigmoid",
  denseBias: "DenseBias",
  leakyReluGrad: "LeakyReluGradFused",
  // CrabNet's transformer (models/crabnet/layers.ts)
  layerNorm: "CrabLayerNorm",
  layerNormGrad: "CrabLayerNormGrad",
  attention: "CrabAttention",
  attentionGrad: "CrabAttentionGrad",
  lamb: "CrabLamb",
  reluMask: "CrabReluMask",
  reluMaskGrad: "CrabReluMaskGrad",
  addMasked: "CrabAddMasked",
} as const

export const hasKernel = (name: string): boolean => tf.getKernel(name, tf.getBackend()) !== undefined

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[]
/** tf.customGrad with array-typed inputs (tfjs appends `save` after the inputs). */
export function customOp(
  f: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc
    return f(args.slice(0, -1) as tf.Tensor[], save)
  })
}

/** Running statistics of a batch-norm layer (PyTorch convention: running ← (1−m)·running + m·batch, unbiased variance). */
export interface BatchNormState {
  mean: tf.Variable
  variance: tf.Variable
  momentum: number
}

export const BN_EPSILON = 1e-5

/** x[idx] along rows. Gradient: scatter-add of dy into x's rows (one pass, no Tile/transposes). */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const n = x.shape[0]
  const f = customOp(([xx]) => ({
    value: tf.gather(xx, idx),
    gradFunc: (dy: tf.Tensor) => tf.unsortedSegmentSum(dy as tf.Tensor2D, idx, n),
  }))
  return f(x) as tf.Tensor2D
}

/** Σ of rows of x sharing a segment id (ids need not be sorted). Gradient: dy gathered back. */
export function segmentSum(x: tf.Tensor2D, segmentIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  const f = customOp(([xx]) => ({
    value: tf.unsortedSegmentSum(xx, segmentIds, numSegments),
    gradFunc: (dy: tf.Tensor) => tf.gather(dy as tf.Tensor, segmentIds),
  }))
  return f(x) as tf.Tensor2D
}

/** Row count per segment as a [numSegments, 1] float column (empty segments count 1, so their mean is 0). */
export function segmentCounts(segmentIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  return tf.tidy(() => {
    const ones = tf.ones([segmentIds.shape[0], 1])
    return tf.maximum(tf.unsortedSegmentSum(ones, segmentIds, numSegments), 1) as tf.Tensor2D
  })
}

/** Mean of rows per segment (e.g. mean pooling of atoms into crystals). */
export function segmentMean(
  x: tf.Tensor2D,
  segmentIds: tf.Tensor1D,
  numSegments: number,
  counts?: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => tf.div(segmentSum(x, segmentIds, numSegments), counts ?? segmentCounts(segmentIds, numSegments)))
}

/**
 * tf.leakyRelu with its gradient in one pass where the backend has the kernel (tfjs's own gradient is
 * greater → mul → select, three [T, d] arrays; same values: x > 0 ? dy : dy·α in float32).
 */
export function leakyRelu(x: tf.Tensor2D, alpha: number): tf.Tensor2D {
  if (!hasKernel(FusedKernel.leakyReluGrad)) return tf.leakyRelu(x, alpha)
  const f = customOp(([xx], save) => {
    save([xx!])
    return {
      value: tf.leakyRelu(xx!, alpha),
      gradFunc: (dy, [xs]) => tf.engine().runKernel(FusedKernel.leakyReluGrad, { dy, x: xs! }, { alpha }) as tf.Tensor,
    }
  })
  return f(x) as tf.Tensor2D
}

/** x·w (+ b). Gradients use plain matmuls with explicit transposes flags, plus a column sum for b. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (b === undefined) {
    const f = customOp(([xx, ww], save) => {
      save([xx, ww])
      return {
        value: tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D),
        gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
          tf.matMul(dy as tf.Tensor2D, ws as tf.Tensor2D, false, true),
          tf.matMul(xs as tf.Tensor2D, dy as tf.Tensor2D, true, false),
        ],
      }
    })
    return f(x, w) as tf.Tensor2D
  }
  const fused = hasKernel(FusedKernel.denseBias)
  const f = customOp(([xx, ww, bb], save) => {
    save([xx, ww])
    return {
      // fused: the product accumulates onto the bias rows (one pass, no [T, out] temporary)
      value: fused ? tf.engine().runKernel(FusedKernel.denseBias, { x: xx!, w: ww!, b: bb! }, {}) as tf.Tensor
        : tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb),
      gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
        tf.matMul(dy as tf.Tensor2D, ws as tf.Tensor2D, false, true),
        tf.matMul(xs as tf.Tensor2D, dy as tf.Tensor2D, true, false),
        tf.sum(dy as tf.Tensor, 0),
      ],
    }
  })
  return f(x, w, b) as tf.Tensor2D
}

/** Folds the batch statistics into the running ones (PyTorch BatchNorm1d semantics). */
function updateRunning(state: BatchNormState, mean: tf.Tensor, biasedVar: tf.Tensor, n: number): void {
  tf.tidy(() => {
    const m = state.momentum
    const unbiased = tf.mul(biasedVar, n / Math.max(n - 1, 1))
    state.mean.assign(tf.add(tf.mul(state.mean, 1 - m), tf.mul(mean, m)))
    state.variance.assign(tf.add(tf.mul(state.variance, 1 - m), tf.mul(unbiased, m)))
  })
}

/**
 * Batch normalisation over rows (Ioffe & Szegedy 2015). Training mode uses the batch's biased
 * statistics and updates `state`; the gradient is the closed form
 *   dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ(dy·x̂),  dβ = Σdy
 * (no Tile, one pass per sum). Evaluation mode uses the running statistics.
 */
export function batchNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  training: boolean,
  state: BatchNormState,
): tf.Tensor2D {
  if (!training) {
    return tf.tidy(() => {
      const inv = tf.mul(gamma, tf.rsqrt(tf.add(state.variance, BN_EPSILON)))
      return tf.add(tf.mul(tf.sub(x, state.mean), inv), beta) as tf.Tensor2D
    })
  }
  const n = x.shape[0]
  if (hasKernel(FusedKernel.batchNormTrain) && hasKernel(FusedKernel.batchNormGrad)) {
    const f = customOp(([xx, g, b], save) => {
      const [y, mean, variance, xhat] = tf.engine().runKernel(FusedKernel.batchNormTrain, { x: xx, gamma: g, beta: b }, {
        epsilon: BN_EPSILON,
      }) as tf.Tensor[]
      updateRunning(state, mean!, variance!, n)
      save([xhat!, variance!, g])
      return {
        value: y!,
        gradFunc: (dy: tf.Tensor, [xh, v, gg]: tf.Tensor[]) =>
          tf.engine().runKernel(FusedKernel.batchNormGrad, { dy: dy as tf.Tensor, xhat: xh!, variance: v!, gamma: gg! }, {
            epsilon: BN_EPSILON,
          }) as tf.Tensor[],
      }
    })
    return f(x, gamma, beta) as tf.Tensor2D
  }
  const f = customOp(([xx, g, b], save) => {
    const { mean, variance } = tf.moments(xx, 0)
    updateRunning(state, mean, variance, n)
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON))
    const xhat = tf.mul(tf.sub(xx, mean), invStd)
    save([xhat, invStd, g])
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, [xh, is, gg]: tf.Tensor[]) => {
        const d = dy as tf.Tensor
        const sumDy = tf.sum(d, 0)
        const sumDyXhat = tf.sum(tf.mul(d, xh!), 0)
        const dx = tf.mul(
          tf.div(tf.mul(gg!, is!), n),
          tf.sub(tf.sub(tf.mul(d, n), sumDy), tf.mul(xh!, sumDyXhat)),
        )
        return [dx, sumDyXhat, sumDy]
      },
    }
  })
  return f(x, gamma, beta) as tf.Tensor2D
}

/** log(1 + eˣ). */
export const softplus = (x: tf.Tensor): tf.Tensor => tf.softplus(x)
/** 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: tf.Tensor): tf.Tensor => tf.sigmoid(x)

/**
 * [softplus(x) − shift, σ(x)] in one pass where the backend has the fused kernel (they share exp(−|x|));
 * no gradient: for hand-written gradients of softplus layers, whose derivative is σ.
 */
export function softplusSigmoid(x: tf.Tensor, shift = 0): [tf.Tensor, tf.Tensor] {
  if (hasKernel(FusedKernel.softplusSigmoid)) {
    const [sp, sg] = tf.engine().runKernel(FusedKernel.softplusSigmoid, { x }, { shift }) as tf.Tensor[]
    return [sp!, sg!]
  }
  return [shift === 0 ? tf.softplus(x) : tf.sub(tf.softplus(x), shift), tf.sigmoid(x)]
}

const LN2 = Math.log(2)
/** softplus(x) − ln 2 (MEGNet's activation, Chen et al. 2019), gradient dy·σ(x) from the saved σ. */
export function softplus2(x: tf.Tensor): tf.Tensor {
  const f = customOp(([xx], save) => {
    const [value, sg] = softplusSigmoid(xx!, LN2)
    save([sg!])
    return { value: value!, gradFunc: (dy, [s]) => tf.mul(dy, s!) }
  })
  return f(x)
}

/** Parameters of one CGCNN edge-gating block; columns [0, F) of each weight are the filter head, [F, 2F) the core. */
export interface CgcnnGateParams {
  wSelf: tf.Tensor2D // [Fin, 2F]
  wNbr: tf.Tensor2D // [Fin, 2F]
  wEdge: tf.Tensor2D // [G, 2F]
  bias: tf.Tensor1D // [2F]
  gamma: tf.Tensor1D // [2F] (BatchNorm over edges)
  beta: tf.Tensor1D // [2F]
  state: BatchNormState
}

/**
 * The message half of a CGCNN convolution (Xie & Grossman 2018, eq. 5):
 *   z_ij = v_i·W_self + v_j·W_nbr + u_ij·W_edge + b    (= [v_i, v_j, u_ij]·W + b, split by input block)
 *   ẑ = BN(z);  m_ij = σ(ẑ_filter) ⊙ softplus(ẑ_core);  out_i = Σ_j m_ij
 * Edge e runs from atom src[e] (neighbour j) to atom dst[e] (centre i); the result has one row per atom.
 * Splitting W by input block turns the [E, 2Fin+G] concat-matmul into two [A, Fin] matmuls (A ≪ E).
 */
export function cgcnnGate(
  x: tf.Tensor2D,
  edge: tf.Tensor2D,
  dst: tf.Tensor1D,
  src: tf.Tensor1D,
  p: CgcnnGateParams,
  training: boolean,
): tf.Tensor2D {
  const numAtoms = x.shape[0]
  if (hasKernel(FusedKernel.gateForward) && hasKernel(FusedKernel.gateBackward)) {
    return cgcnnGateFused(x, edge, dst, src, p, training)
  }
  return tf.tidy(() => {
    const z = tf.add(
      tf.add(gatherRows(dense(x, p.wSelf), dst), gatherRows(dense(x, p.wNbr), src)),
      dense(edge, p.wEdge, p.bias),
    ) as tf.Tensor2D
    const zn = batchNorm(z, p.gamma, p.beta, training, p.state)
    const half = zn.shape[1] / 2
    const [filter, core] = [tf.slice(zn, [0, 0], [-1, half]), tf.slice(zn, [0, half], [-1, half])]
    const m = tf.mul(sigmoid(filter), softplus(core)) as tf.Tensor2D
    return segmentSum(m, dst, numAtoms)
  })
}

/**
 * cgcnnGate with the edge-wise part (gather, add, BN, gate, scatter; and its gradient) in one
 * backend kernel; the three matmuls stay tfjs matmuls so the backend's GEMM serves them. Evaluation
 * mode keeps the composed path (no gradient, runs rarely).
 */
function cgcnnGateFused(
  x: tf.Tensor2D,
  edge: tf.Tensor2D,
  dst: tf.Tensor1D,
  src: tf.Tensor1D,
  p: CgcnnGateParams,
  training: boolean,
): tf.Tensor2D {
  if (!training) {
    return tf.tidy(() => {
      const z = tf.add(
        tf.add(tf.gather(tf.matMul(x, p.wSelf), dst), tf.gather(tf.matMul(x, p.wNbr), src)),
        tf.add(tf.matMul(edge, p.wEdge), p.bias),
      ) as tf.Tensor2D
      const zn = batchNorm(z, p.gamma, p.beta, false, p.state)
      const half = zn.shape[1] / 2
      const m = tf.mul(tf.sigmoid(tf.slice(zn, [0, 0], [-1, half])), tf.softplus(tf.slice(zn, [0, half], [-1, half])))
      return tf.unsortedSegmentSum(m, dst, x.shape[0]) as tf.Tensor2D
    })
  }
  const attrs = { epsilon: BN_EPSILON, numAtoms: x.shape[0] }
  const numEdges = edge.shape[0]
  const f = customOp(([xx, wS, wN, wE, bias, gamma, beta], save) => {
    const ps = tf.matMul(xx as tf.Tensor2D, wS as tf.Tensor2D)
    const pn = tf.matMul(xx as tf.Tensor2D, wN as tf.Tensor2D)
    const q = tf.matMul(edge, wE as tf.Tensor2D)
    const [out, mean, variance, xhat, sf, spc, sc] = tf.engine().runKernel(
      FusedKernel.gateForward, { ps, pn, q, bias: bias!, gamma: gamma!, beta: beta!, dst, src }, attrs,
    ) as tf.Tensor[]
    updateRunning(p.state, mean!, variance!, numEdges)
    save([xx!, wS!, wN!, xhat!, sf!, spc!, sc!, gamma!, variance!])
    return {
      value: out!,
      gradFunc: (dy, [xs, ws, wn, xh, sfs, sps, scs, g, v]) => {
        const [dz, dps, dpn, dGamma, dBeta, dBias] = tf.engine().runKernel(
          FusedKernel.gateBackward,
          { dout: dy, xhat: xh!, sf: sfs!, spc: sps!, sc: scs!, gamma: g!, variance: v!, dst, src },
          attrs,
        ) as tf.Tensor2D[]
        const dx = tf.add(tf.matMul(dps!, ws as tf.Tensor2D, false, true), tf.matMul(dpn!, wn as tf.Tensor2D, false, true))
        return [
          dx,
          tf.matMul(xs as tf.Tensor2D, dps!, true, false),
          tf.matMul(xs as tf.Tensor2D, dpn!, true, false),
          tf.matMul(edge, dz!, true, false),
          dBias!, dGamma!, dBeta!,
        ]
      },
    }
  })
  return f(x, p.wSelf, p.wNbr, p.wEdge, p.bias, p.gamma, p.beta) as tf.Tensor2D
}
