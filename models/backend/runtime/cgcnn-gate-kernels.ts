// The CGCNN edge-gating kernels behind GnnCgcnnGate / GnnCgcnnGateGrad (cpu-kernels.ts; the op is
// models/ops.ts cgcnnGate, Xie & Grossman 2018 eq. 5): forward z = ps[dst] + pn[src] + q + b → BN over
// edges → σ(ẑ_f)·softplus(ẑ_c) summed into the centre atom, and its gradient. The wasm versions run
// every pass over [E, 2F] in f32x4 lanes (gate-wat.ts, act-wat.ts; ~3× the JS loops in an interleaved
// run); the JS versions serve F not a multiple of 4 and Nodes without WebAssembly SIMD.
import { heapF32, type KernelsWasm } from "./wasm.js"

export const sigmoidOf = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : 1 - 1 / (1 + Math.exp(x)))

export interface GateForward {
  out: Float32Array; mean: ArrayLike<number>; variance: ArrayLike<number>; xhat: Float32Array
  sf: Float32Array; spc: Float32Array; sc: Float32Array
}

/** Column statistics from sums of (z − shift) and their squares (shift: any row of z, so nothing cancels). */
function statsFromSums(s1: Float64Array, s2: Float64Array, shift: ArrayLike<number>, n: number, eps: number) {
  const c = s1.length
  const mean = new Float64Array(c), variance = new Float64Array(c), invStd = new Float64Array(c)
  for (let k = 0; k < c; k++) {
    const m = s1[k]! / n
    mean[k] = shift[k]! + m
    variance[k] = Math.max(s2[k]! / n - m * m, 0)
    invStd[k] = 1 / Math.sqrt(variance[k]! + eps)
  }
  return { mean, variance, invStd }
}

/** The gating forward in wasm (gate-wat.ts, act-wat.ts): every pass over [E, 2F] in f32x4 lanes. */
export function gateForwardWasm(
  w: KernelsWasm, P: Float32Array, Pn: Float32Array, Q: Float32Array, bb: Float32Array, g: Float32Array, bt: Float32Array,
  di: Int32Array, si: Int32Array, E: number, C: number, numAtoms: number, eps: number,
): GateForward {
  const F = C / 2, n = E * F
  // byte layout: q/z | ps | pn | f | c | sp | out | dst | src | C-vectors (bias, shift, mean, inv, γ, β) | s1 | s2
  let off = 0
  const take = (bytes: number): number => { const at = off; off += (bytes + 15) & ~15; return at }
  const oZ = take(4 * E * C), oP = take(4 * P.length), oN = take(4 * Pn.length), oF = take(4 * n), oC = take(4 * n)
  const oS = take(4 * n), oO = take(4 * numAtoms * F), oD = take(4 * E), oSrc = take(4 * E)
  const oB = take(4 * C), oShift = take(4 * C), oMean = take(4 * C), oInv = take(4 * C), oG = take(4 * C), oBt = take(4 * C)
  const oS1 = take(8 * C), oS2 = take(8 * C)
  const heap = heapF32(w, off)
  const buf = w.memory.buffer
  heap.set(Q, oZ >> 2); heap.set(P, oP >> 2); heap.set(Pn, oN >> 2); heap.set(bb, oB >> 2); heap.set(g, oG >> 2); heap.set(bt, oBt >> 2)
  new Int32Array(buf, oD, E).set(di); new Int32Array(buf, oSrc, E).set(si)
  const shift = new Float32Array(C)
  for (let k = 0; k < C; k++) shift[k] = P[di[0]! * C + k]! + Pn[si[0]! * C + k]! + Q[k]! + bb[k]!
  heap.set(shift, oShift >> 2)
  const s1 = new Float64Array(buf, oS1, C), s2 = new Float64Array(buf, oS2, C)
  s1.fill(0); s2.fill(0)
  w.gate_z(oP, oN, oZ, oB, oD, oSrc, E, C, oShift, oS1, oS2)
  const { mean, variance, invStd } = statsFromSums(Float64Array.from(s1), Float64Array.from(s2), shift, E, eps)
  heap.set(mean, oMean >> 2); heap.set(invStd, oInv >> 2)
  w.gate_norm(oZ, E, C, oMean, oInv, oG, oBt, oF, oC)
  w.gate(oF, oC, oS, n)
  heap.fill(0, oO >> 2, (oO >> 2) + numAtoms * F)
  w.gate_scatter(oF, oS, oD, E, F, oO)
  return {
    out: heap.slice(oO >> 2, (oO >> 2) + numAtoms * F), mean, variance, xhat: heap.slice(oZ >> 2, (oZ >> 2) + E * C),
    sf: heap.slice(oF >> 2, (oF >> 2) + n), spc: heap.slice(oS >> 2, (oS >> 2) + n), sc: heap.slice(oC >> 2, (oC >> 2) + n),
  }
}

