;; retblk: creates the 4-byte DAG-CBOR block "abc" and returns it. The same
;; wasm for both ABIs. Metered cost: thunk 56 + one block [4 consts, call,
;; drop, i32.const, i32.load] 7 × 4 = 28 gas; OnSyscall 14,000; OnBlockCreate
;; 4 bytes (v2 10.5/byte, v3 10/byte); the top-level return value pays
;; OnChainReturnValue 1,300/byte (fvm-abi.md §7.2 step 4).
(module
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\63abc")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $create (i32.const 0x100) (i64.const 0x71) (i32.const 0) (i32.const 4)))
    (i32.load (i32.const 0x100))))
