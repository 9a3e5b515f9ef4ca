;; A wasm trap → exit 4 (SYS_ILLEGAL_INSTRUCTION).
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    unreachable))
