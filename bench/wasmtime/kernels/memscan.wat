;; memscan: write then read back 1 MiB with i64 stores and loads, n times:
;; linear-memory traffic with bounds checks.
(module
  (memory (export "memory") 17)
  (func (export "invoke") (param $n i32) (result i32)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $i (i32.const 0))
        (loop $w
          (i64.store (local.get $i) (i64.extend_i32_u (i32.add (local.get $i) (local.get $n))))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br_if $w (i32.lt_u (local.get $i) (i32.const 1048576))))
        (local.set $i (i32.const 0))
        (loop $r
          (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br_if $r (i32.lt_u (local.get $i) (i32.const 1048576))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (i32.wrap_i64 (local.get $sum))))
