;; aggseals_v4: crypto.verify_aggregate_seals(ret 0x10) of its params (a CBOR
;; AggregateSealVerifyProofAndInfos): OnVerifyAggregateSeals = per-proof·n +
;; step(n) by the seal proof's rows; NI-PoRep has its own rows only from nv25
;; (TEEP; fvm-abi-next.md §7.14, §14 scenario 26).
;; The params (CBOR, at most 32 KiB) are read whole to 0x1000: block_read
;; into a 32 KiB buffer answers size − 32 KiB at 0, so the length is that
;; answer + 0x8000. Metered cost: thunk 56 + one block of fourteen 4-gas
;; instructions (the two calls with their six and seven operand and call
;; instructions, the final i32.const; drop is free) = 112 gas, plus two
;; OnSyscall 14,000 and OnBlockRead 0.4 gas per params byte.
(module
  (import "ipld" "block_read" (func $read (param i32 i32 i32 i32 i32) (result i32)))
  (import "crypto" "verify_aggregate_seals" (func $agg (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $read (i32.const 0) (local.get 0) (i32.const 0) (i32.const 0x1000) (i32.const 0x8000)))
    (drop (call $agg (i32.const 0x10) (i32.const 0x1000) (i32.add (i32.load (i32.const 0)) (i32.const 0x8000))))
    i32.const 0))
