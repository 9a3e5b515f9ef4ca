;; dispatch: a tiny bytecode interpreter, one br_table per opcode read from
;; memory: the branchy code of decoders (CBOR, the EVM actor's interpreter).
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\00\01\02\03\01\00\02\01\03\02\00\03\01\02\00\03")
  (func (export "invoke") (param $n i32) (result i32)
    (local $pc i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $n)))
        (block $op3 (block $op2 (block $op1 (block $op0
          (br_table $op0 $op1 $op2 $op3 $op0 (i32.load8_u (i32.and (local.get $pc) (i32.const 15)))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 7))) (br $op3))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 3))) (br $op3))
          (local.set $acc (i32.xor (local.get $acc) (i32.shr_u (local.get $acc) (i32.const 5)))) (br $op3))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $step)))
    (local.get $acc)))
