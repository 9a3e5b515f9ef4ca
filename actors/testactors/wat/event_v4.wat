;; event_v4: emits one FIP-0072 event (fvm-abi-next.md §1.3, §5.2): one entry
;; [flags 3, codec 0x55, key "k", 32-byte value], E = 1, K = 1, V = 32, the
;; buffers as a data segment (header at 0, key at 24, value at 25). That is
;; §14 scenario 7: OnActorEvent = 2,500 + 1,400 + 16 + 17.2·(12 + 9 + 1 + 32)
;; = 4,844.8 gas. Metered cost: thunk 56 + one block [six i32.const, call,
;; drop, i32.const] of eight 4-gas instructions (drop free) = 88 gas, plus
;; OnSyscall 14,000.
(module
  (import "event" "emit_event" (func $emit (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\03\00\00\00\00\00\00\00\55\00\00\00\00\00\00\00\01\00\00\00\20\00\00\00\6b\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76\76")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $emit (i32.const 0) (i32.const 1) (i32.const 24) (i32.const 1) (i32.const 25) (i32.const 32)))
    i32.const 0))
