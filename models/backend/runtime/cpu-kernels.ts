// Faster kernels for tfjs's pure-JS `cpu` backend, registered over the stock ones (same names, same
// semantics) plus the fused graph-network kernels models/ops.ts dispatches to. Why each pays, from
// profiling the CGCNN step (../shared/bench/cgcnn-step/, numbers in bench/train.bench.ts):
// - BatchMatMul: stock is a scalar JS triple loop (~0.5 GFLOP/s); here OpenBLAS or the wasm-SIMD GEMM (gemm.ts).
// - GatherV2 / UnsortedSegmentSum: stock gather indexes through a generic buffer; stock segment-sum
//   loops once per segment (O(segments·rows·cols)). Here: one pass over rows.
// - Relu/Step (CrabNet's FFN and its gradient): flat loops.
// - Add/Sub/Multiply/RealDiv/AddN/Sum: flat loops for the shapes models use (stock: generic
//   broadcasting index arithmetic per element); Softplus/Sigmoid: wasm-SIMD polynomial exp/log.
// - Fused batch-norm and CGCNN edge gating (cgcnn-gate-kernels.ts): one kernel instead of ~20
//   elementwise kernels over [edges, 2F] arrays, each allocating its output.
import * as tf from "@tensorflow/tfjs-core"
import { FusedKernel } from "../../ops.js"
import { gateBackwardJs, gateBackwardWasm, gateForwardJs, gateForwardWasm, sigmoidOf } from "./cgcnn-gate-kernels.js"
import { matmul, matmulBias } from "./gemm.js"
import { activation, kernelsWasm, softplusSigmoid } from "./wasm.js"

type Backend = { data: { get(id: unknown): { values: unknown } }; makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.backend_util.BackendValues): tf.TensorInfo }
type Args = { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }

const f32 = (b: Backend, t: tf.TensorInfo): Float32Array => b.data.get(t.dataId).values as Float32Array
const i32 = (b: Backend, t: tf.TensorInfo): Int32Array => {
  const v = b.data.get(t.dataId).values
  return v instanceof Int32Array ? v : Int32Array.from(v as ArrayLike<number>)
}

/** Stock kernels replaced by `override`, kept for the fallback and for the reference backend. */
const stockKernels = new Map<string, tf.KernelConfig>()

/** Replaces `name` on `cpu`, keeping the stock kernel as the fallback for cases not specialised. */
function override(name: string, fast: (args: Args, stock: (args: Args) => unknown) => unknown): void {
  const stock = tf.getKernel(name, "cpu")
  if (stock === undefined) throw new Error(`tfjs cpu backend has no ${name} kernel to override`)
  if ((stock as { fast?: boolean }).fast) return
  stockKernels.set(name, stock)
  const stockFn = stock.kernelFunc as unknown as (args: Args) => unknown
  tf.unregisterKernel(name, "cpu")
  const config = { kernelName: name, backendName: "cpu", kernelFunc: (args: Args) => fast(args, stockFn), fast: true }
  tf.registerKernel(config as unknown as tf.KernelConfig)
}

function define(name: string, kernelFunc: (args: Args) => unknown): void {
  if (tf.getKernel(name, "cpu") !== undefined) return
  tf.registerKernel({ kernelName: name, backendName: "cpu", kernelFunc } as unknown as tf.KernelConfig)
}


