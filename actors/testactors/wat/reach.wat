;; reach (FVM v3 and v4: it imports nothing their ABIs spell differently):
;; runs a script of IPLD, root and send syscalls given in its params, so
;; tests drive FIP-0071's rules at the message level, and gofvm's nv ≤ 20
;; strict option beside them (fvm-abi-next.md §4, §14 scenarios 13–23, 30;
;; fvm-gas-next.md §10 examples 9–20). The params are read to 0x10000 (memory grown by 3 pages
;; first) and laid out as the CBOR array [bytes(data), bytes(script), …]:
;; byte 0 the array header, bytes 1–3 the data's header 0x59 + u16 length
;; (big-endian), the data from offset 4, then 0x59 + u16 length and the
;; script, then any further items (a DAG-CBOR params block puts its links
;; there). "off" arguments are offsets into the params.
;;
;; The script is a list of 36-byte instructions: op, expect, then arguments
;; a … g, all u32le. After each instruction the error number and a value go
;; to the results at 0x800 (8 bytes per instruction); if expect is not
;; 0xffffffff and differs from the error number, the actor exits with code
;; 100 + the instruction's index. At the end the results are returned as a
;; raw (0x55) block of 8 bytes per instruction.
;;
;;  op  syscall                                                    value
;;   1  self.root(cid → CID slot a)                                CID length
;;   2  ipld.block_open(CID slot a) → block slot b                 block id
;;   3  ipld.block_open(CID at off a) → block slot b               block id
;;   4  ipld.block_create(codec a, off b, length c) → block slot d block id
;;   5  ipld.block_link(block slot a, blake2b-256) → CID slot b    CID length
;;   6  self.set_root(CID slot a)
;;   7  self.set_root(CID at off a)
;;   8  send.send(address at off a, length b, method c, params     exit code
;;      block slot d (0xffffffff: none), value 0, gas limit e
;;      (0: none), flags f); the return id goes to block slot 15; if
;;      g is not 0xffffffff and the exit code differs from it, the
;;      actor exits with 100 + the instruction's index
;;   9  actor.get_actor_code_cid(actor a) → CID slot b             CID length
;;  10  return block slot a (ends the invocation)
;;
;; Block slot 14 starts as the params block.
;; Memory: 0x200 syscall returns, 0x240 Send, 0x800 results, 0x1000 CID
;; slots (128 bytes each, 16), 0x2000 block slots (u32, 16), 0x10000 params.
(module
  (import "ipld" "block_open" (func $open (param i32 i32) (result i32)))
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "ipld" "block_read" (func $read (param i32 i32 i32 i32 i32) (result i32)))
  (import "ipld" "block_stat" (func $stat (param i32 i32) (result i32)))
  (import "ipld" "block_link" (func $link (param i32 i32 i64 i32 i32 i32) (result i32)))
  (import "self" "root" (func $root (param i32 i32 i32) (result i32)))
  (import "self" "set_root" (func $set_root (param i32) (result i32)))
  (import "actor" "get_actor_code_cid" (func $code_of (param i32 i64 i32 i32) (result i32)))
  (import "send" "send" (func $send (param i32 i32 i32 i64 i32 i64 i64 i64 i64) (result i32)))
  (import "vm" "exit" (func $exit (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (global $script (mut i32) (i32.const 0))

  ;; ins is the address of instruction pc; arg its argument i (0 = a).
  (func $ins (param $pc i32) (result i32)
    (i32.add (global.get $script) (i32.mul (local.get $pc) (i32.const 36))))
  (func $arg (param $pc i32) (param $i i32) (result i32)
    (i32.load (i32.add (call $ins (local.get $pc)) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2)))))
  (func $cid (param $slot i32) (result i32) (i32.add (i32.const 0x1000) (i32.shl (local.get $slot) (i32.const 7))))
  (func $blk (param $slot i32) (result i32) (i32.add (i32.const 0x2000) (i32.shl (local.get $slot) (i32.const 2))))
  (func $p (param $off i32) (result i32) (i32.add (i32.const 0x10000) (local.get $off)))
  ;; u16be reads a big-endian u16 at address a.
  (func $u16be (param $a i32) (result i32)
    (i32.or (i32.shl (i32.load8_u (local.get $a)) (i32.const 8)) (i32.load8_u (i32.add (local.get $a) (i32.const 1)))))
  (func $fail (param $pc i32)
    (drop (call $exit (i32.add (i32.const 100) (local.get $pc)) (i32.const 0) (i32.const 0) (i32.const 0)))
    unreachable)

  (func (export "invoke") (param $params i32) (result i32)
    (local $n i32) (local $pc i32) (local $op i32) (local $e i32) (local $v i32) (local $want i32) (local $pid i32) (local $limit i64)
    (if (i32.eqz (local.get $params)) (then (return (i32.const 0))))
    (drop (memory.grow (i32.const 3)))
    (if (call $stat (i32.const 0x200) (local.get $params)) (then unreachable))
    (if (i32.gt_u (i32.load (i32.const 0x208)) (i32.const 0x30000)) (then unreachable))
    (drop (call $read (i32.const 0x210) (local.get $params) (i32.const 0) (i32.const 0x10000) (i32.load (i32.const 0x208))))
    (i32.store (call $blk (i32.const 14)) (local.get $params))
    ;; the script: after the data (4 + data length) and its own 3-byte header
    (local.set $v (i32.add (i32.const 0x10004) (call $u16be (i32.const 0x10002))))
    (global.set $script (i32.add (local.get $v) (i32.const 3)))
    (local.set $n (i32.div_u (call $u16be (i32.add (local.get $v) (i32.const 1))) (i32.const 36)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pc) (local.get $n)))
        (local.set $op (i32.load (call $ins (local.get $pc))))
        (local.set $e (i32.const 0))
        (local.set $v (i32.const 0))
        (if (i32.eq (local.get $op) (i32.const 1)) (then
          (local.set $e (call $root (i32.const 0x200) (call $cid (call $arg (local.get $pc) (i32.const 0))) (i32.const 128)))
          (local.set $v (i32.load (i32.const 0x200)))))
        (if (i32.eq (local.get $op) (i32.const 2)) (then
          (local.set $e (call $open (i32.const 0x200) (call $cid (call $arg (local.get $pc) (i32.const 0)))))
          (local.set $v (i32.load (i32.const 0x208)))))
        (if (i32.eq (local.get $op) (i32.const 3)) (then
          (local.set $e (call $open (i32.const 0x200) (call $p (call $arg (local.get $pc) (i32.const 0)))))
          (local.set $v (i32.load (i32.const 0x208)))))
        (if (i32.or (i32.eq (local.get $op) (i32.const 2)) (i32.eq (local.get $op) (i32.const 3))) (then
          (if (i32.eqz (local.get $e)) (then
            (i32.store (call $blk (call $arg (local.get $pc) (i32.const 1))) (local.get $v))))))
        (if (i32.eq (local.get $op) (i32.const 4)) (then
          (local.set $e (call $create (i32.const 0x200) (i64.extend_i32_u (call $arg (local.get $pc) (i32.const 0)))
            (call $p (call $arg (local.get $pc) (i32.const 1))) (call $arg (local.get $pc) (i32.const 2))))
          (if (i32.eqz (local.get $e)) (then
            (local.set $v (i32.load (i32.const 0x200)))
            (i32.store (call $blk (call $arg (local.get $pc) (i32.const 3))) (local.get $v))))))
        (if (i32.eq (local.get $op) (i32.const 5)) (then
          (local.set $e (call $link (i32.const 0x200) (i32.load (call $blk (call $arg (local.get $pc) (i32.const 0))))
            (i64.const 0xb220) (i32.const 32) (call $cid (call $arg (local.get $pc) (i32.const 1))) (i32.const 128)))
          (local.set $v (i32.load (i32.const 0x200)))))
        (if (i32.eq (local.get $op) (i32.const 6)) (then
          (local.set $e (call $set_root (call $cid (call $arg (local.get $pc) (i32.const 0)))))))
        (if (i32.eq (local.get $op) (i32.const 7)) (then
          (local.set $e (call $set_root (call $p (call $arg (local.get $pc) (i32.const 0)))))))
        (if (i32.eq (local.get $op) (i32.const 8)) (then
          (local.set $pid (i32.const 0))
          (if (i32.ne (call $arg (local.get $pc) (i32.const 3)) (i32.const -1)) (then
            (local.set $pid (i32.load (call $blk (call $arg (local.get $pc) (i32.const 3)))))))
          (local.set $limit (i64.extend_i32_u (call $arg (local.get $pc) (i32.const 4))))
          (if (i64.eqz (local.get $limit)) (then (local.set $limit (i64.const -1))))
          (local.set $e (call $send (i32.const 0x240) (call $p (call $arg (local.get $pc) (i32.const 0)))
            (call $arg (local.get $pc) (i32.const 1)) (i64.extend_i32_u (call $arg (local.get $pc) (i32.const 2)))
            (local.get $pid) (i64.const 0) (i64.const 0) (local.get $limit)
            (i64.extend_i32_u (call $arg (local.get $pc) (i32.const 5)))))
          (if (i32.eqz (local.get $e)) (then
            (local.set $v (i32.load (i32.const 0x240)))
            (i32.store (call $blk (i32.const 15)) (i32.load (i32.const 0x244)))
            (local.set $want (call $arg (local.get $pc) (i32.const 6)))
            (if (i32.and (i32.ne (local.get $want) (i32.const -1)) (i32.ne (local.get $want) (local.get $v)))
              (then (call $fail (local.get $pc))))))))
        (if (i32.eq (local.get $op) (i32.const 9)) (then
          (local.set $e (call $code_of (i32.const 0x200) (i64.extend_i32_u (call $arg (local.get $pc) (i32.const 0)))
            (call $cid (call $arg (local.get $pc) (i32.const 1))) (i32.const 128)))
          (local.set $v (i32.load (i32.const 0x200)))))
        (if (i32.eq (local.get $op) (i32.const 10)) (then
          (return (i32.load (call $blk (call $arg (local.get $pc) (i32.const 0)))))))
        (i32.store (i32.add (i32.const 0x800) (i32.shl (local.get $pc) (i32.const 3))) (local.get $e))
        (i32.store (i32.add (i32.const 0x804) (i32.shl (local.get $pc) (i32.const 3))) (local.get $v))
        (local.set $want (i32.load offset=4 (call $ins (local.get $pc))))
        (if (i32.and (i32.ne (local.get $want) (i32.const -1)) (i32.ne (local.get $want) (local.get $e)))
          (then (call $fail (local.get $pc))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next)))
    (if (call $create (i32.const 0x200) (i64.const 0x55) (i32.const 0x800) (i32.shl (local.get $n) (i32.const 3)))
      (then unreachable))
    (i32.load (i32.const 0x200))))
