;; An nv18-only syscall (vm.exit) imported by an actor run under the nv17 ABI.
(module
  (import "vm" "exit" (func $x (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32) i32.const 0 i32.const 0 i32.const 0 i32.const 0 call $x))
