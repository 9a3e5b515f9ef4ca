;; destruct: self.self_destruct to Bob (f0101: 0x00 ‖ LEB128 101 = 0x65),
;; ignoring the answer, then returns 0. The same wasm for both ABIs. Metered
;; cost: thunk 56 + one block [i32.const, i32.const, call, drop, i32.const]
;; 4 × 4 = 16 gas (drop free), plus OnSyscall 14,000; OnDeleteActor is a
;; refund of 98,800 gas in nv17 and 0 in nv18, where the transfer and the
;; deletion pay the state-access charges (fvm-abi.md §3.2 self, §6.9).
(module
  (import "self" "self_destruct" (func $self_destruct (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\00\65")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $self_destruct (i32.const 0) (i32.const 2)))
    i32.const 0))