/** The same forward in JS (no WebAssembly SIMD, or F not a multiple of 4). */
export function gateForwardJs(
  P: Float32Array, Pn: Float32Array, Q: Float32Array, bb: Float32Array, g: Float32Array, bt: Float32Array,
  di: Int32Array, si: Int32Array, E: number, C: number, numAtoms: number, eps: number,
): GateForward {
  const F = C / 2
  const z = new Float32Array(E * C)
  const shift = new Float64Array(C), s1 = new Float64Array(C), s2 = new Float64Array(C)
  if (E > 0) for (let k = 0; k < C; k++) shift[k] = P[di[0]! * C + k]! + Pn[si[0]! * C + k]! + Q[k]! + bb[k]!
  for (let e = 0; e < E; e++) {
    const o = e * C, po = di[e]! * C, no = si[e]! * C
    for (let k = 0; k < C; k++) {
      const v = P[po + k]! + Pn[no + k]! + Q[o + k]! + bb[k]!
      z[o + k] = v
      const d = v - shift[k]!
      s1[k]! += d
      s2[k]! += d * d
    }
  }
  const { mean, variance, invStd } = statsFromSums(s1, s2, shift, E, eps)
  const sf = new Float32Array(E * F), spc = new Float32Array(E * F), sc = new Float32Array(E * F)
  const out = new Float32Array(numAtoms * F)
  for (let e = 0; e < E; e++) {
    const o = e * C, h = e * F, ao = di[e]! * F
    for (let k = 0; k < C; k++) z[o + k] = (z[o + k]! - mean[k]!) * invStd[k]!
    for (let k = 0; k < F; k++) {
      const fv = g[k]! * z[o + k]! + bt[k]!
      const cv = g[F + k]! * z[o + F + k]! + bt[F + k]!
      const s = sigmoidOf(fv)
      const ec = Math.exp(-Math.abs(cv))
      const sp = Math.max(cv, 0) + Math.log1p(ec)
      sf[h + k] = s
      spc[h + k] = sp
      sc[h + k] = cv >= 0 ? 1 / (1 + ec) : ec / (1 + ec)
      out[ao + k]! += s * sp
    }
  }
  return { out, mean, variance, xhat: z, sf, spc, sc }
}

export interface GateBackward { dz: Float32Array; dps: Float32Array; dpn: Float32Array; dGamma: ArrayLike<number>; dBeta: ArrayLike<number>; dBias: ArrayLike<number> }

