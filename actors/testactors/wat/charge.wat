;; charge: gas.charge("x", −100,000), then returns 0. The same wasm for both
;; ABIs. v2 takes the amount as a signed i64, so usage drops by 100,000 gas;
;; v3 reads it as a u64 (2^64 − 100,000 gas), which runs out of gas
;; (fvm-abi.md §3.2 gas.charge, fvm-gas.md §1). Metered cost: thunk 56 + one
;; block [i32.const, i32.const, i64.const, call, drop, i32.const] 5 × 4 =
;; 20 gas, plus OnSyscall 14,000.
(module
  (import "gas" "charge" (func $charge (param i32 i32 i64) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "x")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $charge (i32.const 0) (i32.const 1) (i64.const -100000)))
    i32.const 0))
