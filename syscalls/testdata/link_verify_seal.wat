;; link_verify_seal: imports crypto.verify_seal with its v2 signature. FVM
;; 2.12.1 links it; 3.14.1 (since 3.7.0) and 4.x do not, so the module fails
;; to link there (fvm-abi-next.md §3.1, §14 scenario 28).
(module
  (import "crypto" "verify_seal" (func $verify_seal (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32) i32.const 0))