export function registerFastCpuKernels(): void {
  override("BatchMatMul", (args, stock) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo }
    const tA = Boolean(args.attrs?.transposeA), tB = Boolean(args.attrs?.transposeB)
    if (a.dtype !== "float32" || b.dtype !== "float32") return stock(args)
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1), batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1)
    if (batchA !== batchB || a.shape.length !== b.shape.length) return stock(args)
    const be = args.backend as Backend
    const [ar, ac] = a.shape.slice(-2) as [number, number], [br, bc] = b.shape.slice(-2) as [number, number]
    const M = tA ? ac : ar, K = tA ? ar : ac, N = tB ? br : bc
    const av = f32(be, a), bv = f32(be, b)
    let out: Float32Array
    if (batchA === 1) out = matmul(av, bv, M, K, N, tA, tB)
    else {
      out = new Float32Array(batchA * M * N)
      for (let i = 0; i < batchA; i++) {
        matmul(av.subarray(i * M * K, (i + 1) * M * K), bv.subarray(i * K * N, (i + 1) * K * N), M, K, N, tA, tB, out.subarray(i * M * N, (i + 1) * M * N))
      }
    }
    return be.makeTensorInfo([...a.shape.slice(0, -2), M, N], "float32", out)
  })

  // x·w + b in one product (gemm.ts matmulBias): no [T, out] temporary, no broadcast add per dense layer
  define(FusedKernel.denseBias, ({ inputs, backend }) => {
    const be = backend as Backend
    const { x, w, b } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; b: tf.TensorInfo }
    const [T, K] = x.shape as [number, number], N = w.shape[1]!
    return be.makeTensorInfo([T, N], "float32", matmulBias(f32(be, x), f32(be, w), f32(be, b), T, K, N))
  })

  override("GatherV2", (args, stock) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo }
    const axis = Number(args.attrs?.axis ?? 0), batchDims = Number(args.attrs?.batchDims ?? 0)
    if (axis !== 0 || batchDims !== 0 || x.dtype !== "float32" || indices.shape.length !== 1) return stock(args)
    const be = args.backend as Backend
    const xv = f32(be, x), idx = i32(be, indices)
    const n = x.shape[0]!, w = x.shape.slice(1).reduce((p, q) => p * q, 1)
    const out = new Float32Array(idx.length * w)
    for (let r = 0; r < idx.length; r++) {
      const s = idx[r]!
      if (s < 0 || s >= n) throw new Error(`GatherV2: index ${s} not in [0, ${n})`)
      out.set(xv.subarray(s * w, s * w + w), r * w)
    }
    return be.makeTensorInfo([idx.length, ...x.shape.slice(1)], "float32", out)
  })

  // Slice: stock copies a non-contiguous slice (a column range, as CGCNN's filter/core halves in
  // evaluation) element by element through TensorBuffer.get with array spreads — it was ~60 % of a
  // real CGCNN epoch. Here: one typed-array copy per contiguous innermost run.
  override("Slice", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype === "string" || x.dtype === "complex64" || x.shape.length === 0) return stock(args)
    const [begin, size] = tf.slice_util.parseSliceParams(x, args.attrs?.begin as number[], args.attrs?.size as number[])
    if (tf.slice_util.isSliceContinous(x.shape, begin, size)) return stock(args)
    return copyBlock(args.backend as Backend, x, begin, size)
  })

  // SplitV (the gradient of concat: Set2Set's q* = [q, r], MEGNet's readout) and PadV2 (the gradient
  // of slice: Set2Set's LSTM gates) reach the same per-element path inside the stock kernels.
  override("SplitV", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype === "string" || x.dtype === "complex64" || x.shape.length === 0) return stock(args)
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0]!
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, args.attrs?.numOrSizeSplits as number[], axis)
    const begin = x.shape.map(() => 0)
    return sizes.map((n) => {
      const size = x.shape.slice()
      size[axis] = n
      const piece = copyBlock(args.backend as Backend, x, begin, size)
      begin[axis]! += n
      return piece
    })
  })

  override("PadV2", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype !== "float32" || x.shape.length === 0) return stock(args)
    const paddings = args.attrs?.paddings as [number, number][]
    const be = args.backend as Backend
    const shape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1])
    const out = new Float32Array(shape.reduce((p, q) => p * q, 1)).fill(Number(args.attrs?.constantValue ?? 0))
    stridedPaste(f32(be, x), shape, paddings.map((p) => p[0]), x.shape, out)
    return be.makeTensorInfo(shape, "float32", out)
  })

  override("UnsortedSegmentSum", (args, stock) => {
    const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo }
    const numSegments = Number(args.attrs?.numSegments)
    if (x.dtype !== "float32" || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) return stock(args)
    const be = args.backend as Backend
    const xv = f32(be, x), ids = i32(be, segmentIds)
    const w = x.shape.slice(1).reduce((p, q) => p * q, 1)
    const out = new Float32Array(numSegments * w)
    for (let r = 0; r < ids.length; r++) {
      const s = ids[r]!
      if (s < 0 || s >= numSegments) continue // tfjs/TF drop out-of-range ids
      const o = s * w, i0 = r * w
      for (let k = 0; k < w; k++) out[o + k]! += xv[i0 + k]!
    }
    return be.makeTensorInfo([numSegments, ...x.shape.slice(1)], "float32", out)
  })

  // Elementwise float32 arithmetic: stock kernels index every element through generic broadcasting
  // helpers; the cases models hit (same shape, scalar, row vector, column vector) get flat loops.
  for (const [name, expr] of [["Add", "x + y"], ["Sub", "x - y"], ["Multiply", "x * y"], ["RealDiv", "x / y"]] as const) {
    const loops = binaryLoops(expr)
    override(name, (args, stock) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo }
      if (a.dtype !== "float32" || b.dtype !== "float32") return stock(args)
      const be = args.backend as Backend
      const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape)
      const n = size(shape), na = size(a.shape), nb = size(b.shape)
      const c = shape.length > 0 ? shape[shape.length - 1]! : 1
      const av = f32(be, a), bv = f32(be, b), out = new Float32Array(n)
      if (na === n && nb === n) loops.same(av, bv, out, n)
      else if (nb === 1 && na === n) loops.scalarB(av, bv[0]!, out, n)
      else if (na === 1 && nb === n) loops.scalarA(av[0]!, bv, out, n)
      else if (na === n && nb === c && isRow(b.shape)) loops.rowB(av, bv, out, n, c)
      else if (nb === n && na === c && isRow(a.shape)) loops.rowA(av, bv, out, n, c)
      else if (shape.length === 2 && na === n && isCol(b.shape, shape)) loops.colB(av, bv, out, n, c)
      else if (shape.length === 2 && nb === n && isCol(a.shape, shape)) loops.colA(av, bv, out, n, c)
      else return stock(args)
      return be.makeTensorInfo(shape, "float32", out)
    })
  }

  // Sum of same-shape tensors (gradient accumulation where a tensor feeds several ops).
  override("AddN", (args, stock) => {
    const ts = Object.values(args.inputs)
    if (ts.length === 0 || ts.some((t) => t.dtype !== "float32" || size(t.shape) !== size(ts[0]!.shape))) return stock(args)
    const be = args.backend as Backend
    const out = Float32Array.from(f32(be, ts[0]!))
    for (const t of ts.slice(1)) {
      const v = f32(be, t)
      for (let i = 0; i < out.length; i++) out[i]! += v[i]!
    }
    return be.makeTensorInfo(ts[0]!.shape, "float32", out)
  })

  // Unary transcendental kernels of the models' activations (stock: one closure call per element).
  for (const [name, fn] of [
    ["Softplus", (x: Float32Array, o: Float32Array) => {
      const w = activation("softplus", x)
      if (w !== null) return void o.set(w)
      for (let i = 0; i < x.length; i++) { const v = x[i]!; o[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)) }
    }],
    ["Sigmoid", (x: Float32Array, o: Float32Array) => {
      const w = activation("sigmoid", x)
      if (w !== null) return void o.set(w)
      for (let i = 0; i < x.length; i++) o[i] = sigmoidOf(x[i]!)
    }],
  ] as const) {
    override(name, (args, stock) => {
      const { x } = args.inputs as { x: tf.TensorInfo }
      if (x.dtype !== "float32") return stock(args)
      const be = args.backend as Backend
      const out = new Float32Array(size(x.shape))
      fn(f32(be, x), out)
      return be.makeTensorInfo(x.shape, "float32", out)
    })
  }

  // ReLU and its gradient's Step (CrabNet's FFN, [B·L, 2048]): stock runs one closure call per element.
  override("Relu", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype !== "float32") return stock(args)
    const be = args.backend as Backend
    const xv = f32(be, x), out = new Float32Array(xv.length)
    for (let i = 0; i < xv.length; i++) { const v = xv[i]!; out[i] = v > 0 ? v : v !== v ? v : 0 }
    return be.makeTensorInfo(x.shape, "float32", out)
  })
  override("Step", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype !== "float32") return stock(args)
    const be = args.backend as Backend
    const alpha = Number(args.attrs?.alpha ?? 0)
    const xv = f32(be, x), out = new Float32Array(xv.length)
    for (let i = 0; i < xv.length; i++) { const v = xv[i]!; out[i] = v > 0 ? 1 : v !== v ? v : alpha }
    return be.makeTensorInfo(x.shape, "float32", out)
  })

  // tfjs's LeakyRelu gradient, where(x > 0, dy, dy·α), in one pass; α rounds to float32 as the scalar
  // tensor tfjs's mul makes of it does
  define(FusedKernel.leakyReluGrad, ({ inputs, backend, attrs }) => {
    const be = backend as Backend
    const dy = f32(be, inputs.dy!), x = f32(be, inputs.x!), alpha = Math.fround(Number(attrs?.alpha))
    const dx = new Float32Array(x.length)
    for (let i = 0; i < x.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : dy[i]! * alpha
    return be.makeTensorInfo(inputs.x!.shape, "float32", dx)
  })

  // softplus(x) − shift and σ(x) together (MEGNet's softplus2 and the σ its gradient needs).
  define(FusedKernel.softplusSigmoid, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    const shift = Number(args.attrs?.shift ?? 0)
    const be = args.backend as Backend
    const xv = f32(be, x)
    let pair = softplusSigmoid(xv, shift)
    if (pair === null) {
      const sp = new Float32Array(xv.length), sg = new Float32Array(xv.length)
      for (let i = 0; i < xv.length; i++) {
        const v = xv[i]!
        sp[i] = (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))) - shift
        sg[i] = sigmoidOf(v)
      }
      pair = [sp, sg]
    }
    return [be.makeTensorInfo(x.shape, "float32", pair[0]), be.makeTensorInfo(x.shape, "float32", pair[1])]
  })

  // Sum over the rows or over the last axis of a 2-D tensor (bias gradients, row norms), or over everything.
  override("Sum", (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype !== "float32") return stock(args)
    const rank = x.shape.length
    const axes = tf.util.parseAxisParam((args.attrs?.axis ?? null) as number | number[], x.shape).sort()
    const keepDims = Boolean(args.attrs?.keepDims)
    const be = args.backend as Backend
    const xv = f32(be, x)
    if (axes.length === rank) {
      let t = 0
      for (let i = 0; i < xv.length; i++) t += xv[i]!
      return be.makeTensorInfo(keepDims ? x.shape.map(() => 1) : [], "float32", Float32Array.of(t))
    }
    if (rank !== 2 || axes.length !== 1) return stock(args)
    const [r, c] = x.shape as [number, number]
    if (axes[0] === 0) {
      const acc = new Float64Array(c)
      for (let i = 0; i < r; i++) for (let k = 0, o = i * c; k < c; k++) acc[k]! += xv[o + k]!
      return be.makeTensorInfo(keepDims ? [1, c] : [c], "float32", Float32Array.from(acc))
    }
    const out = new Float32Array(r)
    for (let i = 0; i < r; i++) { let t = 0; for (let k = 0, o = i * c; k < c; k++) t += xv[o + k]!; out[i] = t }
    return be.makeTensorInfo(keepDims ? [r, 1] : [r], "float32", out)
  })

  // Batch norm over rows, training mode: outputs y, batch mean, biased variance, x̂.
  define(FusedKernel.batchNormTrain, (args) => {
    const { x, gamma, beta } = args.inputs as Record<string, tf.TensorInfo>
    const eps = Number(args.attrs?.epsilon)
    const be = args.backend as Backend
    const xv = f32(be, x!), g = f32(be, gamma!), bt = f32(be, beta!)
    const [n, c] = x!.shape as [number, number]
    const { mean, variance, invStd } = columnStats(xv, n, c, eps)
    const y = new Float32Array(n * c), xhat = new Float32Array(n * c)
    for (let r = 0; r < n; r++) {
      const o = r * c
      for (let k = 0; k < c; k++) {
        const h = (xv[o + k]! - mean[k]!) * invStd[k]!
        xhat[o + k] = h
        y[o + k] = g[k]! * h + bt[k]!
      }
    }
    return [
      be.makeTensorInfo([n, c], "float32", y), be.makeTensorInfo([c], "float32", Float32Array.from(mean)),
      be.makeTensorInfo([c], "float32", Float32Array.from(variance)), be.makeTensorInfo([n, c], "float32", xhat),
    ]
  })

  // Closed-form batch-norm gradient: outputs dx, dγ, dβ.
  define(FusedKernel.batchNormGrad, (args) => {
    const { dy, xhat, variance, gamma } = args.inputs as Record<string, tf.TensorInfo>
    const eps = Number(args.attrs?.epsilon)
    const be = args.backend as Backend
    const d = f32(be, dy!), xh = f32(be, xhat!), v = f32(be, variance!), g = f32(be, gamma!)
    const [n, c] = dy!.shape as [number, number]
    const sumDy = new Float64Array(c), sumDyXh = new Float64Array(c)
    for (let r = 0; r < n; r++) {
      const o = r * c
      for (let k = 0; k < c; k++) { sumDy[k]! += d[o + k]!; sumDyXh[k]! += d[o + k]! * xh[o + k]! }
    }
    const scale = new Float64Array(c)
    for (let k = 0; k < c; k++) scale[k] = g[k]! / Math.sqrt(v[k]! + eps) / n
    const dx = new Float32Array(n * c)
    for (let r = 0; r < n; r++) {
      const o = r * c
      for (let k = 0; k < c; k++) dx[o + k] = scale[k]! * (n * d[o + k]! - sumDy[k]! - xh[o + k]! * sumDyXh[k]!)
    }
    return [
      be.makeTensorInfo([n, c], "float32", dx), be.makeTensorInfo([c], "float32", Float32Array.from(sumDyXh)),
      be.makeTensorInfo([c], "float32", Float32Array.from(sumDy)),
    ]
  })

  // CGCNN edge gating, forward (see ops.ts cgcnnGate): z = ps[dst] + pn[src] + q + b; ẑ = BN(z);
  // out[dst] += σ(ẑ_f)·softplus(ẑ_c). Saves x̂, σ(ẑ_f), softplus(ẑ_c), σ(ẑ_c) for the backward pass.
  define(FusedKernel.gateForward, (args) => {
    const { ps, pn, q, bias, gamma, beta, dst, src } = args.inputs as Record<string, tf.TensorInfo>
    const eps = Number(args.attrs?.epsilon), numAtoms = Number(args.attrs?.numAtoms)
    const be = args.backend as Backend
    const P = f32(be, ps!), Pn = f32(be, pn!), Q = f32(be, q!), bb = f32(be, bias!), g = f32(be, gamma!), bt = f32(be, beta!)
    const di = i32(be, dst!), si = i32(be, src!)
    const [E, C] = q!.shape as [number, number]
    const F = C / 2
    const w = kernelsWasm()
    const r = w !== null && F % 4 === 0 && E > 0
      ? gateForwardWasm(w, P, Pn, Q, bb, g, bt, di, si, E, C, numAtoms, eps)
      : gateForwardJs(P, Pn, Q, bb, g, bt, di, si, E, C, numAtoms, eps)
    const T = (shape: number[], v: Float32Array): tf.TensorInfo => be.makeTensorInfo(shape, "float32", v)
    return [T([numAtoms, F], r.out), T([C], Float32Array.from(r.mean)), T([C], Float32Array.from(r.variance)), T([E, C], r.xhat),
      T([E, F], r.sf), T([E, F], r.spc), T([E, F], r.sc)]
  })

  // CGCNN edge gating, backward: outputs dz (= dq), dps = Σ_dst dz, dpn = Σ_src dz, dγ, dβ, db.
  define(FusedKernel.gateBackward, (args) => {
    const { dout, xhat, sf, spc, sc, gamma, variance, dst, src } = args.inputs as Record<string, tf.TensorInfo>
    const eps = Number(args.attrs?.epsilon), numAtoms = Number(args.attrs?.numAtoms)
    const be = args.backend as Backend
    const dO = f32(be, dout!), xh = f32(be, xhat!), SF = f32(be, sf!), SP = f32(be, spc!), SC = f32(be, sc!)
    const g = f32(be, gamma!), v = f32(be, variance!), di = i32(be, dst!), si = i32(be, src!)
    const [E, C] = xhat!.shape as [number, number]
    const w = kernelsWasm()
    const r = w !== null && (C / 2) % 4 === 0 && E > 0
      ? gateBackwardWasm(w, dO, xh, SF, SP, SC, g, v, di, si, E, C, numAtoms, eps)
      : gateBackwardJs(dO, xh, SF, SP, SC, g, v, di, si, E, C, numAtoms, eps)
    const T = (shape: number[], x: Float32Array): tf.TensorInfo => be.makeTensorInfo(shape, "float32", x)
    return [T([E, C], r.dz), T([numAtoms, C], r.dps), T([numAtoms, C], r.dpn), T([C], Float32Array.from(r.dGamma)),
      T([C], Float32Array.from(r.dBeta)), T([C], Float32Array.from(r.dBias))]
  })
}

