;; hostcall: n calls of a host function that adds one: the cost of crossing
;; into the host and back, which every syscall pays.
(module
  (import "bench" "host" (func $host (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $host (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
