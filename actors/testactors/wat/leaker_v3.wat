;; leaker (FVM v3 ABI), actor f096: sends method 2 to itself without a gas
;; limit until the send fails (the call-depth limit), returning 0 whenever
;; its child returned. The frame whose send failed then sends to itself with
;; gas_limit 1,000,000, which fails the depth check too, and loops until it
;; runs out of gas. On 3.6.0–4.0.0 that second send leaves its sub-limit
;; pushed (fvm-abi-next.md §7.3, fvm-gas-next.md §1.2): the loop runs out at
;; 1,000,000, the enclosing sends see no gas left, and the receipt reports
;; exit 7 with gas_used 1,000,000.
(module
  (import "send" "send" (func $send (param i32 i32 i32 i64 i32 i64 i64 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\00\60") ;; f096: 0x00 ‖ LEB128 96
  (func (export "invoke") (param i32) (result i32)
    (if (i32.eqz (call $send (i32.const 0x40) (i32.const 0) (i32.const 2) (i64.const 2) (i32.const 0)
        (i64.const 0) (i64.const 0) (i64.const -1) (i64.const 0)))
      (then (return (i32.const 0))))
    (drop (call $send (i32.const 0x40) (i32.const 0) (i32.const 2) (i64.const 2) (i32.const 0)
      (i64.const 0) (i64.const 0) (i64.const 1000000) (i64.const 0)))
    (loop $forever (br $forever))
    unreachable))
