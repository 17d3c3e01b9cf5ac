// numerics/mds/numpy-arith.ts: the exact rounding of the numpy / OpenBLAS operations that scikit-learn's SMACOF
// uses, so that a tie between MDS starts (equal in exact arithmetic, e.g. layouts that only swap the isolated
// noble gases) is broken the way scikit-learn breaks it. Pure functions over Float64Array; no allocation.
//   - `.sum()` of a float64 array: numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src,
//     `pairwise_sum`): below 8 terms a plain loop; up to 128 terms eight interleaved accumulators combined as
//     ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remainder one by one; above that a split at n/2 rounded
//     down to a multiple of 8. A reduction over a whole array runs in chunks of the iterator's buffer
//     (8,192 elements) added in order; a row sum (`axis=1` of a C-ordered matrix) is one pairwise sum per row.
//   - `np.dot(B, x)` with B square and C-ordered: BLAS dgemv, here OpenBLAS's Haswell kernel (also used on Zen
//     and SkylakeX: kernel/x86_64/dgemv_t_4.c with dgemv_t_microk_haswell-4.c): per output four FMA lanes over
//     the columns i ≡ 0,1,2,3 (mod 4), combined as (l0+l2)+(l1+l3). Other BLAS builds order this sum
//     differently; that is the one place where scikit-learn's own result depends on the machine.
// Verified against numpy 1.24.2 with OpenBLAS 0.3.21 (Haswell core) by numpy-arith.test.ts.

/** numpy's pairwise_sum of a[start … start+n). */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += a[start + i]!
    return res
  }
  if (n <= 128) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!
    const end = n - (n % 8)
    let i = 8
    for (; i < end; i += 8) {
      const o = start + i
      r0 += a[o]!; r1 += a[o + 1]!; r2 += a[o + 2]!; r3 += a[o + 3]!
      r4 += a[o + 4]!; r5 += a[o + 5]!; r6 += a[o + 6]!; r7 += a[o + 7]!
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for (; i < n; i++) res += a[start + i]!
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2)
}

/** `a[0:n].sum()` for a contiguous float64 array: pairwise per 8,192-element buffer, buffers added in order. */
export function numpySum(a: Float64Array, n = a.length): number {
  const BUFFER = 8192
  let acc = 0
  for (let s = 0; s < n; s += BUFFER) acc += pairwiseSum(a, s, Math.min(BUFFER, n - s))
  return acc
}

const SPLIT = 134217729 // 2^27 + 1, Veltkamp's splitter for doubles
let xHalves = new Float64Array(0)

/**
 * a·b + c rounded once, as the FMA instruction does; for finite operands far from overflow and underflow
 * (Dekker's exact product, Knuth's exact sums, then a correction for the one case where two roundings differ
 * from one: a sum exactly halfway between two doubles whose tail was itself rounded).
 */
export function fma(a: number, b: number, c: number): number {
  const t = SPLIT * b
  const bh = t - (t - b)
  return fmaSplit(a, b, bh, b - bh, c)
}

/** fma(a, b, c) with b's Veltkamp halves bh + bl = b given (a product reuses them across a whole row). */
function fmaSplit(a: number, b: number, bh: number, bl: number, c: number): number {
  const p = a * b
  const t = SPLIT * a
  const ah = t - (t - a)
  const al = a - ah
  const e = ah * bh - p + ah * bl + al * bh + al * bl // p + e = a·b exactly
  const s = p + c
  let z = s - p
  const q = p - (s - z) + (c - z) // s + q = p + c exactly
  const u = q + e
  const r = s + u
  z = u - q
  const v = q - (u - z) + (e - z) // u + v = q + e exactly
  if (v === 0) return r
  z = r - s
  const w = s - (r - z) + (u - z) // r + w = s + u exactly
  // s + u exactly halfway between r and its neighbour r + 2w: the true value a·b + c = r + w + v lies on v's side
  return w !== 0 && r + 2 * w - r === 2 * w && w > 0 === v > 0 ? r + 2 * w : r
}

