;; tipset (FVM v3 ABI): network.tipset_cid of epoch 999 (offset 1 at the
;; suite's epoch 1000: OnTipsetCid 50,000) into a 100-byte buffer, answer
;; ignored, then returns 0. Metered cost: thunk 56 + one block [i32.const,
;; i64.const, i32.const, i32.const, call, drop, i32.const] 6 × 4 = 24 gas
;; (drop free), plus OnSyscall 14,000.
(module
  (import "network" "tipset_cid" (func $tipset_cid (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $tipset_cid (i32.const 0) (i64.const 999) (i32.const 0x10) (i32.const 100)))
    i32.const 0))
