// The fast cpu kernels against tfjs's stock cpu kernels ("cpu-ref") and the wasm GEMM against a
// float64-accumulating JS product, on small random inputs. (Fused kernels are checked through the
// ops that use them, value and gradient, in ../ops.test.ts.)
import { readFileSync } from "node:fs"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "./backend.js"
import { registerReferenceCpuBackend } from "./cpu-kernels.js"
import { openBlas } from "./blas.js"
import { gemmKernelName, gemmWasm, matmul, matmulJs, matmulWasm } from "./gemm.js"

beforeAll(async () => {
  process.env.PIPELINE_TFJS_BACKEND = "cpu"
  await initBackend()
  await registerReferenceCpuBackend()
})

const rand = (n: number, seed: number): Float32Array => {
  let s = seed
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1)
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

describe("wasm GEMM", () => {
  it("loads (WebAssembly SIMD available in this Node)", () => {
    expect(gemmWasm()).not.toBeNull()
  })
  // Shapes cover: row tails (M mod 4), padded columns (N mod 8), K split into several 256-panels, both transposes.
  it.each([
    [37, 300, 20, false, false], [41, 600, 128, true, false], [130, 64, 24, false, true], [66, 513, 9, true, true],
  ])("C = op(A)·op(B) for M=%i K=%i N=%i tA=%s tB=%s", (M, K, N, tA, tB) => {
    const a = rand(M * K, 1 + M), b = rand(K * N, 2 + N)
    // fp32 sums of K ≤ 600 terms of size ≤ 1: ~K·2⁻²⁴ relative, far under 1e-4.
    expect(maxAbsDiff(matmulWasm(a, b, M, K, N, tA, tB), matmulJs(a, b, M, K, N, tA, tB))).toBeLessThan(1e-4)
  })
})

// OpenBLAS is optional at run time; CI installs it (.ci/run), so there this block must not skip.
const coreTypeSet = process.env.OPENBLAS_CORETYPE !== undefined // before openBlas() pins it
const blas = openBlas()
describe.skipIf(blas === null && process.env.CI !== "true")("OpenBLAS GEMM (blas.ts)", () => {
  it("loads where CI installed libopenblas", () => {
    expect(blas).not.toBeNull()
    expect(gemmKernelName()).toMatch(/^OpenBLAS \d+\.\d+\.\d+ \(\w+ kernels, 1 thread\) sgemm$/)
  })
  // the kernels sum in their own order: the smoke hashes hold only if every AVX2 machine runs the same ones,
  // whichever thread loaded the library (vitest runs this file off the main thread)
  const cpu = readFileSync("/proc/cpuinfo", "utf8")
  it.skipIf(!/\bavx2\b/.test(cpu) || !/\bfma\b/.test(cpu) || coreTypeSet || process.env.PIPELINE_BLAS_CORE === "auto")(
    "pins the Haswell kernels on an AVX2 + FMA CPU", () => {
      expect(blas!.name).toContain("(Haswell kernels,")
    })
  it.each([
    [37, 300, 20, false, false], [41, 600, 128, true, false], [130, 64, 24, false, true], [66, 513, 9, true, true],
  ])("matmul = the reference loop for M=%i K=%i N=%i tA=%s tB=%s", (M, K, N, tA, tB) => {
    const a = rand(M * K, 1 + M), b = rand(K * N, 2 + N)
    expect(maxAbsDiff(matmul(a, b, M, K, N, tA, tB), matmulJs(a, b, M, K, N, tA, tB))).toBeLessThan(1e-4)
  })
  it("writes into a view at an offset and nowhere else (batched BatchMatMul)", () => {
    const M = 33, K = 40, N = 17
    const a = rand(M * K, 5), b = rand(K * N, 6)
    const big = new Float32Array(M * N + 10).fill(7)
    const view = big.subarray(5, 5 + M * N)
    expect(matmul(a, b, M, K, N, false, false, view)).toBe(view)
    expect(maxAbsDiff(view, matmulJs(a, b, M, K, N, false, false))).toBeLessThan(1e-4)
    expect([...big.subarray(0, 5), ...big.subarray(5 + M * N)]).toEqual(Array(10).fill(7))
  })
})

