;; tiny: one syscall (debug.enabled), then returns 0. Metered cost
;; (fvm-gas.md §3.3/§3.4): thunk 56 gas, one block [i32.const, call, drop,
;; i32.const] = 3 × 4 = 12 gas (drop is free, a call never splits a block),
;; plus OnSyscall 14,000: 14,068 gas per invocation.
(module
  (import "debug" "enabled" (func $enabled (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $enabled (i32.const 0)))
    i32.const 0))
