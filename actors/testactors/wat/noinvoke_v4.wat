;; noinvoke_v4: a module that exports its memory but no `invoke`. FVM 4.1+
;; ends a call to it with exit SYS_INVALID_RECEIVER (5); 4.0 and earlier fail
;; the message (fvm-abi-next.md §1.2, §14 scenario 32).
(module
  (memory (export "memory") 1)
  (func (export "not_invoke") (param i32) (result i32) i32.const 0))
