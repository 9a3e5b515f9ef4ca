;; destruct_v4: self.self_destruct(burn_funds = 1) (FVM v4, FIP-0073),
;; ignoring the answer, then returns 0. The balance moves to the burnt-funds
;; actor f099 without OnValueTransfer (fvm-abi-next.md §3.3). Metered cost:
;; thunk 56 + one block [i32.const, call, drop, i32.const] of three 4-gas
;; instructions (drop free) = 68 gas, plus OnSyscall 14,000.
(module
  (import "self" "self_destruct" (func $self_destruct (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $self_destruct (i32.const 1)))
    i32.const 0))
