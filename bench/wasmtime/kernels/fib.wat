;; fib: naive recursion, one call per node: the stack limiter's charge on
;; every call and return, and call overhead.
(module
  (memory (export "memory") 1)
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add
        (call $fib (i32.sub (local.get $n) (i32.const 1)))
        (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "invoke") (param $n i32) (result i32)
    (call $fib (local.get $n))))
