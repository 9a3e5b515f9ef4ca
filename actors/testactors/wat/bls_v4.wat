;; bls_v4: crypto.verify_bls_aggregate(ret 0, 2 signers, signature at 0x100,
;; keys at 0x200, plaintexts at 0x300, lengths at 0x400 = [32, 32]) over
;; zero bytes: the signature does not decode, so the answer is −1, not an
;; error (fvm-abi-next.md §3.3, §14 scenario 27). OnVerifyBlsAggregateSignature
;; = 8,299,302·3 + 7·64 = 24,898,354 gas. Metered cost: thunk 56 + one block
;; [six i32.const, call, drop, i32.const] of eight 4-gas instructions = 88
;; gas, plus OnSyscall 14,000.
(module
  (import "crypto" "verify_bls_aggregate" (func $agg (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x400) "\20\00\00\00\20\00\00\00")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $agg (i32.const 0) (i32.const 2) (i32.const 0x100) (i32.const 0x200) (i32.const 0x300) (i32.const 0x400)))
    i32.const 0))