/** Runs a kernel through tfjs on `name` and returns its output values. */
function on(name: string, fn: () => tf.Tensor): Float32Array {
  tf.setBackend(name)
  return tf.tidy(() => fn().dataSync() as Float32Array)
}

describe("cpu kernel overrides equal the stock kernels", () => {
  it.each([[false, false], [true, false], [false, true], [true, true]])("BatchMatMul transposeA=%s transposeB=%s, batch 2", (tA, tB) => {
    const a = rand(2 * 40 * 30, 3), b = rand(2 * 30 * 24, 4)
    const run = (bk: string) => on(bk, () => tf.matMul(
      tf.tensor3d(a, tA ? [2, 30, 40] : [2, 40, 30]), tf.tensor3d(b, tB ? [2, 24, 30] : [2, 30, 24]), tA, tB))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBeLessThan(1e-5)
  })
  it.each([
    ["column halves of a 2-D tensor", [30, 40], [0, 20], [-1, 20]],
    ["a narrow column range (short runs)", [30, 40], [3, 5], [20, 3]],
    ["a 3-D block", [5, 7, 33], [1, 2, 4], [3, 4, 20]],
    ["an empty slice", [6, 8], [2, 3], [0, 4]],
  ])("Slice: %s", (_, shape, begin, size) => {
    const n = (shape as number[]).reduce((a, b) => a * b, 1)
    const x = rand(n, 11)
    const run = (bk: string) => on(bk, () => tf.slice(tf.tensor(x, shape as number[]), begin as number[], size as number[]))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBe(0)
    const ints = Int32Array.from(x, (v) => Math.round(v * 1000))
    const runInt = (bk: string) => {
      tf.setBackend(bk)
      return Array.from(tf.tidy(() => tf.slice(tf.tensor(ints, shape as number[], "int32"), begin as number[], size as number[]).dataSync()))
    }
    expect(runInt("cpu")).toEqual(runInt("cpu-ref"))
  })
  it.each([
    ["column halves (concat's gradient)", [12, 40], [20, 20], 1],
    ["uneven rows", [9, 17], [2, 3, 4], 0],
    ["a 3-D tensor along its middle axis", [4, 9, 18], [5, 4], 1],
  ])("SplitV: %s", (_, shape, sizes, axis) => {
    const x = rand((shape as number[]).reduce((a, b) => a * b, 1), 12)
    const run = (bk: string) => {
      tf.setBackend(bk)
      return tf.tidy(() => tf.split(tf.tensor(x, shape as number[]), sizes as number[], axis as number).map((t) => Array.from(t.dataSync())))
    }
    expect(run("cpu")).toEqual(run("cpu-ref"))
  })
  it.each([
    ["around a 2-D block", [7, 9], [[1, 2], [3, 0]], 0],
    ["slice's gradient (columns only), non-zero fill", [6, 16], [[0, 0], [16, 32]], 1.5],
    ["3-D", [3, 4, 20], [[1, 0], [0, 2], [5, 5]], 0],
  ])("PadV2: %s", (_, shape, paddings, value) => {
    const x = rand((shape as number[]).reduce((a, b) => a * b, 1), 13)
    const run = (bk: string) => on(bk, () => tf.pad(tf.tensor(x, shape as number[]), paddings as [number, number][], value as number))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBe(0)
  })
  it("GatherV2 along rows, repeated indices", () => {
    const x = rand(11 * 6, 5), idx = Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 11)
    const run = (bk: string) => on(bk, () => tf.gather(tf.tensor2d(x, [11, 6]), tf.tensor1d(idx, "int32")))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBe(0)
  })
  it("GatherV2 along columns falls back to the stock kernel", () => {
    const x = rand(5 * 6, 6)
    const run = (bk: string) => on(bk, () => tf.gather(tf.tensor2d(x, [5, 6]), tf.tensor1d([5, 0, 2], "int32"), 1))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBe(0)
  })
  it("UnsortedSegmentSum with unsorted ids and an empty segment", () => {
    const x = rand(60 * 4, 7), ids = Int32Array.from({ length: 60 }, (_, i) => (i * 5) % 9)
    const run = (bk: string) => on(bk, () => tf.unsortedSegmentSum(tf.tensor2d(x, [60, 4]), tf.tensor1d(ids, "int32"), 10))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBeLessThan(1e-6)
  })
})

