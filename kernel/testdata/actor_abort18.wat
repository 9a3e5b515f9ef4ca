;; nv17: vm.abort(18, "x") → exit 18 (USR_FORBIDDEN).
(module
  (import "vm" "abort" (func $abort (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "x")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $abort (i32.const 18) (i32.const 0) (i32.const 1)))
    i32.const 0))
