// Fused CPU kernels for CrabNet's transformer (models/crabnet/layers.ts) and optimiser (optim.ts). Why
// each pays, from profiling the steels step (bench/kernel-profile.ts crabnet): the composed attention
// spends more in four [B, L, H, d/H] ↔ [B, H, L, d/H] transposes per layer (and their gradients) than in
// its tiny L×L products; layer norm's moments and its gradient are ~10 elementwise kernels over [B·L, d];
// Lamb's ~15 tensor ops per parameter tensor (norms via Pow) touch 12 M values each. Each kernel here is
// one pass in JS (float64 accumulators, float32 storage), registered under the names ops.ts's
// FusedKernel lists, so other backends keep the composed ops.
import * as tf from "@tensorflow/tfjs-core"
import { FusedKernel } from "../../ops.js"

type Backend = { data: { get(id: unknown): { values: unknown } }; makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo }
type Args = { inputs: Record<string, tf.TensorInfo | undefined>; backend: unknown; attrs?: Record<string, unknown> }
const f32 = (b: Backend, t: tf.TensorInfo): Float32Array => b.data.get(t.dataId).values as Float32Array

function define(name: string, kernelFunc: (args: Args) => unknown): void {
  if (tf.getKernel(name, "cpu") !== undefined) return
  tf.registerKernel({ kernelName: name, backendName: "cpu", kernelFunc } as unknown as tf.KernelConfig)
}

export function registerCrabnetKernels(): void {
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

  // one Lamb step of one tensor (models/crabnet/optim.ts): outputs w', m', v'
  define(FusedKernel.lamb, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const w = f32(be, inputs.w!), g = f32(be, inputs.g!), m = f32(be, inputs.m!), v = f32(be, inputs.v!)
    const lr = Number(attrs?.lr), b1 = Number(attrs?.beta1), b2 = Number(attrs?.beta2), eps = Number(attrs?.eps)
    const n = w.length
    const m2 = new Float32Array(n), v2 = new Float32Array(n), u = new Float32Array(n), w2 = new Float32Array(n)
    const c1 = Math.fround(1 - b1), c2 = Math.fround(1 - b2), f1 = Math.fround(b1), f2 = Math.fround(b2)
    let wn = 0, un = 0
    for (let i = 0; i < n; i++) {
      const gi = g[i]!, mi = (m2[i] = f1 * m[i]! + c1 * gi), vi = (v2[i] = f2 * v[i]! + c2 * gi * gi)
      const ui = (u[i] = mi / (Math.sqrt(vi) + eps))
      wn += w[i]! * w[i]!
      un += ui * ui
    }
    const wnc = Math.min(Math.sqrt(wn), 10), unc = Math.sqrt(un)
    const trust = wnc === 0 || unc === 0 ? 1 : Math.fround(wnc) / Math.fround(unc)
    const step = Math.fround(-lr * Math.fround(trust))
    for (let i = 0; i < n; i++) w2[i] = w[i]! + step * u[i]!
    const shape = inputs.w!.shape
    return [be.makeTensorInfo(shape, "float32", w2), be.makeTensorInfo(shape, "float32", m2), be.makeTensorInfo(shape, "float32", v2)]
  })
}
