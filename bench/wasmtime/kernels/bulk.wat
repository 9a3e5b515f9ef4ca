;; bulk: memory.fill and memory.copy of 64 KiB blocks with run-time lengths:
;; the per-byte charges of FVM v3 (fvm-gas.md §3.2) and the engines' bulk
;; memory paths.
(module
  (memory (export "memory") 17)
  (func (export "invoke") (param $n i32) (result i32)
    (local $i i32) (local $len i32)
    (local.set $len (i32.const 65536))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $i (i32.and (local.get $n) (i32.const 7)))
        (memory.fill (i32.mul (local.get $i) (local.get $len)) (local.get $n) (local.get $len))
        (memory.copy (i32.add (i32.const 524288) (i32.mul (local.get $i) (local.get $len)))
                     (i32.mul (local.get $i) (local.get $len)) (local.get $len))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.load (i32.const 524288))))
