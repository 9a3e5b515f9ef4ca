;; arith: an integer mixing loop (xorshift and multiply), all in locals: the
;; shape of hashing and bignum inner loops, where metering is densest.
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param $n i32) (result i32)
    (local $x i64) (local $y i64)
    (local.set $x (i64.const 0x9e3779b97f4a7c15))
    (local.set $y (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (local.set $y (i64.add (i64.mul (local.get $y) (i64.const 6364136223846793005)) (local.get $x)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.wrap_i64 (i64.xor (local.get $y) (i64.shr_u (local.get $y) (i64.const 32))))))
