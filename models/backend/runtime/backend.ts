// Backend selection for training (issue 4): tfjs-node-gpu when it loads and sees a GPU, then
// tfjs-node (libtensorflow on CPU), else tfjs's pure-JS `cpu` backend with this folder's fast
// kernels (wasm-SIMD GEMM, linear gather/segment-sum, fused batch-norm and CGCNN gating).
// tfjs-node(-gpu) are optional: their install script downloads libtensorflow, so they are absent on
// most machines; they are loaded by a guarded dynamic import. Safe to call once per worker thread:
// kernel registration is per isolate.
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { registerFastCpuKernels } from "./cpu-kernels.js"
import { registerCrabnetKernels } from "./crabnet-kernels.js"
import { gemmKernelName } from "./gemm.js"
import { kernelsWasm } from "./wasm.js"

export interface BackendChoice {
  /** tfjs backend name in use: "tensorflow" (tfjs-node / -gpu) or "cpu" */
  name: string
  /** one line: why this backend */
  reason: string
  /** what computed the numbers, for metrics.json: the backend, and on the cpu path the GEMM (it sets the rounding) */
  label: string
}

let chosen: Promise<BackendChoice> | undefined

/**
 * Picks and activates the backend (memoised per thread). PIPELINE_TFJS_BACKEND=cpu skips the native
 * probes (e.g. to compare the CPU path with an installed tfjs-node).
 */
export function initBackend(): Promise<BackendChoice> {
  chosen ??= choose()
  return chosen
}

async function tryNative(pkg: string): Promise<string | null> {
  try {
    await import(pkg)
    if (!(await tf.setBackend("tensorflow"))) return null
    return pkg
  } catch {
    return null
  }
}

async function choose(): Promise<BackendChoice> {
  const forced = process.env.PIPELINE_TFJS_BACKEND
  const notes: string[] = []
  if (forced !== "cpu") {
    const gpu = await tryNative("@tensorflow/tfjs-node-gpu")
    if (gpu !== null) {
      // tfjs-node-gpu silently runs libtensorflow on the CPU without CUDA 11.2 / cuDNN 8.1: ask it.
      // Either way it is the native backend; loading tfjs-node as well would register it twice.
      return usingGpu()
        ? { name: "tensorflow", label: "tensorflow (tfjs-node-gpu, GPU)", reason: "@tensorflow/tfjs-node-gpu loaded and TensorFlow reports a GPU device" }
        : { name: "tensorflow", label: "tensorflow (tfjs-node-gpu, CPU)", reason: "@tensorflow/tfjs-node-gpu loaded but sees no GPU (CUDA 11.2/cuDNN 8.1?): libtensorflow on CPU" }
    }
    notes.push("tfjs-node-gpu not installed")
    const cpu = await tryNative("@tensorflow/tfjs-node")
    if (cpu !== null) return { name: "tensorflow", label: "tensorflow (tfjs-node)", reason: `@tensorflow/tfjs-node loaded: libtensorflow on CPU (${notes.join("; ")})` }
    notes.push("tfjs-node not installed")
  } else notes.push("PIPELINE_TFJS_BACKEND=cpu")
  registerFastCpuKernels()
  registerCrabnetKernels()
  await tf.setBackend("cpu")
  await tf.ready()
  // The cpu backend's first write prints "install our node backend": here the cpu path is the choice
  // (doctor says why), so the banner is noise on every run and in every worker.
  ;(tf.backend() as unknown as { firstUse?: boolean }).firstUse = false
  const simd = kernelsWasm() !== null ? "wasm-SIMD activations" : "JS loops (no WebAssembly SIMD)"
  return { name: "cpu", label: `cpu + ${gemmKernelName()}`, reason: `tfjs cpu backend + fast kernels (${gemmKernelName()}, ${simd}, fused batch-norm, CGCNN gating, CrabNet attention/layer norm/Lamb); ${notes.join("; ")}` }
}

/** Whether tfjs-node-gpu's TensorFlow placed ops on a GPU (NodeJSKernelBackend.isUsingGpuDevice). */
function usingGpu(): boolean {
  try {
    const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean; binding?: { isUsingGpuDevice?: () => boolean } }
    return backend.isUsingGpuDevice === true || backend.binding?.isUsingGpuDevice?.() === true
  } catch {
    return false
  }
}
