// Fused CPU kernels for CrabNet's transformer (models/crabnet/layers.ts) and optimiser (optim.ts). Why
// each pays, from profiling the steels step (bench/kernel-profile.ts crabnet): the composed attention
// spends more in four [B, L, H, d/H] ↔ [B, H, L, d/H] transposes per layer (and their gradients) than in
// its tiny L×L products; layer norm's moments and its gradient are ~10 elementwise kernels over [B·L, d];
// Lamb's ~15 tensor ops per parameter tensor (norms via Pow) touch 12 M values each. Each kernel here is
// one pass in JS (float64 accumulators, float32 storage), registered under the names ops.ts's
// FusedKernel lists, so other backends keep the composed ops.
import * as tf from "@tensorflow/tfjs-core"
import { FusedKernel } from "../../ops.js"
import { type Blas, openBlas } from "./blas.js"

let lambScratch = new Float32Array(0)

type Backend = { data: { get(id: unknown): { values: unknown } }; makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo }
type Args = { inputs: Record<string, tf.TensorInfo | undefined>; backend: unknown; attrs?: Record<string, unknown> }
const f32 = (b: Backend, t: tf.TensorInfo): Float32Array => b.data.get(t.dataId).values as Float32Array

function define(name: string, kernelFunc: (args: Args) => unknown): void {
  if (tf.getKernel(name, "cpu") !== undefined) return
  tf.registerKernel({ kernelName: name, backendName: "cpu", kernelFunc } as unknown as tf.KernelConfig)
}

/** The raw bits of a float32 array (a view, no copy). */
const bitsOf = (x: Float32Array): Int32Array => new Int32Array(x.buffer, x.byteOffset, x.length)

