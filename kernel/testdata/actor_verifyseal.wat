;; An actor importing crypto.verify_seal: FVM v2 links it; 3.14.1 and every
;; v4 do not (removed in 3.7.0), so on nv18–20 it fails to link
;; (fvm-abi-next.md §3.1, §14 scenario 28).
(module
  (import "crypto" "verify_seal" (func $verify_seal (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $verify_seal (i32.const 0) (i32.const 0) (i32.const 0)))
    (i32.const 0)))
