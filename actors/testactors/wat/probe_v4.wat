;; probe_v4 (FVM v4 only): runs one syscall with the arguments its params
;; give, so tests reach every FVM v4 syscall path at the message level
;; (fvm-abi-next.md §3, §14). Params: any block of at most 256 KiB, read to
;; 0x10000 (the memory is grown by 4 pages first): op u32 at 0, then the
;; arguments a0 … a7 as u64le at 8, 16, …, 64. Buffer arguments are offsets
;; into the params (the probe adds 0x10000). The return value is the raw
;; (0x55) block of 132 bytes at 0x300: the syscall's error number u32le, then
;; the 128-byte output area at 0x304 (zeros where nothing was written).
;;
;;  op  syscall
;;   1  event.emit_event(a0+P, a1, a2+P, a3, a4+P, a5)
;;   2  rand.get_chain_randomness(→0x304, epoch a0)
;;   3  rand.get_beacon_randomness(→0x304, epoch a0)
;;   4  network.tipset_cid(→0x304, epoch a0, cid →0x308, buffer a1)
;;   5  self.self_destruct(a0), then self.root(→0x304, cid →0x308, 100),
;;      whose error number goes to 0x380
;;   6  crypto.verify_bls_aggregate(→0x304, a0, sig a1+P, keys a2+P,
;;      plaintexts a3+P, lengths a4+P)
;;   7  crypto.verify_post(→0x304, a0+P, a1)
;;   8  crypto.batch_verify_seals(a0+P, a1, results →0x304)
;;   9  crypto.verify_aggregate_seals(→0x304, a0+P, a1)
;;  10  crypto.verify_signature(→0x304, a0, a1+P, a2, a3+P, a4, a5+P, a6)
;;  11  crypto.recover_secp_public_key(→0x304, a0+P, a1+P)
;;  12  send.send(→0x304, a0+P, a1, method a2, params, value a5, gas limit
;;      a6, flags a7), params a block_create(0x55, a3+P, a4) unless a4 = 0;
;;      then the first 100 bytes of the return block, if any, to 0x318
;;  13  crypto.compute_unsealed_sector_cid(→0x304, a0, a1+P, a2, cid →0x308, 100)
(module
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "ipld" "block_read" (func $read (param i32 i32 i32 i32 i32) (result i32)))
  (import "ipld" "block_stat" (func $stat (param i32 i32) (result i32)))
  (import "self" "root" (func $root (param i32 i32 i32) (result i32)))
  (import "self" "self_destruct" (func $self_destruct (param i32) (result i32)))
  (import "event" "emit_event" (func $emit (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "rand" "get_chain_randomness" (func $chain_rand (param i32 i64) (result i32)))
  (import "rand" "get_beacon_randomness" (func $beacon_rand (param i32 i64) (result i32)))
  (import "network" "tipset_cid" (func $tipset_cid (param i32 i64 i32 i32) (result i32)))
  (import "crypto" "verify_bls_aggregate" (func $bls_agg (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "crypto" "verify_post" (func $verify_post (param i32 i32 i32) (result i32)))
  (import "crypto" "batch_verify_seals" (func $batch_seals (param i32 i32 i32) (result i32)))
  (import "crypto" "verify_aggregate_seals" (func $agg_seals (param i32 i32 i32) (result i32)))
  (import "crypto" "verify_signature" (func $verify_sig (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "crypto" "recover_secp_public_key" (func $recover (param i32 i32 i32) (result i32)))
  (import "crypto" "compute_unsealed_sector_cid" (func $commd (param i32 i64 i32 i32 i32 i32) (result i32)))
  (import "send" "send" (func $send (param i32 i32 i32 i64 i32 i64 i64 i64 i64) (result i32)))
  (memory (export "memory") 1)

  ;; a returns argument i as an i64; p returns it as a pointer into the params.
  (func $a (param $i i32) (result i64) (i64.load (i32.add (i32.const 0x10008) (i32.shl (local.get $i) (i32.const 3)))))
  (func $p (param $i i32) (result i32) (i32.add (i32.const 0x10000) (i32.wrap_i64 (call $a (local.get $i)))))

  (func (export "invoke") (param $params i32) (result i32)
    (local $op i32) (local $e i32) (local $id i32)
    (if (i32.eqz (local.get $params)) (then (return (i32.const 0))))
    (drop (memory.grow (i32.const 4)))
    (if (call $stat (i32.const 0x200) (local.get $params)) (then unreachable))
    (if (i32.gt_u (i32.load (i32.const 0x208)) (i32.const 0x40000)) (then unreachable))
    (drop (call $read (i32.const 0x210) (local.get $params) (i32.const 0) (i32.const 0x10000) (i32.load (i32.const 0x208))))
    (local.set $op (i32.load (i32.const 0x10000)))
    (if (i32.eq (local.get $op) (i32.const 1)) (then
      (local.set $e (call $emit (call $p (i32.const 0)) (i32.wrap_i64 (call $a (i32.const 1)))
        (call $p (i32.const 2)) (i32.wrap_i64 (call $a (i32.const 3))) (call $p (i32.const 4)) (i32.wrap_i64 (call $a (i32.const 5)))))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then
      (local.set $e (call $chain_rand (i32.const 0x304) (call $a (i32.const 0))))))
    (if (i32.eq (local.get $op) (i32.const 3)) (then
      (local.set $e (call $beacon_rand (i32.const 0x304) (call $a (i32.const 0))))))
    (if (i32.eq (local.get $op) (i32.const 4)) (then
      (local.set $e (call $tipset_cid (i32.const 0x304) (call $a (i32.const 0)) (i32.const 0x308) (i32.wrap_i64 (call $a (i32.const 1)))))))
    (if (i32.eq (local.get $op) (i32.const 5)) (then
      (local.set $e (call $self_destruct (i32.wrap_i64 (call $a (i32.const 0)))))
      (i32.store (i32.const 0x380) (call $root (i32.const 0x304) (i32.const 0x308) (i32.const 100)))))
    (if (i32.eq (local.get $op) (i32.const 6)) (then
      (local.set $e (call $bls_agg (i32.const 0x304) (i32.wrap_i64 (call $a (i32.const 0))) (call $p (i32.const 1))
        (call $p (i32.const 2)) (call $p (i32.const 3)) (call $p (i32.const 4))))))
    (if (i32.eq (local.get $op) (i32.const 7)) (then
      (local.set $e (call $verify_post (i32.const 0x304) (call $p (i32.const 0)) (i32.wrap_i64 (call $a (i32.const 1)))))))
    (if (i32.eq (local.get $op) (i32.const 8)) (then
      (local.set $e (call $batch_seals (call $p (i32.const 0)) (i32.wrap_i64 (call $a (i32.const 1))) (i32.const 0x304)))))
    (if (i32.eq (local.get $op) (i32.const 9)) (then
      (local.set $e (call $agg_seals (i32.const 0x304) (call $p (i32.const 0)) (i32.wrap_i64 (call $a (i32.const 1)))))))
    (if (i32.eq (local.get $op) (i32.const 10)) (then
      (local.set $e (call $verify_sig (i32.const 0x304) (i32.wrap_i64 (call $a (i32.const 0))) (call $p (i32.const 1))
        (i32.wrap_i64 (call $a (i32.const 2))) (call $p (i32.const 3)) (i32.wrap_i64 (call $a (i32.const 4)))
        (call $p (i32.const 5)) (i32.wrap_i64 (call $a (i32.const 6)))))))
    (if (i32.eq (local.get $op) (i32.const 11)) (then
      (local.set $e (call $recover (i32.const 0x304) (call $p (i32.const 0)) (call $p (i32.const 1))))))
    (if (i32.eq (local.get $op) (i32.const 12)) (then
      (if (i64.ne (call $a (i32.const 4)) (i64.const 0)) (then
        (if (call $create (i32.const 0x220) (i64.const 0x55) (call $p (i32.const 3)) (i32.wrap_i64 (call $a (i32.const 4))))
          (then unreachable))
        (local.set $id (i32.load (i32.const 0x220)))))
      (local.set $e (call $send (i32.const 0x304) (call $p (i32.const 0)) (i32.wrap_i64 (call $a (i32.const 1)))
        (call $a (i32.const 2)) (local.get $id) (i64.const 0) (call $a (i32.const 5)) (call $a (i32.const 6)) (call $a (i32.const 7))))
      (if (i32.and (i32.eqz (local.get $e)) (i32.ne (i32.load (i32.const 0x308)) (i32.const 0))) (then
        (drop (call $read (i32.const 0x210) (i32.load (i32.const 0x308)) (i32.const 0) (i32.const 0x318) (i32.const 100)))))))
    (if (i32.eq (local.get $op) (i32.const 13)) (then
      (local.set $e (call $commd (i32.const 0x304) (call $a (i32.const 0)) (call $p (i32.const 1)) (i32.wrap_i64 (call $a (i32.const 2)))
        (i32.const 0x308) (i32.const 100)))))
    (i32.store (i32.const 0x300) (local.get $e))
    (if (call $create (i32.const 0x220) (i64.const 0x55) (i32.const 0x300) (i32.const 132)) (then unreachable))
    (i32.load (i32.const 0x220))))
