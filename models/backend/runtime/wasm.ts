// The WebAssembly-SIMD kernel module (kernels-wasm.ts: GEMM, activations, CGCNN gating passes) and its linear memory.
// One instance per thread: module state is per isolate, so worker threads each get their own.
import { KERNELS_WASM_BASE64 } from "./kernels-wasm.js"

export interface KernelsWasm {
  memory: WebAssembly.Memory
  /** C[M×N] += op(A)·B, see gemm-wat.ts (byte offsets) */
  sgemm(M: number, N: number, K: number, a: number, rs: number, cs: number, b: number, c: number): void
  softplus(inOff: number, outOff: number, n: number): void
  sigmoid(inOff: number, outOff: number, n: number): void
  /** in place: f ← σ(f), c ← σ(c); sp ← softplus(c) */
  gate(fOff: number, cOff: number, spOff: number, n: number): void
  /** sp ← softplus(x) − shift, sg ← σ(x) */
  softplus_sigmoid(inOff: number, spOff: number, sgOff: number, n: number, shift: number): void
  /** CGCNN gating passes, see gate-wat.ts */
  gate_z(ps: number, pn: number, q: number, bias: number, dst: number, src: number, E: number, C: number, shift: number, s1: number, s2: number): void
  gate_norm(z: number, E: number, C: number, mean: number, inv: number, gamma: number, beta: number, f: number, c: number): void
  gate_scatter(sf: number, sp: number, dst: number, E: number, F: number, out: number): void
  gate_bwd_a(dout: number, xh: number, sf: number, sp: number, sc: number, dst: number, E: number, F: number, dz: number, sb: number, sg: number): void
  gate_bwd_b(dz: number, xh: number, dst: number, src: number, E: number, C: number, a: number, b: number, c: number, sbias: number, dps: number, dpn: number): void
}

let instance: KernelsWasm | null | undefined

/** The kernels, or null where WebAssembly SIMD is unavailable. */
export function kernelsWasm(): KernelsWasm | null {
  if (instance !== undefined) return instance
  try {
    const mod = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"))
    instance = new WebAssembly.Instance(mod, {}).exports as unknown as KernelsWasm
  } catch {
    instance = null
  }
  return instance
}

/** Grows the memory to at least `bytes`; returns a fresh f32 view of it (views die when memory grows). */
export function heapF32(w: KernelsWasm, bytes: number): Float32Array {
  const have = w.memory.buffer.byteLength
  if (bytes > have) w.memory.grow(Math.ceil((bytes - have) / 65536))
  return new Float32Array(w.memory.buffer)
}

/** Applies softplus or sigmoid through wasm; returns null where wasm is unavailable. */
export function activation(kind: "softplus" | "sigmoid", x: Float32Array): Float32Array | null {
  const w = kernelsWasm()
  if (w === null) return null
  const n4 = (x.length + 3) & ~3
  const heap = heapF32(w, 8 * n4)
  heap.set(x, 0)
  w[kind](0, 4 * n4, n4)
  return heap.slice(n4, n4 + x.length)
}

/** [softplus(x) − shift, σ(x)] in one wasm pass; null where wasm is unavailable. */
export function softplusSigmoid(x: Float32Array, shift: number): [Float32Array, Float32Array] | null {
  const w = kernelsWasm()
  if (w === null) return null
  const n4 = (x.length + 3) & ~3
  const heap = heapF32(w, 12 * n4)
  heap.set(x, 0)
  w.softplus_sigmoid(0, 4 * n4, 8 * n4, n4, shift)
  return [heap.slice(n4, n4 + x.length), heap.slice(2 * n4, 2 * n4 + x.length)]
}