describe("elementwise and reduction overrides equal the stock kernels", () => {
  const x = rand(30 * 8, 11), y = rand(30 * 8, 12).map((v) => v + 2.5) // y away from 0 for RealDiv
  const cases: [string, number[], number[]][] = [
    ["same shape", [30, 8], [30, 8]], ["row vector", [30, 8], [8]], ["row vector [1, c] first", [1, 8], [30, 8]],
    ["column vector", [30, 8], [30, 1]], ["column first", [30, 1], [30, 8]], ["scalar", [30, 8], []], ["scalar first", [], [30, 8]],
    ["3-D falls back to stock", [2, 15, 8], [15, 1]],
  ]
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [["add", tf.add], ["sub", tf.sub], ["mul", tf.mul], ["div", tf.div]]
  for (const [label, sa, sb] of cases) {
    it.each(ops)(`%s, ${label}`, (_, op) => {
      const mk = (v: Float32Array, shape: number[]) => tf.tensor(v.slice(0, shape.reduce((p, q) => p * q, 1)), shape)
      const run = (bk: string) => on(bk, () => op(mk(x, sa), mk(y, sb)))
      expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBe(0)
    })
  }
  // wasm polynomial exp/log: Cephes float32 accuracy, a few ulp (measured ≤ 2e-7 relative on [−90, 90])
  it.each([["softplus", tf.softplus], ["sigmoid", tf.sigmoid]] as const)("%s on [−40, 40] to 1e-6 relative", (_, op) => {
    const v = Float32Array.from({ length: 4001 }, (_, i) => -40 + i * 0.02)
    const got = on("cpu", () => op(tf.tensor1d(v))), want = on("cpu-ref", () => op(tf.tensor1d(v)))
    for (let i = 0; i < v.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(want[i]!) + 1e-30)
  })
  it.each([["relu", (t: tf.Tensor) => tf.relu(t)], ["step", (t: tf.Tensor) => tf.step(t)], ["step α = 0.3", (t: tf.Tensor) => tf.step(t, 0.3)]] as const)("%s, NaN and ±0 included", (_, op) => {
    const v = Float32Array.from({ length: 203 }, (_, i) => (i === 7 ? NaN : i === 8 ? -0 : (i - 100) / 7))
    const got = on("cpu", () => op(tf.tensor1d(v))), want = on("cpu-ref", () => op(tf.tensor1d(v)))
    expect(Array.from(got)).toEqual(Array.from(want))
  })
  it("addN of three tensors", () => {
    const run = (bk: string) => on(bk, () => tf.addN([tf.tensor2d(x, [30, 8]), tf.tensor2d(y, [30, 8]), tf.tensor2d(x, [30, 8])]))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBeLessThan(1e-6)
  })
  it.each([[0, false], [1, true], [null, false], [[0, 1], true]] as const)("sum over axis %s (keepDims %s)", (axis, keep) => {
    const run = (bk: string) => on(bk, () => tf.sum(tf.tensor2d(x, [30, 8]), axis as number | number[] | undefined ?? undefined, keep))
    expect(maxAbsDiff(run("cpu"), run("cpu-ref"))).toBeLessThan(1e-5)
  })
})
