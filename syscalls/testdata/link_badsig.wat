;; ipld.block_open with a wrong signature (missing ret_ptr): must fail to link.
(module
  (import "ipld" "block_open" (func $x (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32) local.get 0 call $x))
