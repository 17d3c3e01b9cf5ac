// WebAssembly-SIMD text source of the single-precision GEMM micro-kernel the CPU path uses
// (assembled with act-wat.ts into kernels-wasm.ts by build-wasm.ts). tfjs's cpu backend multiplies in scalar JS
// (~0.5 GFLOP/s) and its wasm backend sends transposed products to a scalar loop
// (../shared/bench/cgcnn-step/README.md); this kernel does C += op(A)·B with f32x4 lanes.
//
//   sgemm(M, N, K, a, rs, cs, b, c):  C[i, j] += Σ_p A(i, p)·B[p, j]   for i < M, j < N, p < K
//   A(i, p) = f32 at byte a + 4·(i·rs + p·cs)   (rs, cs strides in elements: A or Aᵀ, no copy)
//   B packed by the caller in strips of 8 columns: B[p, j] at b + 4·((j − j mod 8)·K + 8p + j mod 8), so the
//   kernel streams B sequentially (row-major B walked a new cache line and page per p at N = 2048);
//   C row-major with N columns; N must be a multiple of 8 (the caller pads).
// Register tile: ROWS rows × 8 columns (ROWS·2 f32x4 accumulators); the caller blocks K so that a
// K-panel of B stays in cache while the kernel sweeps all rows.
export const GEMM_ROWS = 4

function tile(rows: number): string {
  const acc = (r: number, h: number): string => `$c${r}${h}`
  const L: string[] = []
  for (let r = 0; r < rows; r++) {
    L.push(`(local.set ${acc(r, 0)} (v128.load (i32.add (local.get $cp) (i32.mul (i32.const ${r}) (local.get $ldb)))))`)
    L.push(`(local.set ${acc(r, 1)} (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (i32.const ${r}) (local.get $ldb)))))`)
    L.push(`(local.set $ar${r} (i32.add (local.get $a) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $rsb))))`)
  }
  // B is packed in 8-column strips of K rows: strip j/8 starts at b + 4·j·K and advances 32 bytes per p
  L.push(`(local.set $bp (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $K)) (i32.const 2))))`)
  L.push(`(local.set $p (local.get $K))`)
  L.push(`(loop $lp`)
  L.push(`  (local.set $b0 (v128.load (local.get $bp)))`)
  L.push(`  (local.set $b1 (v128.load offset=16 (local.get $bp)))`)
  for (let r = 0; r < rows; r++) {
    L.push(`  (local.set $av (f32x4.splat (f32.load (local.get $ar${r}))))`)
    L.push(`  (local.set ${acc(r, 0)} (f32x4.add (local.get ${acc(r, 0)}) (f32x4.mul (local.get $av) (local.get $b0))))`)
    L.push(`  (local.set ${acc(r, 1)} (f32x4.add (local.get ${acc(r, 1)}) (f32x4.mul (local.get $av) (local.get $b1))))`)
    L.push(`  (local.set $ar${r} (i32.add (local.get $ar${r}) (local.get $csb)))`)
  }
  L.push(`  (local.set $bp (i32.add (local.get $bp) (i32.const 32)))`)
  L.push(`  (br_if $lp (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))`)
  for (let r = 0; r < rows; r++) {
    L.push(`(v128.store (i32.add (local.get $cp) (i32.mul (i32.const ${r}) (local.get $ldb))) (local.get ${acc(r, 0)}))`)
    L.push(`(v128.store offset=16 (i32.add (local.get $cp) (i32.mul (i32.const ${r}) (local.get $ldb))) (local.get ${acc(r, 1)}))`)
  }
  return L.join("\n")
}

/** Row loop over `rows`-row tiles starting at $i while $i + rows ≤ M; leaves $i at the first row not done. */
function rowLoop(rows: number, label: string): string {
  return `(block $${label}_done (loop $${label}
  (br_if $${label}_done (i32.gt_s (i32.add (local.get $i) (i32.const ${rows})) (local.get $M)))
  (local.set $j (i32.const 0))
  (loop $${label}_j
    (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
    ${tile(rows)}
    (br_if $${label}_j (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $N))))
  (local.set $i (i32.add (local.get $i) (i32.const ${rows})))
  (br $${label})))`
}

/** The exported `sgemm` function (module text is assembled by build-wasm.ts). */
export function gemmFunc(rows = GEMM_ROWS): string {
  const locals: string[] = []
  for (let r = 0; r < rows; r++) locals.push(`(local $c${r}0 v128) (local $c${r}1 v128) (local $ar${r} i32)`)
  return `
  (func (export "sgemm") (param $M i32) (param $N i32) (param $K i32) (param $a i32) (param $rs i32) (param $cs i32) (param $b i32) (param $c i32)
    (local $i i32) (local $j i32) (local $p i32) (local $bp i32) (local $cp i32) (local $ldb i32) (local $rsb i32) (local $csb i32)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    ${locals.join("\n    ")}
    (if (i32.le_s (local.get $K) (i32.const 0)) (then (return)))
    (local.set $ldb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rsb (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $csb (i32.shl (local.get $cs) (i32.const 2)))
    (local.set $i (i32.const 0))
    ${rowLoop(rows, "main")}
    ${rows > 1 ? rowLoop(1, "tail") : ""}
  )`
}
