;; rand_v4: rand.get_chain_randomness(ret 0, epoch 100) (FVM v4, FIP-0075),
;; ignoring the answer. At epoch 1,000 the lookback is 900: OnGetRandomness =
;; 146,200 + 75·900 = 213,700 gas, whatever the extern answers
;; (fvm-abi-next.md §3.3, §14 scenario 9). Metered cost: thunk 56 + one block
;; [i32.const, i64.const, call, drop, i32.const] of four 4-gas instructions =
;; 72 gas, plus OnSyscall 14,000.
(module
  (import "rand" "get_chain_randomness" (func $rand (param i32 i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $rand (i32.const 0) (i64.const 100)))
    i32.const 0))
