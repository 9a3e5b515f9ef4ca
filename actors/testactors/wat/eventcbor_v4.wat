;; eventcbor_v4: emits the builtin-style event of fvm-gas-next.md §10
;; example 3 with CBOR (0x51) values, accepted from FVM 4.1.2 (fvm-abi-next.md
;; §5.3): entries $type → "allocation" (text, 11 bytes), id → 1000, client →
;; 1234, provider → 5678 (3 bytes each), flags 3; E = 4, K = 21, V = 20,
;; headers at 0, keys at 96, values at 117. OnActorEvent = 2,500 + 5,600 +
;; 336 + 17.2·89 = 9,966.8 gas. Metered cost as event_v4: 88 gas, plus
;; OnSyscall 14,000.
(module
  (import "event" "emit_event" (func $emit (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\03\00\00\00\00\00\00\00\51\00\00\00\00\00\00\00\05\00\00\00\0b\00\00\00\03\00\00\00\00\00\00\00\51\00\00\00\00\00\00\00\02\00\00\00\03\00\00\00\03\00\00\00\00\00\00\00\51\00\00\00\00\00\00\00\06\00\00\00\03\00\00\00\03\00\00\00\00\00\00\00\51\00\00\00\00\00\00\00\08\00\00\00\03\00\00\00\24\74\79\70\65\69\64\63\6c\69\65\6e\74\70\72\6f\76\69\64\65\72\6a\61\6c\6c\6f\63\61\74\69\6f\6e\19\03\e8\19\04\d2\19\16\2e")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $emit (i32.const 0) (i32.const 4) (i32.const 96) (i32.const 21) (i32.const 117) (i32.const 20)))
    i32.const 0))
