// The transformer pieces CrabNet takes from PyTorch (nn.TransformerEncoderLayer, torch 1.13 semantics):
// layer norm over features, multi-head self-attention with a key-padding mask, dropout with seeded masks.
// Written on tfjs's public API (any backend); where models/backend/runtime has registered a fused kernel
// for the active backend (FusedKernel.layerNorm*, attention*), the op dispatches to it.
import * as tf from "@tensorflow/tfjs-core"
import { customOp, FusedKernel, hasKernel } from "../ops.js"
import { bernoulli, type Random } from "../../numerics/random.js"

export const LN_EPSILON = 1e-5

/**
 * Layer norm over the last axis of [T, d] (nn.LayerNorm(d), eps 1e-5, biased variance). Hand-written
 * gradient: dx = σ⁻¹/d·(d·ĝ − Σĝ − x̂·Σ(ĝ·x̂)) with ĝ = dy·γ; dγ = Σ_rows dy·x̂; dβ = Σ_rows dy.
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  if (hasKernel(FusedKernel.layerNorm) && hasKernel(FusedKernel.layerNormGrad)) {
    const f = customOp(([xx, g, b], save) => {
      const [y, xhat, rstd] = tf.engine().runKernel(FusedKernel.layerNorm, { x: xx!, gamma: g!, beta: b! }, { epsilon: LN_EPSILON }) as tf.Tensor[]
      save([xhat!, rstd!, g!])
      return {
        value: y!,
        gradFunc: (dy, [xh, rs, gg]) =>
          tf.engine().runKernel(FusedKernel.layerNormGrad, { dy, xhat: xh!, rstd: rs!, gamma: gg! }, {}) as tf.Tensor[],
      }
    })
    return f(x, gamma, beta) as tf.Tensor2D
  }
  const d = x.shape[1]
  const f = customOp(([xx, g, b], save) => {
    const { mean, variance } = tf.moments(xx!, 1, true)
    const rstd = tf.rsqrt(tf.add(variance, LN_EPSILON))
    const xhat = tf.mul(tf.sub(xx!, mean), rstd)
    save([xhat, rstd, g!])
    return {
      value: tf.add(tf.mul(xhat, g!), b!),
      gradFunc: (dy, [xh, rs, gg]) => {
        const gh = tf.mul(dy, gg!)
        const s1 = tf.sum(gh, 1, true)
        const s2 = tf.sum(tf.mul(gh, xh!), 1, true)
        const dx = tf.mul(tf.div(rs!, d), tf.sub(tf.sub(tf.mul(gh, d), s1), tf.mul(xh!, s2)))
        return [dx, tf.sum(tf.mul(dy, xh!), 0), tf.sum(dy, 0)]
      },
    }
  })
  return f(x, gamma, beta) as tf.Tensor2D
}

/** Inverted-dropout mask (0 or 1/(1−p) per element), one uniform draw per element from `rng`. */
export function dropoutMask(n: number, p: number, rng: Random): Float32Array {
  return bernoulli(rng, n, p, 0, 1 / (1 - p))
}

/** dropout(relu(h)) (the FFN's middle); one fused pass each way where the backend has the kernels. */
export function reluDropout(h: tf.Tensor2D, p: number, rng: Random | null): tf.Tensor2D {
  if (rng === null || p === 0) return tf.relu(h)
  const mask = tf.tensor(dropoutMask(h.size, p, rng), h.shape, "float32")
  if (!hasKernel(FusedKernel.reluMask) || !hasKernel(FusedKernel.reluMaskGrad)) return tf.mul(tf.relu(h), mask) as tf.Tensor2D
  const f = customOp(([hh, m], save) => {
    save([hh!, m!])
    return {
      value: tf.engine().runKernel(FusedKernel.reluMask, { h: hh!, mask: m! }, {}) as tf.Tensor,
      gradFunc: (dy, [hs, ms]) => [tf.engine().runKernel(FusedKernel.reluMaskGrad, { dy, h: hs!, mask: ms! }, {}) as tf.Tensor, tf.zerosLike(ms!)],
    }
  })
  return f(h, mask) as tf.Tensor2D
}

