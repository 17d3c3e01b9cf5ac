// OpenBLAS's sgemm through koffi (a C FFI whose npm package ships its prebuilt binaries), used by gemm.ts
// when the system has libopenblas (Debian: `apt-get install libopenblas0-pthread`). Why: CrabNet's step is
// ~120 GFLOP of matrix products; OpenBLAS's AVX2/FMA kernels run them at ~90 GFLOP/s a core here against
// 26–35 for the 128-bit wasm-SIMD kernel, and it is the same library Debian's PyTorch calls, so the
// benchmark compares like with like. Optional: without the library (or with PIPELINE_GEMM=wasm) gemm.ts
// keeps its wasm kernel. Loaded once per isolate (each worker thread loads its own handle).
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

export interface Blas {
  /** e.g. "OpenBLAS 0.3.21 (Haswell kernels, 1 thread)" */
  name: string
  /**
   * C ← α·op(A)·op(B) + β·C with leading dimensions, for blocks inside larger row-major arrays (views
   * start at the block's first element): cblas_sgemm as is.
   */
  gemm(transposeA: boolean, transposeB: boolean, M: number, N: number, K: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void
  /** OpenBLAS's thread count is process-wide: the pipeline runs one model per core, so it keeps 1. */
  setThreads(n: number): void
}

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112
/** Shared objects tried in order: Debian/Ubuntu's runtime package, then a plain build's name. */
const LIBRARIES = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

let loaded: Blas | null | undefined
let why = ""

/** OpenBLAS, or null when PIPELINE_GEMM=wasm, koffi is missing, or no libopenblas loads (see blasUnavailableReason). */
export function openBlas(): Blas | null {
  if (loaded !== undefined) return loaded
  loaded = load()
  return loaded
}

/** Why openBlas() is null, for `doctor` and the backend line. */
export function blasUnavailableReason(): string {
  openBlas()
  return why
}

function load(): Blas | null {
  const choice = process.env.PIPELINE_GEMM ?? "auto"
  if (choice === "wasm") {
    why = "PIPELINE_GEMM=wasm"
    return null
  }
  if (choice !== "auto" && choice !== "openblas") throw new Error(`PIPELINE_GEMM=${choice}: expected auto, openblas or wasm`)
  let koffi: typeof import("koffi")
  try {
    koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi")
  } catch (e) {
    why = `koffi does not load (${(e as Error).message.split("\n")[0]})`
    return fail(choice)
  }
  pinKernels(koffi)
  for (const file of LIBRARIES) {
    let lib: ReturnType<typeof koffi.load>
    try {
      lib = koffi.load(file)
    } catch {
      continue
    }
    const cblas = lib.func("void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, _Out_ float *, int)")
    const setThreads = lib.func("void openblas_set_num_threads(int)") as (n: number) => void
    const config = (lib.func("const char *openblas_get_config()") as () => string)()
    const core = (lib.func("const char *openblas_get_corename()") as () => string)()
    const version = /OpenBLAS (\S+)/.exec(config)?.[1] ?? "?"
    let threads = Number(process.env.PIPELINE_BLAS_THREADS ?? 1)
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`PIPELINE_BLAS_THREADS=${process.env.PIPELINE_BLAS_THREADS}: expected a whole number ≥ 1`)
    setThreads(threads)
    const blas: Blas = {
      get name() {
        return `OpenBLAS ${version} (${core} kernels, ${threads} thread${threads === 1 ? "" : "s"})`
      },
      gemm(tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc) {
        cblas(ROW_MAJOR, tA ? TRANS : NO_TRANS, tB ? TRANS : NO_TRANS, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc)
      },
      setThreads(n) {
        threads = n
        setThreads(n)
      },
    }
    return blas
  }
  why = `no OpenBLAS library found (${LIBRARIES.join(", ")}; Debian: apt-get install libopenblas0-pthread)`
  return fail(choice)
}

/**
 * OpenBLAS picks its sgemm kernels by CPU (Haswell, SkylakeX, Cooperlake, Zen, …) and each kernel sums in
 * its own order, so the same seed gave other bits on an AVX-512 machine than on an AVX2 one (the committed
 * smoke hashes moved). Where the CPU has AVX2 and FMA this pins the Haswell kernels, which every such x86-64
 * CPU runs, unless OPENBLAS_CORETYPE is set or PIPELINE_BLAS_CORE=auto; they are as fast as the AVX-512
 * ones for these shapes here (~90 GFLOP/s a core either way). Read by OpenBLAS when the library loads.
 */
function pinKernels(koffi: typeof import("koffi")): void {
  const choice = process.env.PIPELINE_BLAS_CORE ?? "Haswell"
  if (choice === "auto" || process.env.OPENBLAS_CORETYPE !== undefined) return
  if (choice !== "Haswell") throw new Error(`PIPELINE_BLAS_CORE=${choice}: expected Haswell or auto`)
  let flags = ""
  try {
    flags = /^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? ""
  } catch {
    return // not Linux: leave the choice to OpenBLAS
  }
  if (!/\bavx2\b/.test(flags) || !/\bfma\b/.test(flags)) return
  // setenv, not process.env: a worker thread's process.env is its own copy, which OpenBLAS never reads
  try {
    const setenv = koffi.load("libc.so.6").func("int setenv(const char *, const char *, int)") as (k: string, v: string, o: number) => number
    setenv("OPENBLAS_CORETYPE", "Haswell", 0)
  } catch {
    process.env.OPENBLAS_CORETYPE = "Haswell" // no glibc: the main thread's env is the real one
  }
}

function fail(choice: string): null {
  if (choice === "openblas") throw new Error(`PIPELINE_GEMM=openblas but ${why}`)
  return null
}
