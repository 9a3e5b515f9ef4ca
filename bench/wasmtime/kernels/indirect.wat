;; indirect: call_indirect through a four-entry table in a loop: the
;; dynamic dispatch of Rust trait objects in the actors.
(module
  (type $op (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 0) $a $b $c $d)
  (func $a (type $op) (i32.add (local.get 0) (i32.const 1)))
  (func $b (type $op) (i32.mul (local.get 0) (i32.const 3)))
  (func $c (type $op) (i32.xor (local.get 0) (i32.const 0x5555)))
  (func $d (type $op) (i32.rotl (local.get 0) (i32.const 5)))
  (func (export "invoke") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call_indirect (type $op) (local.get $acc) (i32.and (local.get $n) (i32.const 3))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
