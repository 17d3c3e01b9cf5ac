// WebAssembly-SIMD text of the edge-wise passes of the fused CGCNN gating forward (cpu-kernels.ts,
// GnnCgcnnGate; assembled by build-wasm.ts). In JS these three passes over [E, 2F] cost more than the
// GEMMs around them. Byte offsets throughout; C = 2F columns, F a multiple of 4.
//   gate_z:       z[e] = ps[dst[e]] + pn[src[e]] + q[e] + b (in place over q); s1 += z − shift, s2 += (z − shift)² (f64)
//   gate_norm:    x̂ = (z − mean)·invStd in place; f[e] = γ_f·x̂_f + β_f, c[e] = γ_c·x̂_c + β_c
//   gate_scatter: out[dst[e]] += sf[e] ⊙ sp[e]
// and of its gradient (GnnCgcnnGateGrad):
//   gate_bwd_a:   dy_f = dm·sp·σf(1−σf), dy_c = dm·σf·σc with dm = dout[dst[e]]; Σdy, Σdy·x̂ (f64)
//   gate_bwd_b:   dz = a·dy − b − x̂·c (per column); Σdz (f64); dps[dst[e]] += dz, dpn[src[e]] += dz

const ld = (p: string): string => `(v128.load ${p})`
const add = (a: string, b: string): string => `(i32.add ${a} ${b})`
const g = (n: string): string => `(local.get $${n})`


const accF64 = (base: string, kExpr: string, v: string): string => `
        (local.set $lo (f64x2.promote_low_f32x4 ${v}))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v})))
        (local.set $o (i32.add (local.get $${base}) (i32.shl ${kExpr} (i32.const 1))))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $lo)))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $hi)))`

