;; sealer: calls crypto.verify_seal with an empty info and ignores the
;; answer, then returns 0. The same wasm for both lines: FVM v2 links it
;; (the empty CBOR is IllegalArgument, before any OnVerifySeal); 3.14.1
;; (nv18–20) no longer links verify_seal, so the module fails to link and
;; the message is fatal (fvm-abi-next.md §3.1, §14 scenario 28). Metered
;; cost: thunk 56 + one block [i32.const ×3, call, drop, i32.const] 5 × 4 =
;; 20 gas (drop free), plus OnSyscall 14,000.
(module
  (import "crypto" "verify_seal" (func $verify_seal (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $verify_seal (i32.const 0) (i32.const 0) (i32.const 0)))
    i32.const 0))