export function registerCrabnetKernels(): void {
  const blas = openBlas()
  // y = γ·x̂ + β, x̂ = (x − mean)·rstd per row; outputs y, x̂, rstd [T]
  define(FusedKernel.layerNorm, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const x = f32(be, inputs.x!), g = f32(be, inputs.gamma!), bt = f32(be, inputs.beta!)
    const [T, d] = inputs.x!.shape as [number, number]
    const eps = Number(attrs?.epsilon)
    const y = new Float32Array(T * d), xhat = new Float32Array(T * d), rstd = new Float32Array(T)
    for (let r = 0, o = 0; r < T; r++, o += d) {
      let m = 0
      for (let k = 0; k < d; k++) m += x[o + k]!
      m /= d
      let v = 0
      for (let k = 0; k < d; k++) { const c = x[o + k]! - m; v += c * c }
      const rs = 1 / Math.sqrt(v / d + eps)
      rstd[r] = rs
      for (let k = 0; k < d; k++) {
        const h = (x[o + k]! - m) * rs
        xhat[o + k] = h
        y[o + k] = g[k]! * h + bt[k]!
      }
    }
    return [be.makeTensorInfo([T, d], "float32", y), be.makeTensorInfo([T, d], "float32", xhat), be.makeTensorInfo([T, 1], "float32", rstd)]
  })

  // dx = rstd/d·(d·ĝ − Σĝ − x̂·Σĝx̂), ĝ = dy·γ; dγ = Σ_rows dy·x̂; dβ = Σ_rows dy
  define(FusedKernel.layerNormGrad, ({ inputs, backend }) => {
    const be = backend as Backend
    const dy = f32(be, inputs.dy!), xh = f32(be, inputs.xhat!), rstd = f32(be, inputs.rstd!), g = f32(be, inputs.gamma!)
    const [T, d] = inputs.dy!.shape as [number, number]
    const dx = new Float32Array(T * d), dg = new Float64Array(d), db = new Float64Array(d)
    for (let r = 0, o = 0; r < T; r++, o += d) {
      let s1 = 0, s2 = 0
      for (let k = 0; k < d; k++) {
        const e = dy[o + k]!, gh = e * g[k]!, h = xh[o + k]!
        s1 += gh
        s2 += gh * h
        dg[k]! += e * h
        db[k]! += e
      }
      const rs = rstd[r]! / d
      for (let k = 0; k < d; k++) dx[o + k] = rs * (d * dy[o + k]! * g[k]! - s1 - xh[o + k]! * s2)
    }
    return [be.makeTensorInfo([T, d], "float32", dx), be.makeTensorInfo([d], "float32", Float32Array.from(dg)), be.makeTensorInfo([d], "float32", Float32Array.from(db))]
  })

  // softmax((q/√dh)·kᵀ + mask)·v per formula and head, straight from the packed [R, 3d] in-projection
  // (packedOf [B, L]: each slot's row, −1 for padding); outputs [R, d] and the attention weights
  // P [B, H, L, L] (before dropout, 0 at padding) for the gradient
  define(FusedKernel.attention, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const qkv = f32(be, inputs.qkv!), rowOf = f32(be, inputs.packedOf!), mask = inputs.mask ? f32(be, inputs.mask) : null
    const H = Number(attrs?.heads)
    const [B, L] = inputs.packedOf!.shape as [number, number]
    const [R, d3] = inputs.qkv!.shape as [number, number]
    const d = d3 / 3, dh = d / H, scale = Math.sqrt(dh)
    const out = new Float32Array(R * d), P = new Float32Array(B * H * L * L)
    const blocks = blas === null ? null : formulaBlocks(rowOf, B, L)
    if (blocks !== null) {
      attentionBlas(blas!, qkv, blocks, mask, H, L, d, out, P)
      return [be.makeTensorInfo([R, d], "float32", out), be.makeTensorInfo([B, H, L, L], "float32", P)]
    }
    const s = new Float64Array(L), q = new Float32Array(dh)
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const pb = ((b * H + h) * L) * L
        for (let i = 0; i < L; i++) {
          const ri = rowOf[b * L + i]!
          if (ri < 0) continue
          const qo = ri * d3 + h * dh
          for (let c = 0; c < dh; c++) q[c] = qkv[qo + c]! / scale // torch scales q before QKᵀ
          let max = -Infinity
          for (let j = 0; j < L; j++) {
            const rj = rowOf[b * L + j]!
            if (rj < 0) { s[j] = -Infinity; continue }
            const ko = rj * d3 + d + h * dh
            let t = 0
            for (let c = 0; c < dh; c++) t += q[c]! * qkv[ko + c]!
            s[j] = t
            if (t > max) max = t
          }
          let z = 0
          for (let j = 0; j < L; j++) { const e = s[j] === -Infinity ? 0 : Math.exp(s[j]! - max); s[j] = e; z += e }
          const po = pb + i * L, oo = ri * d + h * dh
          for (let j = 0; j < L; j++) {
            const p = s[j]! / z
            P[po + j] = p
            const pd = mask ? p * mask[po + j]! : p
            if (pd === 0) continue
            const vo = rowOf[b * L + j]! * d3 + 2 * d + h * dh
            for (let c = 0; c < dh; c++) out[oo + c]! += pd * qkv[vo + c]!
          }
        }
      }
    }
    return [be.makeTensorInfo([R, d], "float32", out), be.makeTensorInfo([B, H, L, L], "float32", P)]
  })

  // gradient w.r.t. qkv: dV = Pdᵀ·dO; dP = (dO·Vᵀ)⊙mask; dS = P⊙(dP − Σ_j P·dP); dQ = dS·K/√dh; dK = dSᵀ·Q/√dh
  define(FusedKernel.attentionGrad, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const dy = f32(be, inputs.dy!), qkv = f32(be, inputs.qkv!), P = f32(be, inputs.probs!), rowOf = f32(be, inputs.packedOf!)
    const mask = inputs.mask ? f32(be, inputs.mask) : null
    const H = Number(attrs?.heads)
    const [B, , L] = inputs.probs!.shape as [number, number, number, number]
    const [R, d3] = inputs.qkv!.shape as [number, number]
    const d = d3 / 3, dh = d / H, scale = Math.sqrt(dh)
    const dq = new Float32Array(R * d3)
    const blocks = blas === null ? null : formulaBlocks(rowOf, B, L)
    if (blocks !== null) {
      attentionGradBlas(blas!, dy, qkv, P, blocks, mask, H, L, d, dq)
      return be.makeTensorInfo([R, d3], "float32", dq)
    }
    const ds = new Float64Array(L)
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const pb = ((b * H + h) * L) * L
        for (let i = 0; i < L; i++) {
          const ri = rowOf[b * L + i]!
          if (ri < 0) continue
          const po = pb + i * L, go = ri * d + h * dh
          let dot = 0
          for (let j = 0; j < L; j++) {
            const p = P[po + j]!
            if (p === 0) { ds[j] = 0; continue }
            const m = mask ? mask[po + j]! : 1
            const vo = rowOf[b * L + j]! * d3 + 2 * d + h * dh
            const pd = p * m // dV_j += Pd_ij·dO_i
            if (pd !== 0) for (let c = 0; c < dh; c++) dq[vo + c]! += pd * dy[go + c]!
            let t = 0
            if (m !== 0) for (let c = 0; c < dh; c++) t += dy[go + c]! * qkv[vo + c]!
            ds[j] = t * m
            dot += p * ds[j]!
          }
          const qo = ri * d3 + h * dh
          for (let j = 0; j < L; j++) {
            const p = P[po + j]!
            if (p === 0) continue
            const g = (p * (ds[j]! - dot)) / scale
            if (g === 0) continue
            const ko = rowOf[b * L + j]! * d3 + d + h * dh
            for (let c = 0; c < dh; c++) {
              dq[qo + c]! += g * qkv[ko + c]!
              dq[ko + c]! += g * qkv[qo + c]!
            }
          }
        }
      }
    }
    return be.makeTensorInfo([R, d3], "float32", dq)
  })

  // The FFN's relu → dropout in one pass: y = max(h, 0)·m; gradient dh = dy·m where h > 0
  // relu and its gradient on the float's sign bits, branch-free: h's signs and the dropout mask are
  // random, so `v > 0 ? … : …` mispredicts half the time (~2× slower on [1505, 2048]). Same values as
  // the branchy form (relu(−0) = +0, masked gradient +0), except that a NaN with its sign bit set gives 0.
  define(FusedKernel.reluMask, ({ inputs, backend }) => {
    const be = backend as Backend
    const h = f32(be, inputs.h!), m = f32(be, inputs.mask!)
    const y = new Float32Array(h.length), yBits = new Int32Array(y.buffer), hBits = bitsOf(h)
    for (let i = 0; i < hBits.length; i++) { const b = hBits[i]!; yBits[i] = b & ~(b >> 31) } // max(h, +0)
    for (let i = 0; i < y.length; i++) y[i] = y[i]! * m[i]!
    return be.makeTensorInfo(inputs.h!.shape, "float32", y)
  })
  define(FusedKernel.reluMaskGrad, ({ inputs, backend }) => {
    const be = backend as Backend
    const dy = f32(be, inputs.dy!), h = f32(be, inputs.h!), m = f32(be, inputs.mask!)
    const dh = new Float32Array(h.length), dhBits = new Int32Array(dh.buffer), hBits = bitsOf(h)
    for (let i = 0; i < dh.length; i++) dh[i] = dy[i]! * m[i]!
    // keep where h > 0: bits positive and not +0 (−0 is INT32_MIN, whose negation stays negative)
    for (let i = 0; i < hBits.length; i++) { const b = hBits[i]!; dhBits[i]! &= ~(b >> 31) & ((0 - b) >> 31) }
    return be.makeTensorInfo(inputs.h!.shape, "float32", dh)
  })
  // Residual + dropout: x + y·m, rounded as tf.add(x, tf.mul(y, m)) rounds
  define(FusedKernel.addMasked, ({ inputs, backend }) => {
    const be = backend as Backend
    const x = f32(be, inputs.x!), y = f32(be, inputs.y!), m = f32(be, inputs.mask!)
    const out = new Float32Array(x.length)
    for (let i = 0; i < x.length; i++) out[i] = x[i]! + Math.fround(y[i]! * m[i]!)
    return be.makeTensorInfo(inputs.x!.shape, "float32", out)
  })

  // One Lamb step of one tensor (models/crabnet/optim.ts). m and v are the optimiser's private moment
  // buffers and are updated in place (fresh 12 M-value arrays per step cost more in page faults than the
  // arithmetic); w' is a new tensor, since w's buffer may be shared (clones by Lookahead and SWA).
  define(FusedKernel.lamb, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const w = f32(be, inputs.w!), g = f32(be, inputs.g!), m = f32(be, inputs.m!), v = f32(be, inputs.v!)
    const lr = Number(attrs?.lr), b1 = Number(attrs?.beta1), b2 = Number(attrs?.beta2), eps = Number(attrs?.eps)
    const n = w.length
    const w2 = new Float32Array(n)
    if (lambScratch.length < n) lambScratch = new Float32Array(n)
    const u = lambScratch // the update direction never leaves the kernel: one buffer for every tensor
    const c1 = Math.fround(1 - b1), c2 = Math.fround(1 - b2), f1 = Math.fround(b1), f2 = Math.fround(b2)
    let wn = 0, un = 0
    for (let i = 0; i < n; i++) {
      const gi = g[i]!, mi = (m[i] = f1 * m[i]! + c1 * gi), vi = (v[i] = f2 * v[i]! + c2 * gi * gi)
      const ui = (u[i] = mi / (Math.sqrt(vi) + eps))
      wn += w[i]! * w[i]!
      un += ui * ui
    }
    const wnc = Math.min(Math.sqrt(wn), 10), unc = Math.sqrt(un)
    const trust = wnc === 0 || unc === 0 ? 1 : Math.fround(wnc) / Math.fround(unc)
    const step = Math.fround(-lr * Math.fround(trust))
    for (let i = 0; i < n; i++) w2[i] = w[i]! + step * u[i]!
    return be.makeTensorInfo(inputs.w!.shape, "float32", w2)
  })
}

