;; Returns a block id the registry does not hold → exit 11 (SYS_MISSING_RETURN).
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    i32.const 7))
