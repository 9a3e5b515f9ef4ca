;; nv17: vm.abort with a system code (3 < 16) → exit 9 (SYS_ILLEGAL_EXIT_CODE).
(module
  (import "vm" "abort" (func $abort (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $abort (i32.const 3) (i32.const 0) (i32.const 0)))
    i32.const 0))