/** The gating gradient in wasm (gate-wat.ts): dz = γσ⁻¹/E·(E·dy − Σdy − x̂·Σdy·x̂), then scattered to both ends. */
export function gateBackwardWasm(
  w: KernelsWasm, dO: Float32Array, xh: Float32Array, SF: Float32Array, SP: Float32Array, SC: Float32Array, g: Float32Array,
  v: Float32Array, di: Int32Array, si: Int32Array, E: number, C: number, numAtoms: number, eps: number,
): GateBackward {
  const F = C / 2, n = E * F
  let off = 0
  const take = (bytes: number): number => { const at = off; off += (bytes + 15) & ~15; return at }
  const oDz = take(4 * E * C), oX = take(4 * E * C), oF = take(4 * n), oP = take(4 * n), oC = take(4 * n)
  const oO = take(4 * numAtoms * F), oPs = take(4 * numAtoms * C), oPn = take(4 * numAtoms * C), oD = take(4 * E), oSrc = take(4 * E)
  const oA = take(4 * C), oB = take(4 * C), oCc = take(4 * C), oSb = take(8 * C), oSg = take(8 * C), oSbias = take(8 * C)
  const heap = heapF32(w, off)
  const buf = w.memory.buffer
  heap.set(dO, oO >> 2); heap.set(xh, oX >> 2); heap.set(SF, oF >> 2); heap.set(SP, oP >> 2); heap.set(SC, oC >> 2)
  new Int32Array(buf, oD, E).set(di); new Int32Array(buf, oSrc, E).set(si)
  const sb = new Float64Array(buf, oSb, C), sg = new Float64Array(buf, oSg, C), sbias = new Float64Array(buf, oSbias, C)
  sb.fill(0); sg.fill(0); sbias.fill(0)
  w.gate_bwd_a(oO, oX, oF, oP, oC, oD, E, F, oDz, oSb, oSg)
  const dBeta = Float64Array.from(sb), dGamma = Float64Array.from(sg)
  const a = new Float32Array(C), b = new Float32Array(C), c = new Float32Array(C)
  for (let k = 0; k < C; k++) {
    const scale = g[k]! / Math.sqrt(v[k]! + eps) / E
    a[k] = scale * E; b[k] = scale * dBeta[k]!; c[k] = scale * dGamma[k]!
  }
  heap.set(a, oA >> 2); heap.set(b, oB >> 2); heap.set(c, oCc >> 2)
  heap.fill(0, oPs >> 2, (oPs >> 2) + 2 * numAtoms * C) // dps and dpn are adjacent
  w.gate_bwd_b(oDz, oX, oD, oSrc, E, C, oA, oB, oCc, oSbias, oPs, oPn)
  return {
    dz: heap.slice(oDz >> 2, (oDz >> 2) + E * C), dps: heap.slice(oPs >> 2, (oPs >> 2) + numAtoms * C),
    dpn: heap.slice(oPn >> 2, (oPn >> 2) + numAtoms * C), dGamma, dBeta, dBias: Float64Array.from(sbias),
  }
}

/** The same gradient in JS (no WebAssembly SIMD, or F not a multiple of 4). */
export function gateBackwardJs(
  dO: Float32Array, xh: Float32Array, SF: Float32Array, SP: Float32Array, SC: Float32Array, g: Float32Array,
  v: Float32Array, di: Int32Array, si: Int32Array, E: number, C: number, numAtoms: number, eps: number,
): GateBackward {
  const F = C / 2
  const dz = new Float32Array(E * C)
  const dBeta = new Float64Array(C), dGamma = new Float64Array(C)
  for (let e = 0; e < E; e++) {
    const o = e * C, h = e * F, ao = di[e]! * F
    for (let k = 0; k < F; k++) {
      const dm = dO[ao + k]!, s = SF[h + k]!
      const dyf = dm * SP[h + k]! * s * (1 - s)
      const dyc = dm * s * SC[h + k]!
      dz[o + k] = dyf
      dz[o + F + k] = dyc
      dBeta[k]! += dyf
      dGamma[k]! += dyf * xh[o + k]!
      dBeta[F + k]! += dyc
      dGamma[F + k]! += dyc * xh[o + F + k]!
    }
  }
  const scale = new Float64Array(C)
  for (let k = 0; k < C; k++) scale[k] = g[k]! / Math.sqrt(v[k]! + eps) / E
  const dps = new Float32Array(numAtoms * C), dpn = new Float32Array(numAtoms * C), dBias = new Float64Array(C)
  for (let e = 0; e < E; e++) {
    const o = e * C, po = di[e]! * C, no = si[e]! * C
    for (let k = 0; k < C; k++) {
      const d = scale[k]! * (E * dz[o + k]! - dBeta[k]! - xh[o + k]! * dGamma[k]!)
      dz[o + k] = d
      dBias[k]! += d
      dps[po + k]! += d
      dpn[no + k]! += d
    }
  }
  return { dz, dps, dpn, dGamma, dBeta, dBias }
}