/**
 * Registers a backend `name` running tfjs's stock cpu kernels only (none of the above): the reference
 * the tests compare the fast kernels and the fused ops against.
 */
export async function registerReferenceCpuBackend(name = "cpu-ref"): Promise<void> {
  if (tf.findBackendFactory(name) !== null) return
  const { MathBackendCPU } = await import("@tensorflow/tfjs-backend-cpu")
  const fused = new Set<string>(Object.values(FusedKernel))
  for (const k of tf.getKernelsForBackend("cpu")) {
    if (fused.has(k.kernelName)) continue
    const stock = stockKernels.get(k.kernelName) ?? k
    tf.registerKernel({ ...stock, backendName: name })
  }
  tf.registerBackend(name, () => new MathBackendCPU(), 0)
}

const size = (shape: readonly number[]): number => shape.reduce((p, q) => p * q, 1)
/** [c] or [1, …, 1, c] */
const isRow = (shape: readonly number[]): boolean => shape.slice(0, -1).every((d) => d === 1)
/** [r, 1] against an [r, c] output */
const isCol = (shape: readonly number[], out: readonly number[]): boolean =>
  shape.length === 2 && shape[1] === 1 && shape[0] === out[0]

type Loop2 = (a: Float32Array, b: Float32Array, o: Float32Array, n: number, c: number) => void
interface BinaryLoops {
  same: (a: Float32Array, b: Float32Array, o: Float32Array, n: number) => void
  scalarA: (a: number, b: Float32Array, o: Float32Array, n: number) => void
  scalarB: (a: Float32Array, b: number, o: Float32Array, n: number) => void
  rowA: Loop2; rowB: Loop2; colA: Loop2; colB: Loop2
}

