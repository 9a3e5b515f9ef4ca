;; avail_v3 (nv18 only): returns gas.available as the 9-byte DAG-CBOR byte
;; string 0x48 ‖ u64le. One metered block [i32.const, call, drop, four
;; consts, call, drop, i32.const, i32.load] of nine 4-gas instructions =
;; 36 gas, plus the thunk 56: all 92 gas are charged at block entry, before
;; gas.available, which answers the remaining gas after its own OnSyscall,
;; rounded down (fvm-abi.md §3.2 gas.available). Then OnSyscall and
;; OnBlockCreate(9) for the return block; the top level pays
;; OnChainReturnValue 9 × 1,300.
(module
  (import "gas" "available" (func $avail (param i32) (result i32)))
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x0f) "\48")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $avail (i32.const 0x10)))
    (drop (call $create (i32.const 0x100) (i64.const 0x71) (i32.const 0x0f) (i32.const 9)))
    (i32.load (i32.const 0x100))))