/** x + dropout(y) (the residual connections); one fused pass forward where the backend has the kernel. */
export function addDropout(x: tf.Tensor2D, y: tf.Tensor2D, p: number, rng: Random | null): tf.Tensor2D {
  if (rng === null || p === 0) return tf.add(x, y)
  const mask = tf.tensor(dropoutMask(y.size, p, rng), y.shape, "float32")
  if (!hasKernel(FusedKernel.addMasked)) return tf.add(x, tf.mul(y, mask))
  const f = customOp(([xx, yy, m], save) => {
    save([m!])
    return {
      value: tf.engine().runKernel(FusedKernel.addMasked, { x: xx!, y: yy!, mask: m! }, {}) as tf.Tensor,
      gradFunc: (dy, [ms]) => [dy, tf.mul(dy, ms!), tf.zerosLike(ms!)],
    }
  })
  return f(x, y, mask) as tf.Tensor2D
}

export interface AttentionShape {
  readonly batch: number
  /** element slots per formula */
  readonly slots: number
  readonly heads: number
}

/**
 * Scaled dot-product self-attention of torch's F.multi_head_attention_forward (in-projection already
 * applied) over packed rows: qkv [R, 3d] holds q | k | v of the real slots, head h owning columns
 * [h·d/H, (h+1)·d/H) of each; `packedOf` [B·L] gives each slot's row, or −1 for padding. q is divided by
 * √(d/H) before QKᵀ; padded keys are masked (src_key_padding_mask: −∞ before the softmax); dropout on
 * the attention weights (`weightMask` [B, H, L, L], or null). Returns P·V as [R, d], heads concatenated.
 */
export function selfAttention(qkv: tf.Tensor2D, packedOf: Int32Array, s: AttentionShape, weightMask: Float32Array | null): tf.Tensor2D {
  const { batch: B, slots: L, heads: H } = s
  const R = qkv.shape[0], d = qkv.shape[1] / 3, dh = d / H
  if (hasKernel(FusedKernel.attention) && hasKernel(FusedKernel.attentionGrad)) {
    // the layout and masks go in as inputs, so the gradient (run after the forward's tidy) still holds them
    const layout = tf.tensor2d(Float32Array.from(packedOf), [B, L])
    const mask = tf.tensor(weightMask ?? new Float32Array(0), weightMask ? [B, H, L, L] : [0])
    const f = customOp(([x, k, m], save) => {
      const withMask: tf.NamedTensorMap = m!.size > 0 ? { mask: m! } : {}
      const [out, probs] = tf.engine().runKernel(FusedKernel.attention, { qkv: x!, packedOf: k!, ...withMask }, { heads: H }) as tf.Tensor[]
      save([x!, probs!, m!, k!])
      return {
        value: out!,
        gradFunc: (dy, [xs, pr, ms, ks]) => [
          tf.engine().runKernel(FusedKernel.attentionGrad, { dy, qkv: xs!, probs: pr!, packedOf: ks!, ...(ms!.size > 0 ? { mask: ms! } : {}) as tf.NamedTensorMap }, { heads: H }) as tf.Tensor,
          tf.zerosLike(ks!), tf.zerosLike(ms!),
        ],
      }
    })
    return f(qkv, layout, mask) as tf.Tensor2D
  }
  return tf.tidy(() => {
    // composed: unpack into the padded [B·L] layout (padding reads an appended zero row), attend, repack
    const padded = tf.gather(tf.concat([qkv, tf.zeros([1, 3 * d])]), tf.tensor1d(Int32Array.from(packedOf, (r) => (r < 0 ? R : r)), "int32"))
    const heads = (i: number) => tf.transpose(tf.reshape(tf.slice(padded, [0, i * d], [-1, d]), [B, L, H, dh]), [0, 2, 1, 3])
    const q = tf.div(heads(0), Math.sqrt(dh)), k = heads(1), v = heads(2)
    const bias = tf.tensor(Float32Array.from(packedOf, (r) => (r < 0 ? -Infinity : 0)), [B, 1, 1, L])
    let p = tf.softmax(tf.add(tf.matMul(q, k, false, true), bias)) as tf.Tensor4D
    if (weightMask !== null) p = tf.mul(p, tf.tensor(weightMask, [B, H, L, L])) as tf.Tensor4D
    const out = tf.reshape(tf.transpose(tf.matMul(p, v), [0, 2, 1, 3]), [B * L, d])
    const slotOf = new Int32Array(R)
    packedOf.forEach((r, slot) => { if (r >= 0) slotOf[r] = slot })
    return tf.gather(out, tf.tensor1d(slotOf, "int32")) as tf.Tensor2D
  })
}