/**
 * Flat loops for `x op y` over the broadcast cases, generated per operator so each loop stays
 * monomorphic (a shared loop calling an op closure would not inline across four operators).
 */
function binaryLoops(expr: string): BinaryLoops {
  const body = (x: string, y: string) => expr.replace("x", x).replace("y", y)
  const mk = (params: string, code: string) => new Function(...params.split(","), code) as never
  return {
    same: mk("a,b,o,n", `for (let i = 0; i < n; i++) o[i] = ${body("a[i]", "b[i]")}`),
    scalarA: mk("a,b,o,n", `for (let i = 0; i < n; i++) o[i] = ${body("a", "b[i]")}`),
    scalarB: mk("a,b,o,n", `for (let i = 0; i < n; i++) o[i] = ${body("a[i]", "b")}`),
    rowA: mk("a,b,o,n,c", `for (let i = 0; i < n; i += c) for (let k = 0; k < c; k++) o[i + k] = ${body("a[k]", "b[i + k]")}`),
    rowB: mk("a,b,o,n,c", `for (let i = 0; i < n; i += c) for (let k = 0; k < c; k++) o[i + k] = ${body("a[i + k]", "b[k]")}`),
    colA: mk("a,b,o,n,c", `for (let i = 0, r = 0; i < n; i += c, r++) { const s = a[r]; for (let k = 0; k < c; k++) o[i + k] = ${body("s", "b[i + k]")} }`),
    colB: mk("a,b,o,n,c", `for (let i = 0, r = 0; i < n; i += c, r++) { const s = b[r]; for (let k = 0; k < c; k++) o[i + k] = ${body("a[i + k]", "s")} }`),
  }
}

