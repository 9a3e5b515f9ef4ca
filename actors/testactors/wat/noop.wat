;; noop: invoke returns 0 (no return data) and does nothing else. It is the
;; code of system, account, placeholder, eam and ethaccount in the test
;; bundle (each copy tagged with a custom section so the code CIDs differ).
;; Metered cost (fvm-gas.md §3.3/§3.4): the invoke thunk 4·1 + 52 = 56 gas,
;; then one block [i32.const 0] = 4 gas: 60 gas per invocation.
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    i32.const 0))
