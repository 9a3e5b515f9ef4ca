;; An actor importing a syscall no ABI provides: must fail to link.
(module
  (import "vm" "no_such_syscall" (func $x (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32) local.get 0 call $x))