/** Column mean, biased variance (two passes, float64 sums) and 1/√(var+ε) of a row-major [n, c] array. */
function columnStats(x: Float32Array, n: number, c: number, eps: number) {
  const mean = new Float64Array(c), variance = new Float64Array(c), invStd = new Float64Array(c)
  for (let r = 0; r < n; r++) for (let k = 0, o = r * c; k < c; k++) mean[k]! += x[o + k]!
  for (let k = 0; k < c; k++) mean[k]! /= n
  for (let r = 0; r < n; r++) {
    for (let k = 0, o = r * c; k < c; k++) { const d = x[o + k]! - mean[k]!; variance[k]! += d * d }
  }
  for (let k = 0; k < c; k++) { variance[k]! /= n; invStd[k] = 1 / Math.sqrt(variance[k]! + eps) }
  return { mean, variance, invStd }
}

type Typed = Float32Array | Int32Array | Uint8Array

/** A new tensor holding the block [begin, begin + size) of x, same dtype. */
function copyBlock(be: Backend, x: tf.TensorInfo, begin: readonly number[], size: number[]): tf.TensorInfo {
  const xv = be.data.get(x.dataId).values as Typed
  const out = new (xv.constructor as new (n: number) => Typed)(size.reduce((p, q) => p * q, 1))
  stridedCopy(xv, x.shape, begin, size, out)
  return be.makeTensorInfo(size, x.dtype, out)
}