/**
 * Each formula's packed rows as [first row, real slots] when its real slots are a prefix of its L slots
 * on consecutive rows (CrabNet sorts elements by decreasing fraction, so padding trails); null otherwise,
 * and the kernels fall back to their per-element loops.
 */
function formulaBlocks(rowOf: Float32Array, B: number, L: number): Int32Array | null {
  const blocks = new Int32Array(2 * B)
  for (let b = 0; b < B; b++) {
    const first = rowOf[b * L]!
    let n = 0
    while (n < L && rowOf[b * L + n]! >= 0) {
      if (rowOf[b * L + n] !== first + n) return null
      n++
    }
    for (let j = n; j < L; j++) if (rowOf[b * L + j]! >= 0) return null
    blocks[2 * b] = n === 0 ? 0 : first
    blocks[2 * b + 1] = n
  }
  return blocks
}

/**
 * The attention forward as small matrix products per formula and head, on the packed rows in place
 * (leading dimension 3d): S = (Q·Kᵀ)/√dh into P's block, row softmax, O = (P⊙mask)·V. Same maths as
 * the loop kernel; the only difference is that the 1/√dh scale is applied to the sums, not to q.
 */
function attentionBlas(blas: Blas, qkv: Float32Array, blocks: Int32Array, mask: Float32Array | null, H: number, L: number,
  d: number, out: Float32Array, P: Float32Array): void {
  const d3 = 3 * d, dh = d / H, inv = 1 / Math.sqrt(dh), B = blocks.length / 2
  const pd = mask === null ? null : new Float32Array(L * L)
  for (let b = 0; b < B; b++) {
    const r0 = blocks[2 * b]!, n = blocks[2 * b + 1]!
    if (n === 0) continue
    for (let h = 0; h < H; h++) {
      const pb = (b * H + h) * L * L
      const pblock = P.subarray(pb, pb + L * L)
      blas.gemm(false, true, n, n, dh, inv, qkv.subarray(r0 * d3 + h * dh), d3, qkv.subarray(r0 * d3 + d + h * dh), d3, 0, pblock, L)
      for (let i = 0; i < n; i++) {
        const o = pb + i * L
        let max = -Infinity
        for (let j = 0; j < n; j++) if (P[o + j]! > max) max = P[o + j]!
        let z = 0
        for (let j = 0; j < n; j++) { const e = Math.exp(P[o + j]! - max); P[o + j] = e; z += e }
        for (let j = 0; j < n; j++) P[o + j] = P[o + j]! / z
        if (pd !== null) for (let j = 0; j < n; j++) pd[i * L + j] = P[o + j]! * mask![o + j]!
      }
      blas.gemm(false, false, n, dh, n, 1, pd ?? pblock, L, qkv.subarray(r0 * d3 + 2 * d + h * dh), d3, 0, out.subarray(r0 * d + h * dh), d)
    }
  }
}

