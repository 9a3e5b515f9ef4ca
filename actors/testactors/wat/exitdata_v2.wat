;; exitdata_v2: creates the block "abc", then vm.abort(20). A v2 abort carries
;; no data, so the receipt has none and no OnChainReturnValue is charged
;; (fvm-abi.md §7.2 step 4: v2 charges it on success only). Metered cost:
;; thunk 56 + one block [create: 4 consts + call = 20; abort: 3 consts + call
;; = 16; i32.const = 4] = 96 gas (the block is charged whole at entry); two
;; OnSyscall 14,000; OnBlockCreate 4 × 10.5.
(module
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "vm" "abort" (func $abort (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\63abc")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $create (i32.const 0x100) (i64.const 0x71) (i32.const 0) (i32.const 4)))
    (drop (call $abort (i32.const 20) (i32.const 0) (i32.const 0)))
    i32.const 0))