/** out = x[begin : begin + size] (row-major), copying each contiguous innermost run at once. */
export function stridedCopy(x: Typed, shape: readonly number[], begin: readonly number[], size: readonly number[], out: Typed): void {
  strided(out, shape, begin, size, x, false)
}

/** out[begin : begin + size] = x (row-major; x has shape `size`, out has shape `shape`). */
export function stridedPaste(x: Typed, shape: readonly number[], begin: readonly number[], size: readonly number[], out: Typed): void {
  strided(x, shape, begin, size, out, true)
}

/** The block [begin, begin + size) of a `shape` array `big`, visited one contiguous innermost run at a time. */
function strided(small: Typed, shape: readonly number[], begin: readonly number[], size: readonly number[], big: Typed, paste: boolean): void {
  const rank = shape.length
  const inner = size[rank - 1]!
  const runs = size.slice(0, -1).reduce((p, q) => p * q, 1)
  if (inner === 0 || runs === 0) return
  const strides = new Array<number>(rank).fill(1)
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0)
  for (let r = 0; r < runs; r++) {
    let off = begin[rank - 1]!
    for (let d = 0; d < rank - 1; d++) off += (begin[d]! + idx[d]!) * strides[d]!
    const o = r * inner
    if (paste) {
      if (inner >= 16) big.set(small.subarray(o, o + inner), off)
      else for (let k = 0; k < inner; k++) big[off + k] = small[o + k]!
    } else if (inner >= 16) small.set(big.subarray(off, off + inner), o)
    else for (let k = 0; k < inner; k++) small[o + k] = big[off + k]!
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d]! < size[d]!) break
      idx[d] = 0
    }
  }
}
