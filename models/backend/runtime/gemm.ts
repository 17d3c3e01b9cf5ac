// Single-precision matrix product for the CPU path: OpenBLAS's sgemm where the system has it (blas.ts),
// else the WebAssembly-SIMD micro-kernel (gemm-wat.ts) for products worth the copy into wasm memory; a
// plain JS loop for tiny ones either way. One wasm instance / library handle per thread.
import { openBlas } from "./blas.js"
import { heapF32, kernelsWasm } from "./wasm.js"

export const gemmWasm = kernelsWasm

/** Below this many multiply-adds the copy into wasm memory (or the FFI call) costs more than it saves. */
const WASM_MIN_MACS = 16_384
/** K-panel height: the kernel streams one packed KC×8 strip of B (8 KiB) per 4-row tile; 512 measured slower. */
const KC = 256

/** Which kernel large products use, for the backend line and `doctor`. */
export function gemmKernelName(): string {
  const blas = openBlas()
  if (blas !== null) return `${blas.name} sgemm`
  return gemmWasm() !== null ? "wasm-SIMD GEMM" : "JS loops (no WebAssembly SIMD)"
}

/**
 * C = op(A)·op(B) for row-major A, B: op(A) is M×K (A stored K×M when transposeA), op(B) is K×N
 * (B stored N×K when transposeB). Writes into `out` (M×N, row-major) when given, else a fresh array.
 */
export function matmul(
  a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean, transposeB: boolean,
  out?: Float32Array,
): Float32Array {
  const blas = M * N * K >= WASM_MIN_MACS ? openBlas() : null
  if (blas === null) return matmulWasm(a, b, M, K, N, transposeA, transposeB, out)
  const c = out ?? new Float32Array(M * N)
  blas.gemm(transposeA, transposeB, M, N, K, 1, a, transposeA ? M : K, b, transposeB ? K : N, 0, c, N)
  return c
}

/** Below this many multiply-adds a dense layer adds its bias after the product instead of in BLAS. */
const BIAS_IN_BLAS_MIN_MACS = 4096

/**
 * x·w + bias for row-major x [M, K], w [K, N], bias [N]: with OpenBLAS the product accumulates onto the
 * bias rows (β = 1), saving the [M, N] temporary and the broadcast add; else matmul, then the add in place.
 */
export function matmulBias(x: Float32Array, w: Float32Array, bias: Float32Array, M: number, K: number, N: number): Float32Array {
  const blas = M * K * N >= BIAS_IN_BLAS_MIN_MACS ? openBlas() : null
  if (blas !== null) {
    const out = new Float32Array(M * N)
    for (let r = 0; r < M; r++) out.set(bias, r * N)
    blas.gemm(false, false, M, N, K, 1, x, K, w, N, 1, out, N)
    return out
  }
  const out = matmul(x, w, M, K, N, false, false)
  for (let o = 0; o < M * N; o += N) for (let j = 0; j < N; j++) out[o + j] = out[o + j]! + bias[j]!
  return out
}

/** matmul on the wasm-SIMD kernel (JS loop for tiny products), whether or not OpenBLAS is there. */
export function matmulWasm(
  a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean, transposeB: boolean,
  out?: Float32Array,
): Float32Array {
  const w = M * N * K >= WASM_MIN_MACS ? gemmWasm() : null
  if (w === null) return into(out, matmulJs(a, b, M, K, N, transposeA, transposeB))
  const Np = (N + 7) & ~7
  const aBytes = a.length * 4, bBytes = K * Np * 4, cBytes = M * Np * 4
  const aOff = 0, bOff = (aBytes + 15) & ~15, cOff = (bOff + bBytes + 15) & ~15
  const heap = heapF32(w, cOff + cBytes)
  heap.set(a, aOff >> 2)
  // B in K-panels of KC rows, each packed in 8-column strips (gemm-wat.ts): panel k0 at bOff + 4·k0·Np,
  // column j of row p at (j − j mod 8)·kc + 8(p − k0) + j mod 8 within it; padded columns 0
  const bh = bOff >> 2
  if (Np !== N) heap.fill(0, bh, bh + K * Np)
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0), base = bh + k0 * Np
    for (let j0 = 0; j0 < N; j0 += 8) {
      const strip = base + j0 * kc, w8 = Math.min(8, N - j0)
      if (transposeB) {
        for (let jj = 0; jj < w8; jj++) {
          const src = (j0 + jj) * K + k0
          for (let p = 0; p < kc; p++) heap[strip + 8 * p + jj] = b[src + p]!
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = (k0 + p) * N + j0, dst = strip + 8 * p
          for (let jj = 0; jj < w8; jj++) heap[dst + jj] = b[src + jj]!
        }
      }
    }
  }
  const ch = cOff >> 2
  heap.fill(0, ch, ch + M * Np)
  const rs = transposeA ? 1 : K, cs = transposeA ? M : 1
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0)
    w.sgemm(M, Np, kc, aOff + 4 * k0 * cs, rs, cs, bOff + 4 * k0 * Np, cOff)
  }
  if (Np === N) return out === undefined ? heap.slice(ch, ch + M * N) : into(out, heap.subarray(ch, ch + M * N))
  const c = out ?? new Float32Array(M * N)
  for (let i = 0; i < M; i++) c.set(heap.subarray(ch + i * Np, ch + i * Np + N), i * N)
  return c
}

function into(out: Float32Array | undefined, c: Float32Array): Float32Array {
  if (out === undefined) return c
  out.set(c)
  return out
}

/** Reference-order JS product (small shapes, and where wasm is unavailable). */
export function matmulJs(
  a: Float32Array, b: Float32Array, M: number, K: number, N: number, transposeA: boolean, transposeB: boolean,
): Float32Array {
  const out = new Float32Array(M * N)
  const ars = transposeA ? 1 : K, acs = transposeA ? M : 1
  const bks = transposeB ? 1 : N, bjs = transposeB ? K : 1
  const row = new Float64Array(N)
  for (let i = 0; i < M; i++) {
    row.fill(0)
    for (let p = 0; p < K; p++) {
      const av = a[i * ars + p * acs]!
      if (av === 0) continue
      const bo = p * bks
      for (let j = 0; j < N; j++) row[j]! += av * b[bo + j * bjs]!
    }
    for (let j = 0; j < N; j++) out[i * N + j] = row[j]!
  }
  return out
}