export function gateFuncs(): string {
  return `
  (func (export "gate_z") (param $ps i32) (param $pn i32) (param $q i32) (param $bias i32) (param $dst i32) (param $src i32)
      (param $E i32) (param $C i32) (param $shift i32) (param $s1 i32) (param $s2 i32)
    (local $cb i32) (local $rp i32) (local $rn i32) (local $rq i32) (local $k i32) (local $end i32) (local $o i32)
    (local $v v128) (local $d v128) (local $lo v128) (local $hi v128)
    (local.set $cb (i32.shl ${g("C")} (i32.const 2)))
    (local.set $end ${add(g("dst"), `(i32.shl ${g("E")} (i32.const 2))`)})
    (local.set $rq ${g("q")})
    (block $done (loop $edges
      (br_if $done (i32.ge_u ${g("dst")} ${g("end")}))
      (local.set $rp ${add(g("ps"), `(i32.mul (i32.load ${g("dst")}) ${g("cb")})`)})
      (local.set $rn ${add(g("pn"), `(i32.mul (i32.load ${g("src")}) ${g("cb")})`)})
      (local.set $k (i32.const 0))
      (loop $cols
        (local.set $v (f32x4.add (f32x4.add ${ld(add(g("rp"), g("k")))} ${ld(add(g("rn"), g("k")))})
          (f32x4.add ${ld(add(g("rq"), g("k")))} ${ld(add(g("bias"), g("k")))})))
        (v128.store ${add(g("rq"), g("k"))} ${g("v")})
        (local.set $d (f32x4.sub ${g("v")} ${ld(add(g("shift"), g("k")))}))
        (local.set $lo (f64x2.promote_low_f32x4 ${g("d")}))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${g("d")} ${g("d")})))
        (local.set $o ${add(g("s1"), `(i32.shl ${g("k")} (i32.const 1))`)})
        (v128.store ${g("o")} (f64x2.add ${ld(g("o"))} ${g("lo")}))
        (v128.store offset=16 ${g("o")} (f64x2.add (v128.load offset=16 ${g("o")}) ${g("hi")}))
        (local.set $o ${add(g("s2"), `(i32.shl ${g("k")} (i32.const 1))`)})
        (v128.store ${g("o")} (f64x2.add ${ld(g("o"))} (f64x2.mul ${g("lo")} ${g("lo")})))
        (v128.store offset=16 ${g("o")} (f64x2.add (v128.load offset=16 ${g("o")}) (f64x2.mul ${g("hi")} ${g("hi")})))
        (br_if $cols (i32.lt_u (local.tee $k (i32.add ${g("k")} (i32.const 16))) ${g("cb")})))
      (local.set $rq ${add(g("rq"), g("cb"))})
      (local.set $dst (i32.add ${g("dst")} (i32.const 4)))
      (local.set $src (i32.add ${g("src")} (i32.const 4)))
      (br $edges))))

  (func (export "gate_norm") (param $z i32) (param $E i32) (param $C i32) (param $mean i32) (param $inv i32)
      (param $gamma i32) (param $beta i32) (param $f i32) (param $c i32)
    (local $hb i32) (local $k i32) (local $end i32) (local $x v128)
    (local.set $hb (i32.shl ${g("C")} (i32.const 1)))
    (local.set $end ${add(g("z"), `(i32.shl (i32.mul ${g("E")} ${g("C")}) (i32.const 2))`)})
    (block $done (loop $edges
      (br_if $done (i32.ge_u ${g("z")} ${g("end")}))
      (local.set $k (i32.const 0))
      (loop $cols
        (local.set $x (f32x4.mul (f32x4.sub ${ld(add(g("z"), g("k")))} ${ld(add(g("mean"), g("k")))}) ${ld(add(g("inv"), g("k")))}))
        (v128.store ${add(g("z"), g("k"))} ${g("x")})
        (v128.store ${add(g("f"), g("k"))} (f32x4.add (f32x4.mul ${ld(add(g("gamma"), g("k")))} ${g("x")}) ${ld(add(g("beta"), g("k")))}))
        (local.set $x (f32x4.mul (f32x4.sub ${ld(add(add(g("z"), g("hb")), g("k")))} ${ld(add(add(g("mean"), g("hb")), g("k")))})
          ${ld(add(add(g("inv"), g("hb")), g("k")))}))
        (v128.store ${add(add(g("z"), g("hb")), g("k"))} ${g("x")})
        (v128.store ${add(g("c"), g("k"))} (f32x4.add (f32x4.mul ${ld(add(add(g("gamma"), g("hb")), g("k")))} ${g("x")})
          ${ld(add(add(g("beta"), g("hb")), g("k")))}))
        (br_if $cols (i32.lt_u (local.tee $k (i32.add ${g("k")} (i32.const 16))) ${g("hb")})))
      (local.set $z ${add(g("z"), `(i32.shl ${g("hb")} (i32.const 1))`)})
      (local.set $f ${add(g("f"), g("hb"))})
      (local.set $c ${add(g("c"), g("hb"))})
      (br $edges))))

  (func (export "gate_scatter") (param $sf i32) (param $sp i32) (param $dst i32) (param $E i32) (param $F i32) (param $out i32)
    (local $fb i32) (local $k i32) (local $end i32) (local $ro i32)
    (local.set $fb (i32.shl ${g("F")} (i32.const 2)))
    (local.set $end ${add(g("dst"), `(i32.shl ${g("E")} (i32.const 2))`)})
    (block $done (loop $edges
      (br_if $done (i32.ge_u ${g("dst")} ${g("end")}))
      (local.set $ro ${add(g("out"), `(i32.mul (i32.load ${g("dst")}) ${g("fb")})`)})
      (local.set $k (i32.const 0))
      (loop $cols
        (v128.store ${add(g("ro"), g("k"))} (f32x4.add ${ld(add(g("ro"), g("k")))}
          (f32x4.mul ${ld(add(g("sf"), g("k")))} ${ld(add(g("sp"), g("k")))})))
        (br_if $cols (i32.lt_u (local.tee $k (i32.add ${g("k")} (i32.const 16))) ${g("fb")})))
      (local.set $sf ${add(g("sf"), g("fb"))})
      (local.set $sp ${add(g("sp"), g("fb"))})
      (local.set $dst (i32.add ${g("dst")} (i32.const 4)))
      (br $edges))))

  (func (export "gate_bwd_a") (param $dout i32) (param $xh i32) (param $sf i32) (param $sp i32) (param $sc i32) (param $dst i32)
      (param $E i32) (param $F i32) (param $dz i32) (param $sb i32) (param $sg i32)
    (local $fb i32) (local $k i32) (local $end i32) (local $ro i32) (local $o i32)
    (local $dm v128) (local $s v128) (local $dy v128) (local $lo v128) (local $hi v128)
    (local.set $fb (i32.shl ${g("F")} (i32.const 2)))
    (local.set $end ${add(g("dst"), `(i32.shl ${g("E")} (i32.const 2))`)})
    (block $done (loop $edges
      (br_if $done (i32.ge_u ${g("dst")} ${g("end")}))
      (local.set $ro ${add(g("dout"), `(i32.mul (i32.load ${g("dst")}) ${g("fb")})`)})
      (local.set $k (i32.const 0))
      (loop $cols
        (local.set $dm ${ld(add(g("ro"), g("k")))})
        (local.set $s ${ld(add(g("sf"), g("k")))})
        (local.set $dy (f32x4.mul (f32x4.mul ${g("dm")} ${ld(add(g("sp"), g("k")))}) (f32x4.mul ${g("s")} (f32x4.sub (v128.const f32x4 1 1 1 1) ${g("s")}))))
        (v128.store ${add(g("dz"), g("k"))} ${g("dy")})
        ${accF64("sb", g("k"), g("dy"))}
        ${accF64("sg", g("k"), `(f32x4.mul ${g("dy")} ${ld(add(g("xh"), g("k")))})`)}
        (local.set $dy (f32x4.mul (f32x4.mul ${g("dm")} ${g("s")}) ${ld(add(g("sc"), g("k")))}))
        (v128.store ${add(add(g("dz"), g("fb")), g("k"))} ${g("dy")})
        ${accF64("sb", add(g("k"), g("fb")), g("dy"))}
        ${accF64("sg", add(g("k"), g("fb")), `(f32x4.mul ${g("dy")} ${ld(add(add(g("xh"), g("fb")), g("k")))})`)}
        (br_if $cols (i32.lt_u (local.tee $k (i32.add ${g("k")} (i32.const 16))) ${g("fb")})))
      (local.set $dz ${add(g("dz"), `(i32.shl ${g("fb")} (i32.const 1))`)})
      (local.set $xh ${add(g("xh"), `(i32.shl ${g("fb")} (i32.const 1))`)})
      (local.set $sf ${add(g("sf"), g("fb"))})
      (local.set $sp ${add(g("sp"), g("fb"))})
      (local.set $sc ${add(g("sc"), g("fb"))})
      (local.set $dst (i32.add ${g("dst")} (i32.const 4)))
      (br $edges))))

  (func (export "gate_bwd_b") (param $dz i32) (param $xh i32) (param $dst i32) (param $src i32) (param $E i32) (param $C i32)
      (param $a i32) (param $b i32) (param $c i32) (param $sbias i32) (param $dps i32) (param $dpn i32)
    (local $cb i32) (local $k i32) (local $end i32) (local $rp i32) (local $rn i32) (local $o i32)
    (local $d v128) (local $lo v128) (local $hi v128)
    (local.set $cb (i32.shl ${g("C")} (i32.const 2)))
    (local.set $end ${add(g("dst"), `(i32.shl ${g("E")} (i32.const 2))`)})
    (block $done (loop $edges
      (br_if $done (i32.ge_u ${g("dst")} ${g("end")}))
      (local.set $rp ${add(g("dps"), `(i32.mul (i32.load ${g("dst")}) ${g("cb")})`)})
      (local.set $rn ${add(g("dpn"), `(i32.mul (i32.load ${g("src")}) ${g("cb")})`)})
      (local.set $k (i32.const 0))
      (loop $cols
        (local.set $d (f32x4.sub (f32x4.sub (f32x4.mul ${ld(add(g("a"), g("k")))} ${ld(add(g("dz"), g("k")))}) ${ld(add(g("b"), g("k")))})
          (f32x4.mul ${ld(add(g("xh"), g("k")))} ${ld(add(g("c"), g("k")))})))
        (v128.store ${add(g("dz"), g("k"))} ${g("d")})
        ${accF64("sbias", g("k"), g("d"))}
        (v128.store ${add(g("rp"), g("k"))} (f32x4.add ${ld(add(g("rp"), g("k")))} ${g("d")}))
        (v128.store ${add(g("rn"), g("k"))} (f32x4.add ${ld(add(g("rn"), g("k")))} ${g("d")}))
        (br_if $cols (i32.lt_u (local.tee $k (i32.add ${g("k")} (i32.const 16))) ${g("cb")})))
      (local.set $dz ${add(g("dz"), g("cb"))})
      (local.set $xh ${add(g("xh"), g("cb"))})
      (local.set $dst (i32.add ${g("dst")} (i32.const 4)))
      (local.set $src (i32.add ${g("src")} (i32.const 4)))
      (br $edges))))
`
}
