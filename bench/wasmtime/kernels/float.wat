;; float: a Mandelbrot escape-time loop in f64: the float arithmetic whose
;; NaNs both engines canonicalise (cranelift natively, gofvm by inserted
;; code, fvm-abi.md §11).
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param $n i32) (result i32)
    (local $p i32) (local $k i32) (local $total i32)
    (local $cr f64) (local $ci f64) (local $zr f64) (local $zi f64) (local $t f64)
    (block $done
      (loop $point
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $cr (f64.sub (f64.mul (f64.convert_i32_u (i32.and (local.get $p) (i32.const 255))) (f64.const 0.01171875)) (f64.const 2.0)))
        (local.set $ci (f64.sub (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $p) (i32.const 8))) (f64.const 0.01171875)) (f64.const 1.5)))
        (local.set $zr (f64.const 0)) (local.set $zi (f64.const 0)) (local.set $k (i32.const 0))
        (block $esc
          (loop $iter
            (br_if $esc (i32.ge_u (local.get $k) (i32.const 64)))
            (br_if $esc (f64.gt (f64.add (f64.mul (local.get $zr) (local.get $zr)) (f64.mul (local.get $zi) (local.get $zi))) (f64.const 4.0)))
            (local.set $t (f64.add (f64.sub (f64.mul (local.get $zr) (local.get $zr)) (f64.mul (local.get $zi) (local.get $zi))) (local.get $cr)))
            (local.set $zi (f64.add (f64.mul (f64.mul (f64.const 2.0) (local.get $zr)) (local.get $zi)) (local.get $ci)))
            (local.set $zr (local.get $t))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $iter)))
        (local.set $total (i32.add (local.get $total) (local.get $k)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $point)))
    (local.get $total)))