/**
 * y = B·x for a C-ordered n×n matrix B, in the order of OpenBLAS's Haswell dgemv_t kernel (numpy calls
 * cblas_dgemv(RowMajor, NoTrans), which OpenBLAS runs as the transposed column-major kernel; alpha = 1,
 * beta = 0 leave every sum unchanged). Columns beyond the last multiple of 4 and rows beyond the last
 * multiple of 4 take the kernel's tail paths (plain multiply-adds, no FMA).
 */
export function dgemvRowMajor(B: Float64Array, n: number, x: Float64Array, y: Float64Array): void {
  const m4 = n - (n % 4) // columns handled by the blocked kernels
  const rows4 = m4 // rows handled by the 4-row FMA kernel
  // x's Veltkamp halves once per product, not once per FMA
  if (xHalves.length < 2 * n) xHalves = new Float64Array(2 * n)
  const xs = xHalves
  for (let j = 0; j < n; j++) {
    const b = x[j]!
    const t = SPLIT * b
    const bh = t - (t - b)
    xs[2 * j] = bh
    xs[2 * j + 1] = b - bh
  }
  for (let i = 0; i < rows4; i++) {
    const o = i * n
    let l0 = 0, l1 = 0, l2 = 0, l3 = 0
    // the lanes are independent sums, so each can run to the end before the next
    for (let lane = 0; lane < 4; lane++) {
      let c = 0
      for (let j = lane; j < m4; j += 4) c = fmaSplit(B[o + j]!, x[j]!, xs[2 * j]!, xs[2 * j + 1]!, c)
      if (lane === 0) l0 = c
      else if (lane === 1) l1 = c
      else if (lane === 2) l2 = c
      else l3 = c
    }
    y[i] = l0 + l2 + (l1 + l3)
  }
  // dgemv_kernel_4x2 (rows n−2, n−1 when n % 4 ≥ 2): SSE multiply then add, two lanes (j mod 2), then hadd
  let i = rows4
  if ((n - rows4) & 2) {
    for (let r = i; r < i + 2; r++) {
      const o = r * n
      let l0 = 0, l1 = 0
      for (let j = 0; j < m4; j += 2) {
        l0 += B[o + j]! * x[j]!
        l1 += B[o + j + 1]! * x[j + 1]!
      }
      y[r] = l0 + l1
    }
    i += 2
  }
  // dgemv_kernel_4x1 (the last row when n is odd): lanes j mod 4 in two SSE registers, (l0+l2)+(l1+l3)
  if ((n - rows4) & 1) {
    const o = i * n
    let l0 = 0, l1 = 0, l2 = 0, l3 = 0
    for (let j = 0; j < m4; j += 4) {
      l0 += B[o + j]! * x[j]!
      l1 += B[o + j + 1]! * x[j + 1]!
      l2 += B[o + j + 2]! * x[j + 2]!
      l3 += B[o + j + 3]! * x[j + 3]!
    }
    y[i] = l0 + l2 + (l1 + l3)
  }
  // the last n % 4 columns, OpenBLAS's C tail as GCC contracts it: y += a·x (one FMA); y += a0·x0 + a1·x1 as
  // y + fma(a0, x0, a1·x1); with a third column, y + fma(a2, x2, fma(a0, x0, a1·x1))
  const tail = n - m4
  for (let r = 0; tail > 0 && r < n; r++) {
    const o = r * n + m4
    if (tail === 1) y[r] = fma(B[o]!, x[m4]!, y[r]!)
    else {
      let t = fma(B[o]!, x[m4]!, B[o + 1]! * x[m4 + 1]!)
      if (tail === 3) t = fma(B[o + 2]!, x[m4 + 2]!, t)
      y[r] = y[r]! + t
    }
  }
}
