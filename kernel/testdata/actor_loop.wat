;; Loops forever: the metering runs it out of gas → exit 7, gas_used = limit.
(module
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (loop $l (br $l))
    i32.const 0))
