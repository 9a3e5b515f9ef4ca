;; postv1p1: crypto.verify_post of the 44-byte WindowPoStVerifyInfo at 0x100
;; [randomness 32 × 0, proofs [[13 (StackedDRGWindow32GiBV1P1), h'01']],
;; challenged sectors [], prover 1000]; invoke returns 100 × the error
;; number: 0 (exit 0, no data) when the call succeeds, 100 (an unknown
;; block: exit 11) when it is refused. V1P1 is refused by FVM v2 and taken
;; by 3.14.1 (fvm-abi-next.md §7.14). The same wasm for both lines. Metered
;; cost: thunk 56 + one block [i32.const ×3, call, i32.const, i32.mul]
;; 6 × 4 = 24 gas, plus OnSyscall 14,000 and OnVerifyPost 117,680,921 (no
;; challenged sectors).
(module
  (import "crypto" "verify_post" (func $verify_post (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x100) "\84\58\20\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\81\82\0d\41\01\80\19\03\e8")
  (func (export "invoke") (param i32) (result i32)
    (i32.mul (call $verify_post (i32.const 0) (i32.const 0x100) (i32.const 44)) (i32.const 100))))
