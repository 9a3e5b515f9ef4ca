;; exitdata_v3: creates the block "abc", then vm.exit(20, block). v3 keeps
;; the data with a failure exit code and charges OnChainReturnValue for it
;; (fvm-abi.md §7.2 step 4, §13 item 15). Metered cost: thunk 56 + one block
;; [create: 4 consts + call = 20; exit: i32.const, i32.const, i32.load,
;; i32.const, i32.const, call = 24; i32.const = 4] = 104 gas; two OnSyscall
;; 14,000; OnBlockCreate 4 × 10; OnChainReturnValue 4 × 1,300.
(module
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "vm" "exit" (func $exit (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\63abc")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $create (i32.const 0x100) (i64.const 0x71) (i32.const 0) (i32.const 4)))
    (drop (call $exit (i32.const 20) (i32.load (i32.const 0x100)) (i32.const 0) (i32.const 0)))
    i32.const 0))