/**
 * Its gradient w.r.t. the packed q | k | v, per formula and head: dV = Pdᵀ·dO; dPd = dO·Vᵀ; dP = dPd⊙mask;
 * dS = P⊙(dP − Σ_j P·dP)/√dh; dQ = dS·K; dK = dSᵀ·Q. Each block of dq is written once (β = 0).
 */
function attentionGradBlas(blas: Blas, dy: Float32Array, qkv: Float32Array, P: Float32Array, blocks: Int32Array,
  mask: Float32Array | null, H: number, L: number, d: number, dq: Float32Array): void {
  const d3 = 3 * d, dh = d / H, inv = 1 / Math.sqrt(dh), B = blocks.length / 2
  const pd = new Float32Array(L * L), dp = new Float32Array(L * L)
  for (let b = 0; b < B; b++) {
    const r0 = blocks[2 * b]!, n = blocks[2 * b + 1]!
    if (n === 0) continue
    for (let h = 0; h < H; h++) {
      const pb = (b * H + h) * L * L
      const q = r0 * d3 + h * dh, k = q + d, v = q + 2 * d, go = r0 * d + h * dh
      const pdOrP = mask === null ? P.subarray(pb, pb + L * L) : pd
      if (mask !== null) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pd[i * L + j] = P[pb + i * L + j]! * mask[pb + i * L + j]!
      blas.gemm(true, false, n, dh, n, 1, pdOrP, L, dy.subarray(go), d, 0, dq.subarray(v), d3)
      blas.gemm(false, true, n, n, dh, 1, dy.subarray(go), d, qkv.subarray(v), d3, 0, dp, L)
      for (let i = 0; i < n; i++) {
        const o = pb + i * L
        let dot = 0
        for (let j = 0; j < n; j++) {
          const g = mask === null ? dp[i * L + j]! : dp[i * L + j]! * mask[o + j]!
          dp[i * L + j] = g
          dot += P[o + j]! * g
        }
        for (let j = 0; j < n; j++) dp[i * L + j] = (P[o + j]! * (dp[i * L + j]! - dot)) * inv
      }
      blas.gemm(false, false, n, dh, n, 1, dp, L, qkv.subarray(k), d3, 0, dq.subarray(q), d3)
      blas.gemm(true, false, n, dh, n, 1, dp, L, qkv.subarray(q), d3, 0, dq.subarray(k), d3)
    }
  }
}
