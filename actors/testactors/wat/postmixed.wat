;; postmixed: as postv1p1, with the 48-byte info whose proofs are of two
;; types, [[13, h'01'], [8 (StackedDRGWindow32GiBV1), h'01']]: refused by
;; 3.14.1 (one type per call) and by FVM v2 (no V1P1) alike, after the
;; charge (fvm-abi-next.md §7.14, §14 scenario 24). Metered cost as
;; postv1p1's.
(module
  (import "crypto" "verify_post" (func $verify_post (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x100) "\84\58\20\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\82\82\0d\41\01\82\08\41\01\80\19\03\e8")
  (func (export "invoke") (param i32) (result i32)
    (i32.mul (call $verify_post (i32.const 0) (i32.const 0x100) (i32.const 48)) (i32.const 100))))
