// WebAssembly-SIMD text of the activation kernels (assembled by build-wasm.ts into kernels-wasm.ts).
// Per element, Math.exp + Math.log1p cost ~10–20 ns in V8 and dominated the fused CGCNN gating and
// MEGNet's softplus layers; four lanes of a polynomial exp/log cost ~1 ns.
// exp and log follow Cephes expf / logf (S. Moshier), float32 accuracy (a few ulp); log1p(u) uses
// Goldberg's correction log(1+u)·u/((1+u)−1) so softplus keeps its relative accuracy for x ≪ 0.
//   softplus(x) = max(x, 0) + log1p(exp(−|x|));  sigmoid(x) = x ≥ 0 ? 1/(1+e) : e/(1+e), e = exp(−|x|)
// Exported loops take byte offsets into the module memory and n (a multiple of 4; callers pad).

const f4 = (v: number): string => `(v128.const f32x4 ${v} ${v} ${v} ${v})`
const i4 = (v: number): string => `(v128.const i32x4 ${v} ${v} ${v} ${v})`

function horner(x: string, coeffs: number[]): string {
  let acc = f4(coeffs[0]!)
  for (const c of coeffs.slice(1)) acc = `(f32x4.add (f32x4.mul ${acc} ${x}) ${f4(c)})`
  return acc
}

export function actFuncs(): string {
  const expPoly = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
  const logPoly = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]
  return `
  (func $exp (param $x v128) (result v128) (local $fx v128) (local $z v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) ${f4(88.3762626647949)}) ${f4(-87.3365447504)}))
    (local.set $fx (f32x4.nearest (f32x4.mul (local.get $x) ${f4(1.44269504088896341)})))
    (local.set $x (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) ${f4(0.693359375)}))
      (f32x4.mul (local.get $fx) ${f4(-2.12194440e-4)})))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (f32x4.mul
      (f32x4.add (f32x4.add (f32x4.mul ${horner("(local.get $x)", expPoly)} (local.get $z)) (local.get $x)) ${f4(1)})
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) ${i4(127)}) (i32.const 23))))

  ;; log(y) for normal positive y
  (func $log (param $y v128) (result v128) (local $e v128) (local $m v128) (local $small v128) (local $x v128) (local $z v128)
    (local.set $e (f32x4.convert_i32x4_s (i32x4.sub (i32x4.shr_u (local.get $y) (i32.const 23)) ${i4(126)})))
    (local.set $m (v128.or (v128.and (local.get $y) ${i4(0x807fffff)}) ${i4(0x3f000000)}))
    (local.set $small (f32x4.lt (local.get $m) ${f4(0.707106781186547524)}))
    (local.set $e (f32x4.sub (local.get $e) (v128.and (local.get $small) ${f4(1)})))
    (local.set $x (f32x4.sub (f32x4.add (local.get $m) (v128.and (local.get $small) (local.get $m))) ${f4(1)}))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (f32x4.add
      (f32x4.add
        (f32x4.sub
          (f32x4.add (f32x4.mul (f32x4.mul ${horner("(local.get $x)", logPoly)} (local.get $x)) (local.get $z))
            (f32x4.mul (local.get $e) ${f4(-2.12194440e-4)}))
          (f32x4.mul (local.get $z) ${f4(0.5)}))
        (local.get $x))
      (f32x4.mul (local.get $e) ${f4(0.693359375)})))

  ;; log1p(u) for u in [0, 1]
  (func $log1p (param $u v128) (result v128) (local $w v128) (local $d v128)
    (local.set $w (f32x4.add (local.get $u) ${f4(1)}))
    (local.set $d (f32x4.sub (local.get $w) ${f4(1)}))
    (v128.bitselect (local.get $u)
      (f32x4.div (f32x4.mul (call $log (local.get $w)) (local.get $u)) (local.get $d))
      (f32x4.eq (local.get $d) ${f4(0)})))

  (func $softplus4 (param $x v128) (result v128)
    (f32x4.add (f32x4.max (local.get $x) ${f4(0)}) (call $log1p (call $exp (f32x4.neg (f32x4.abs (local.get $x)))))))

  (func $sigmoid4 (param $x v128) (result v128) (local $e v128) (local $s v128)
    (local.set $e (call $exp (f32x4.neg (f32x4.abs (local.get $x)))))
    (local.set $s (f32x4.div ${f4(1)} (f32x4.add (local.get $e) ${f4(1)})))
    (v128.bitselect (local.get $s) (f32x4.mul (local.get $e) (local.get $s)) (f32x4.ge (local.get $x) ${f4(0)})))

  (func (export "softplus") (param $in i32) (param $out i32) (param $n i32) (local $end i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
      (v128.store (local.get $out) (call $softplus4 (v128.load (local.get $in))))
      (local.set $in (i32.add (local.get $in) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $l))))

  (func (export "sigmoid") (param $in i32) (param $out i32) (param $n i32) (local $end i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
      (v128.store (local.get $out) (call $sigmoid4 (v128.load (local.get $in))))
      (local.set $in (i32.add (local.get $in) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $l))))

  ;; CGCNN gating: f -> sf = σ(f) (in place over f); c -> sp = softplus(c), sc = σ(c) (sc in place over c).
  ;; softplus and σ of c share e = exp(−|c|): σ(c) = c ≥ 0 ? 1/(1+e) : e/(1+e).
  (func (export "gate") (param $f i32) (param $c i32) (param $sp i32) (param $n i32) (local $end i32) (local $x v128) (local $e v128) (local $s v128)
    (local.set $end (i32.add (local.get $f) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $f) (local.get $end)))
      (v128.store (local.get $f) (call $sigmoid4 (v128.load (local.get $f))))
      (local.set $x (v128.load (local.get $c)))
      (local.set $e (call $exp (f32x4.neg (f32x4.abs (local.get $x)))))
      (v128.store (local.get $sp) (f32x4.add (f32x4.max (local.get $x) ${f4(0)}) (call $log1p (local.get $e))))
      (local.set $s (f32x4.div ${f4(1)} (f32x4.add (local.get $e) ${f4(1)})))
      (v128.store (local.get $c) (v128.bitselect (local.get $s) (f32x4.mul (local.get $e) (local.get $s)) (f32x4.ge (local.get $x) ${f4(0)})))
      (local.set $f (i32.add (local.get $f) (i32.const 16)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
      (br $l))))

  ;; sp = softplus(x) − shift, sg = σ(x), sharing e = exp(−|x|) (MEGNet's softplus2 and its derivative)
  (func (export "softplus_sigmoid") (param $in i32) (param $sp i32) (param $sg i32) (param $n i32) (param $shift f32)
    (local $end i32) (local $x v128) (local $e v128) (local $s v128) (local $sh v128)
    (local.set $sh (f32x4.splat (local.get $shift)))
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
      (local.set $x (v128.load (local.get $in)))
      (local.set $e (call $exp (f32x4.neg (f32x4.abs (local.get $x)))))
      (v128.store (local.get $sp) (f32x4.sub (f32x4.add (f32x4.max (local.get $x) ${f4(0)}) (call $log1p (local.get $e))) (local.get $sh)))
      (local.set $s (f32x4.div ${f4(1)} (f32x4.add (local.get $e) ${f4(1)})))
      (v128.store (local.get $sg) (v128.bitselect (local.get $s) (f32x4.mul (local.get $e) (local.get $s)) (f32x4.ge (local.get $x) ${f4(0)})))
      (local.set $in (i32.add (local.get $in) (i32.const 16)))
      (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
      (local.set $sg (i32.add (local.get $sg) (i32.const 16)))
      (br $l))))
`
}
