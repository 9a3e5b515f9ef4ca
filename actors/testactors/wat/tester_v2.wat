;; tester: gofvm's own test actor, one source for the three ABIs. A line
;; marked ";;vD… " belongs to the ABIs whose digits D follow the "v": gen.sh
;; keeps ";;v2 " and ";;v23 " lines for tester_v2.wat (FVM v2 imports,
;; nv16–17), ";;v23 ", ";;v3 " and ";;v34 " for tester_v3.wat (FVM v3,
;; nv18–20), ";;v34 " and ";;v4 " for tester_v4.wat (FVM v4, nv21–28);
;; fvm-abi.md §3.1 and fvm-abi-next.md §3.1 give every signature. It
;; dispatches on the method number (InvocationContext / MessageContext,
;; offset 32 in both) and reads its params as one DAG-CBOR
;; byte string of 44 bytes (0x58 0x2c ‖ payload), payload fields:
;;   a u32 @0x1002  nested method (5, 29) / pages (12, 19, 20) / new actor id (16, 31) /
;;                  block length (22) / actor id (23, 32) / event kind (33) /
;;                  CID buffer length (37) / epoch, signed (25) /
;;                  randomness tag (27) / read offset (28) / hash code (30)
;;   b u32 @0x1006  value (attoFIL) sent by method 5 / builtin type (16, 31) /
;;                  gas limit (18, nv18; 0 = none) / children (20) / codec (22) /
;;                  signature type (24) / CID buffer length (25) / value (26) /
;;                  randomness epoch (27) / read max_len (28) / digest length (30) /
;;                  event parameter (33) /
;;                  address buffer length (32)
;;   c u32 @0x100A  address length (methods 5, 21, 24, 26, 29, 36)
;;   d u32 @0x100E  exit code (methods 3, 17, 21) / send flags (18, nv18)
;;   e u32 @0x1012  1 = exit with a return block (method 3, nv18) /
;;                  1 = the beneficiary is the params' address (21)
;;   address bytes @0x1016 (≤ 22)
;; "result(x, y)" below is the 9-byte DAG-CBOR block 0x48 ‖ x u32le ‖ y u32le.
;;
;; Memory map: 0x100 context, 0x200 IpldStat, 0x210 read ret, 0x220 u32 ret,
;; 0x240 Send ret, 0x260 scratch ret, 0x300 result block, 0x310 child result,
;; 0x400 constants, 0x500 CID buffer, 0x600 hostile / destruct errno list,
;; 0x700 scratch buffer, 0x720 balance, 0x800 own ID address, 0x900 zero
;; signature, 0x940 randomness block, 0x980 f2 addresses, 0xa3b delegated
;; address and balance block, 0xb00 network block, 0xf00 digest block, 0x1000 params, 0x2000 event (33), 0x10000.. big blocks (method 22, after growing).
(module
  (import "ipld" "block_open" (func $open (param i32 i32) (result i32)))
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "ipld" "block_read" (func $read (param i32 i32 i32 i32 i32) (result i32)))
  (import "ipld" "block_stat" (func $stat (param i32 i32) (result i32)))
  (import "ipld" "block_link" (func $link (param i32 i32 i64 i32 i32 i32) (result i32)))
  (import "self" "root" (func $root (param i32 i32 i32) (result i32)))
  (import "self" "set_root" (func $set_root (param i32) (result i32)))
  (import "self" "current_balance" (func $balance (param i32) (result i32)))
  (import "self" "self_destruct" (func $self_destruct (param i32 i32) (result i32)))
  (import "actor" "resolve_address" (func $resolve (param i32 i32 i32) (result i32)))
  (import "actor" "get_actor_code_cid" (func $code_of (param i32 i64 i32 i32) (result i32)))
  (import "actor" "get_builtin_actor_type" (func $builtin_type (param i32 i32) (result i32)))
  (import "actor" "get_code_cid_for_type" (func $code_for_type (param i32 i32 i32 i32) (result i32)))
  (import "crypto" "hash" (func $hash (param i32 i64 i32 i32 i32 i32) (result i32)))
  (import "crypto" "verify_signature" (func $verify_sig (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "rand" "get_chain_randomness" (func $chain_rand (param i32 i64 i64 i32 i32) (result i32)))
  (import "gas" "charge" (func $charge (param i32 i32 i64) (result i32)))
  (import "network" "total_fil_circ_supply" (func $circ_supply (param i32) (result i32)))
  (import "vm" "context" (func $context (param i32) (result i32)))
  (import "network" "base_fee" (func $base_fee (param i32) (result i32)))
  (import "vm" "abort" (func $abort (param i32 i32 i32) (result i32)))
  (import "send" "send" (func $sys_send (param i32 i32 i32 i64 i32 i64 i64) (result i32)))
  (import "actor" "new_actor_address" (func $actor_address (param i32 i32 i32) (result i32)))
  (import "actor" "create_actor" (func $create_actor (param i64 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0x400: the return data, DAG-CBOR text "abc"; 0x410: an event with one
  ;; entry [flags 3, key "k", codec 0x55, value "v"] (fvm-abi.md §6.12).
  (data (i32.const 0x400) "\63abc")
  (data (i32.const 0x410) "\81\84\03\61k\18\55\41v")
  ;; 0x420 (v4): the same entry packed (fvm-abi-next.md §1.3): flags 3, codec
  ;; 0x55, key length 1, value length 1, then key "k" and value "v".

  ;; exit ends the invocation with code (and, in v3, block blk).
  (func $exit (param $code i32) (param $blk i32)
    (drop (call $abort (local.get $code) (i32.const 0) (i32.const 0)))
    unreachable)

  ;; send(addr, len, method, params, value) → error number; Send at 0x240.
  (func $send (param $addr i32) (param $len i32) (param $method i64) (param $params i32) (param $value i64) (result i32)
    (call $sys_send (i32.const 0x240) (local.get $addr) (local.get $len) (local.get $method)
      (local.get $params) (i64.const 0) (local.get $value)))

  ;; send_self_limited sends method to this actor with no params and no
  ;; value; v3 passes gas_limit (0 = none, u64::MAX) and flags, v2 has neither.
  (func $send_self_limited (param $method i64) (param $limit i64) (param $flags i64) (result i32)
    (local $len i32)
    (local.set $len (call $self_address))
    (call $sys_send (i32.const 0x240) (i32.const 0x800) (local.get $len) (local.get $method)
      (i32.const 0) (i64.const 0) (i64.const 0)))

  ;; block makes a DAG-CBOR block of len bytes at off and returns its id.
  (func $block (param $off i32) (param $len i32) (result i32)
    (if (call $create (i32.const 0x220) (i64.const 0x71) (local.get $off) (local.get $len)) (then unreachable))
    (i32.load (i32.const 0x220)))

  (func $result (param $x i32) (param $y i32) (result i32)
    (i32.store8 (i32.const 0x300) (i32.const 0x48))
    (i32.store (i32.const 0x301) (local.get $x))
    (i32.store (i32.const 0x305) (local.get $y))
    (call $block (i32.const 0x300) (i32.const 9)))

  ;; self_address writes this actor's ID address (0x00 ‖ LEB128 id) at 0x800
  ;; and returns its length.
  (func $self_address (result i32)
    (local $id i64) (local $n i32) (local $b i32)
    (local.set $id (i64.load (i32.const 0x118)))
    (i32.store8 (i32.const 0x800) (i32.const 0))
    (local.set $n (i32.const 1))
    (loop $more
      (local.set $b (i32.wrap_i64 (i64.and (local.get $id) (i64.const 0x7f))))
      (local.set $id (i64.shr_u (local.get $id) (i64.const 7)))
      (if (i64.ne (local.get $id) (i64.const 0)) (then (local.set $b (i32.or (local.get $b) (i32.const 0x80)))))
      (i32.store8 (i32.add (i32.const 0x800) (local.get $n)) (local.get $b))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $more (i64.ne (local.get $id) (i64.const 0))))
    (local.get $n))

  (func $deep (call $deep))

  ;; hostile hands the syscalls garbage and returns the error numbers it got
  ;; as a DAG-CBOR byte string, one byte per call.
  (func $hostile (result i32)
    (local $n i32) (local $self i32)
    (local.set $self (call $self_address))
    (i32.store8 (i32.const 0x601) (call $open (i32.const 0x260) (i32.const 0xfffffff0)))
    (i32.store8 (i32.const 0x602) (call $stat (i32.const 0x260) (i32.const 0)))
    (i32.store8 (i32.const 0x603) (call $read (i32.const 0x260) (i32.const 999) (i32.const 0) (i32.const 0x700) (i32.const 10)))
    (i32.store8 (i32.const 0x604) (call $create (i32.const 0x260) (i64.const 0x1234) (i32.const 0x400) (i32.const 4)))
    (i32.store8 (i32.const 0x605) (call $create (i32.const 0x260) (i64.const 0x71) (i32.const 0xffff0000) (i32.const 100)))
    (i32.store8 (i32.const 0x606) (call $link (i32.const 0x260) (i32.const 999) (i64.const 0x12) (i32.const 32) (i32.const 0x700) (i32.const 100)))
    (i32.store8 (i32.const 0x607) (call $link (i32.const 0x260) (i32.const 999) (i64.const 0xb220) (i32.const 32) (i32.const 0x700) (i32.const 100)))
    (i32.store8 (i32.const 0x608) (call $set_root (i32.const 0xfffffff0)))
    (i32.store8 (i32.const 0x609) (call $set_root (i32.const 0x400)))
    (i32.store8 (i32.const 0x60a) (call $resolve (i32.const 0x260) (i32.const 0x400) (i32.const 0)))
    (i32.store8 (i32.const 0x60b) (call $send (i32.const 0x800) (i32.const 0) (i64.const 0) (i32.const 0) (i64.const 0)))
    (i32.store8 (i32.const 0x60c) (call $send (i32.const 0x800) (local.get $self) (i64.const 2) (i32.const 999) (i64.const 0)))
    (i32.store8 (i32.const 0x60d) (call $context (i32.const 0xfffffff0)))
    (i32.store8 (i32.const 0x60e) (call $hash (i32.const 0x260) (i64.const 0x9999) (i32.const 0x400) (i32.const 4) (i32.const 0x700) (i32.const 32)))
    (i32.store8 (i32.const 0x60f) (call $code_for_type (i32.const 0x260) (i32.const -1) (i32.const 0x700) (i32.const 100)))
    (i32.store8 (i32.const 0x610) (call $code_of (i32.const 0x260) (i64.const 999999) (i32.const 0x700) (i32.const 100)))
    (i32.store8 (i32.const 0x611) (call $root (i32.const 0x260) (i32.const 0x700) (i32.const 1)))
    (i32.store8 (i32.const 0x612) (call $charge (i32.const 0xfffffff0) (i32.const 4) (i64.const 0)))
    (i32.store8 (i32.const 0x613) (call $chain_rand (i32.const 0x260) (i64.const 1) (i64.const 0) (i32.const 0xfffffff0) (i32.const 4)))
    (i32.store8 (i32.const 0x614) (call $verify_sig (i32.const 0x260) (i32.const 9) (i32.const 0x400) (i32.const 4)
      (i32.const 0x800) (local.get $self) (i32.const 0x400) (i32.const 4)))
    (local.set $n (i32.const 20))
    (i32.store8 (i32.const 0x600) (i32.add (i32.const 0x40) (local.get $n)))
    (call $block (i32.const 0x600) (i32.add (local.get $n) (i32.const 1))))

  ;; recurse sends method 6 to itself until a send fails; each frame returns
  ;; result(frames below and including it, error number of the failed send).
  (func $recurse (result i32)
    (local $r i32)
    (local.set $r (call $send (i32.const 0x800) (call $self_address) (i64.const 6) (i32.const 0) (i64.const 0)))
    (if (local.get $r) (then (return (call $result (i32.const 1) (local.get $r)))))
    (if (i32.load (i32.const 0x240)) (then (call $exit (i32.const 20) (i32.const 0))))
    (if (call $read (i32.const 0x210) (i32.load (i32.const 0x244)) (i32.const 0) (i32.const 0x310) (i32.const 9))
      (then unreachable))
    (call $result (i32.add (i32.load (i32.const 0x311)) (i32.const 1)) (i32.load (i32.const 0x315))))

  ;; blocks: create, link, set_root, open; returns the opened block.
  (func $blocks (result i32)
    (local $id i32)
    (local.set $id (call $block (i32.const 0x400) (i32.const 4)))
    (if (call $link (i32.const 0x260) (local.get $id) (i64.const 0xb220) (i32.const 32) (i32.const 0x500) (i32.const 100))
      (then unreachable))
    (if (call $set_root (i32.const 0x500)) (then unreachable))
    (if (call $open (i32.const 0x260) (i32.const 0x500)) (then unreachable))
    (i32.load (i32.const 0x268)))

  ;; create: a new actor at id a with the code of builtin type b; returns
  ;; result(create_actor errno, actor-address errno).
  (func $create_new (result i32)
    (local $e1 i32)
    (local.set $e1 (call $actor_address (i32.const 0x260) (i32.const 0x700) (i32.const 21)))
    (if (call $code_for_type (i32.const 0x260) (i32.load (i32.const 0x1006)) (i32.const 0x500) (i32.const 100))
      (then unreachable))
    (call $result
      (call $create_actor (i64.extend_i32_u (i32.load (i32.const 0x1002))) (i32.const 0x500))
      (local.get $e1)))

  ;; grow_recurse (19): memory.grow(a), then send method 19 with the same
  ;; params to itself, so every live frame holds 1 + a pages (fvm-gas.md §4:
  ;; 2 GiB across the call stack in nv18). Returns result(frames, why) where
  ;; why is −1 (the deepest frame's grow was refused), the callee's non-zero
  ;; exit code (4: its instantiation was refused), or 0x100 | send errno.
  (func $grow_recurse (param $p i32) (result i32)
    (local $r i32)
    (if (i32.eq (memory.grow (i32.load (i32.const 0x1002))) (i32.const -1))
      (then (return (call $result (i32.const 1) (i32.const -1)))))
    (local.set $r (call $send (i32.const 0x800) (call $self_address) (i64.const 19) (local.get $p) (i64.const 0)))
    (if (local.get $r) (then (return (call $result (i32.const 1) (i32.or (i32.const 0x100) (local.get $r))))))
    (if (i32.load (i32.const 0x240)) (then (return (call $result (i32.const 1) (i32.load (i32.const 0x240))))))
    (if (call $read (i32.const 0x210) (i32.load (i32.const 0x244)) (i32.const 0) (i32.const 0x310) (i32.const 9))
      (then unreachable))
    (call $result (i32.add (i32.load (i32.const 0x311)) (i32.const 1)) (i32.load (i32.const 0x315))))

  ;; grow_seq (20): b times in a row, send method 12 (grow a pages) with the
  ;; same params to itself; each child exits before the next starts. Returns
  ;; result(children whose grow succeeded, why) with why 0 (all did), −1 (a
  ;; child's grow was refused), a child's non-zero exit code, or 0x100 | errno.
  (func $grow_seq (param $p i32) (result i32)
    (local $i i32) (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0x1006))))
        (local.set $r (call $send (i32.const 0x800) (call $self_address) (i64.const 12) (local.get $p) (i64.const 0)))
        (if (local.get $r) (then (return (call $result (local.get $i) (i32.or (i32.const 0x100) (local.get $r))))))
        (if (i32.load (i32.const 0x240)) (then (return (call $result (local.get $i) (i32.load (i32.const 0x240))))))
        (if (call $read (i32.const 0x210) (i32.load (i32.const 0x244)) (i32.const 0) (i32.const 0x310) (i32.const 9))
          (then unreachable))
        (if (i32.eq (i32.load (i32.const 0x311)) (i32.const -1))
          (then (return (call $result (local.get $i) (i32.const -1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $result (local.get $i) (i32.const 0)))

  ;; destruct (21): self_destruct to the params' address if e = 1, else to
  ;; Bob (f0101) (v4, FIP-0073: self_destruct(burn = e)), then root, set_root
  ;; (the CID read before) and
  ;; current_balance; exits with d if d ≠ 0. Returns the DAG-CBOR byte string
  ;; [errno destruct, errno root, errno set_root, errno balance, balance = 0].
  (func $destruct (result i32)
    (local $len i32)
    (local.set $len (i32.const 2))
    (if (i32.load (i32.const 0x1012))
      (then (local.set $len (i32.load (i32.const 0x100a))))
      (else (i32.store16 (i32.const 0x1016) (i32.const 0x6500))))
    (drop (call $root (i32.const 0x260) (i32.const 0x500) (i32.const 100)))
    (i32.store8 (i32.const 0x601) (call $self_destruct (i32.const 0x1016) (local.get $len)))
    (i32.store8 (i32.const 0x602) (call $root (i32.const 0x260) (i32.const 0x700) (i32.const 100)))
    (i32.store8 (i32.const 0x603) (call $set_root (i32.const 0x500)))
    (i32.store8 (i32.const 0x604) (call $balance (i32.const 0x720)))
    (i32.store8 (i32.const 0x605) (i64.eqz (i64.or (i64.load (i32.const 0x720)) (i64.load (i32.const 0x728)))))
    (i32.store8 (i32.const 0x600) (i32.const 0x45))
    (if (i32.load (i32.const 0x100e)) (then (call $exit (i32.load (i32.const 0x100e)) (i32.const 0))))
    (call $block (i32.const 0x600) (i32.const 6)))

  ;; big_block (22): grows 17 pages, writes at 0x10000 the a-byte DAG-CBOR
  ;; byte string 0x5a ‖ u32be(a − 5) ‖ zeros (a ≥ 5: valid CBOR, so the
  ;; strict reachability mode accepts it too), then block_create(codec b,
  ;; those a bytes); returns result(errno, 0). The instructions run are the
  ;; same whatever the length and the answer, so two lengths differ in gas by
  ;; OnBlockCreate alone.
  (func $big_block (result i32)
    (local $n i32)
    (drop (memory.grow (i32.const 17)))
    (local.set $n (i32.sub (i32.load (i32.const 0x1002)) (i32.const 5)))
    (i32.store8 (i32.const 0x10000) (i32.const 0x5a))
    (i32.store8 (i32.const 0x10001) (i32.shr_u (local.get $n) (i32.const 24)))
    (i32.store8 (i32.const 0x10002) (i32.shr_u (local.get $n) (i32.const 16)))
    (i32.store8 (i32.const 0x10003) (i32.shr_u (local.get $n) (i32.const 8)))
    (i32.store8 (i32.const 0x10004) (local.get $n))
    (call $result
      (call $create (i32.const 0x260) (i64.extend_i32_u (i32.load (i32.const 0x1006))) (i32.const 0x10000) (i32.load (i32.const 0x1002)))
      (i32.const 0)))

  ;; open_code (23): block_open of actor a's code CID (a raw 0x55 block);
  ;; returns result(errno, size from IpldOpen).
  (func $open_code (result i32)
    (if (call $code_of (i32.const 0x260) (i64.extend_i32_u (i32.load (i32.const 0x1002))) (i32.const 0x500) (i32.const 100))
      (then unreachable))
    (call $result (call $open (i32.const 0x260) (i32.const 0x500)) (i32.load (i32.const 0x26c))))

  ;; verify (24): verify_signature(type b, 65 zero bytes, signer = the
  ;; params' address, plaintext "\63abc"); returns result(errno, answer).
  (func $verify (result i32)
    (call $result
      (call $verify_sig (i32.const 0x260) (i32.load (i32.const 0x1006)) (i32.const 0x900) (i32.const 65)
        (i32.const 0x1016) (i32.load (i32.const 0x100a)) (i32.const 0x400) (i32.const 4))
      (i32.load (i32.const 0x260))))

  ;; event_of (33, nv18) writes at 0x2000 an ActorEvent of kind a with
  ;; parameter b and returns its length: kind 1: b entries [0, "k", 0x55, h'']
  ;; (b ≥ 256: array header 0x99 b16be); kind 2: one entry whose value is b
  ;; zero bytes (b ≥ 256: 0x59 b16be); kind 3: one entry whose key is b
  ;; letters k (24 ≤ b < 256: 0x78 b); kind 4: one entry with codec b
  ;; (24 ≤ b < 256: 0x18 b), value h'76'.
  (func $event_of (result i32)
    (local $kind i32) (local $b i32) (local $i i32) (local $n i32)
    (local.set $kind (i32.load (i32.const 0x1002)))
    (local.set $b (i32.load (i32.const 0x1006)))
    (if (i32.eq (local.get $kind) (i32.const 1)) (then
      (i32.store8 (i32.const 0x2000) (i32.const 0x99))
      (i32.store8 (i32.const 0x2001) (i32.shr_u (local.get $b) (i32.const 8)))
      (i32.store8 (i32.const 0x2002) (local.get $b))
      (local.set $n (i32.const 3))
      (loop $more (if (i32.lt_u (local.get $i) (local.get $b)) (then
        ;; 84 00 61 6b 18 55 40
        (i32.store (i32.add (i32.const 0x2000) (local.get $n)) (i32.const 0x6b610084))
        (i32.store16 (i32.add (i32.const 0x2004) (local.get $n)) (i32.const 0x5518))
        (i32.store8 (i32.add (i32.const 0x2006) (local.get $n)) (i32.const 0x40))
        (local.set $n (i32.add (local.get $n) (i32.const 7)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more))))
      (return (local.get $n))))
    ;; 81 84 00: one entry, flags 0
    (i32.store8 (i32.const 0x2000) (i32.const 0x81))
    (i32.store16 (i32.const 0x2001) (i32.const 0x0084))
    (if (i32.eq (local.get $kind) (i32.const 2)) (then
      ;; 61 6b 18 55 59 b16be, b zero bytes
      (i32.store (i32.const 0x2003) (i32.const 0x5518_6b61))
      (i32.store8 (i32.const 0x2007) (i32.const 0x59))
      (i32.store8 (i32.const 0x2008) (i32.shr_u (local.get $b) (i32.const 8)))
      (i32.store8 (i32.const 0x2009) (local.get $b))
      (memory.fill (i32.const 0x200a) (i32.const 0) (local.get $b))
      (return (i32.add (local.get $b) (i32.const 10)))))
    (if (i32.eq (local.get $kind) (i32.const 3)) (then
      ;; 78 b, b × 'k', 18 55 41 76
      (i32.store8 (i32.const 0x2003) (i32.const 0x78))
      (i32.store8 (i32.const 0x2004) (local.get $b))
      (memory.fill (i32.const 0x2005) (i32.const 0x6b) (local.get $b))
      (i32.store (i32.add (i32.const 0x2005) (local.get $b)) (i32.const 0x7641_5518))
      (return (i32.add (local.get $b) (i32.const 9)))))
    ;; kind 4: 61 6b 18 b 41 76
    (i32.store (i32.const 0x2003) (i32.const 0x0018_6b61))
    (i32.store8 (i32.const 0x2006) (local.get $b))
    (i32.store16 (i32.const 0x2007) (i32.const 0x7641))
    (i32.const 9))


  (func (export "invoke") (param $p i32) (result i32)
    (local $m i64) (local $r i32)
    (if (call $context (i32.const 0x100)) (then unreachable))
    (local.set $m (i64.load (i32.const 0x120)))
    (if (local.get $p) (then
      (if (call $stat (i32.const 0x200) (local.get $p)) (then unreachable))
      (if (i32.gt_u (i32.load (i32.const 0x208)) (i32.const 0x100)) (then unreachable))
      (drop (call $read (i32.const 0x210) (local.get $p) (i32.const 0) (i32.const 0x1000) (i32.load (i32.const 0x208))))))
    ;; 1: constructor, 2: return "abc"
    (if (i64.eq (local.get $m) (i64.const 1)) (then (return (i32.const 0))))
    (if (i64.eq (local.get $m) (i64.const 2)) (then (return (call $block (i32.const 0x400) (i32.const 4)))))
    ;; 3: exit with code d, with data if e = 1
    (if (i64.eq (local.get $m) (i64.const 3)) (then
      (if (i32.load (i32.const 0x1012))
        (then (call $exit (i32.load (i32.const 0x100e)) (call $block (i32.const 0x400) (i32.const 4))))
        (else (call $exit (i32.load (i32.const 0x100e)) (i32.const 0))))))
    ;; 4: return a block id that does not exist
    (if (i64.eq (local.get $m) (i64.const 4)) (then (return (i32.const 77))))
    ;; 5: send value b to the address, method a, forwarding the params
    (if (i64.eq (local.get $m) (i64.const 5)) (then
      (local.set $r (call $send (i32.const 0x1016) (i32.load (i32.const 0x100a)) (i64.extend_i32_u (i32.load (i32.const 0x1002)))
        (local.get $p) (i64.extend_i32_u (i32.load (i32.const 0x1006)))))
      (if (i32.eqz (i32.or (local.get $r) (i32.load (i32.const 0x240))))
        (then (return (i32.load (i32.const 0x244)))))
      (return (call $result (i32.load (i32.const 0x240)) (local.get $r)))))
    (if (i64.eq (local.get $m) (i64.const 6)) (then (return (call $recurse))))
    ;; 7: loop forever (out of gas)
    (if (i64.eq (local.get $m) (i64.const 7)) (then (loop $l (br $l))))
    ;; 8-11: traps
    (if (i64.eq (local.get $m) (i64.const 8)) (then unreachable))
    (if (i64.eq (local.get $m) (i64.const 9)) (then (return (i32.div_u (i32.const 1) (i32.load (i32.const 0x1012))))))
    (if (i64.eq (local.get $m) (i64.const 10)) (then (return (i32.load (i32.const 0xfffffff0)))))
    (if (i64.eq (local.get $m) (i64.const 11)) (then (call $deep)))
    ;; 12: memory.grow by a pages; returns result(grow's answer, 0)
    (if (i64.eq (local.get $m) (i64.const 12)) (then
      (return (call $result (memory.grow (i32.load (i32.const 0x1002))) (i32.const 0)))))
    (if (i64.eq (local.get $m) (i64.const 13)) (then (return (call $blocks))))
    (if (i64.eq (local.get $m) (i64.const 15)) (then (return (call $hostile))))
    (if (i64.eq (local.get $m) (i64.const 16)) (then (return (call $create_new))))
    ;; 17: exit with code d and block id 999, which does not exist
    (if (i64.eq (local.get $m) (i64.const 17)) (then (call $exit (i32.load (i32.const 0x100e)) (i32.const 999))))
    ;; 18: self-send method a with gas limit b (v3; 0 = none) and flags d (v3)
    (if (i64.eq (local.get $m) (i64.const 18)) (then
      (local.set $r (call $send_self_limited (i64.extend_i32_u (i32.load (i32.const 0x1002)))
        (i64.extend_i32_u (i32.load (i32.const 0x1006))) (i64.extend_i32_u (i32.load (i32.const 0x100e)))))
      (if (i32.eqz (i32.or (local.get $r) (i32.load (i32.const 0x240))))
        (then (return (i32.load (i32.const 0x244)))))
      (return (call $result (i32.load (i32.const 0x240)) (local.get $r)))))
    (if (i64.eq (local.get $m) (i64.const 19)) (then (return (call $grow_recurse (local.get $p)))))
    (if (i64.eq (local.get $m) (i64.const 20)) (then (return (call $grow_seq (local.get $p)))))
    (if (i64.eq (local.get $m) (i64.const 21)) (then (return (call $destruct))))
    (if (i64.eq (local.get $m) (i64.const 22)) (then (return (call $big_block))))
    (if (i64.eq (local.get $m) (i64.const 23)) (then (return (call $open_code))))
    (if (i64.eq (local.get $m) (i64.const 24)) (then (return (call $verify))))
    ;; 27: get_chain_randomness(tag a, epoch b, entropy "\63abc"); v4 (FIP-0075)
    ;; takes only the epoch, b as a signed i32, and answers the client's
    ;; digest; returns the 32 bytes as a DAG-CBOR byte string, or
    ;; result(errno, 0)
    (if (i64.eq (local.get $m) (i64.const 27)) (then
      (local.set $r (call $chain_rand (i32.const 0x942) (i64.extend_i32_u (i32.load (i32.const 0x1002)))
        (i64.extend_i32_u (i32.load (i32.const 0x1006))) (i32.const 0x400) (i32.const 4)))
      (if (local.get $r) (then (return (call $result (local.get $r) (i32.const 0)))))
      (i32.store16 (i32.const 0x940) (i32.const 0x2058))
      (return (call $block (i32.const 0x940) (i32.const 34)))))
    ;; 28: block_read of the params block at offset a, max_len b, into 0x700;
    ;; returns result(errno, answer)
    (if (i64.eq (local.get $m) (i64.const 28)) (then
      (i32.store (i32.const 0x210) (i32.const 0))
      (local.set $r (call $read (i32.const 0x210) (local.get $p) (i32.load (i32.const 0x1002)) (i32.const 0x700)
        (i32.load (i32.const 0x1006))))
      (return (call $result (local.get $r) (i32.load (i32.const 0x210))))))
    ;; 29: sends method a to the params' address twice, forwarding the
    ;; params; returns result(errno1 << 16 | exit1, errno2 << 16 | exit2)
    (if (i64.eq (local.get $m) (i64.const 29)) (then
      (i32.store (i32.const 0x320) (i32.or (i32.shl (call $send (i32.const 0x1016) (i32.load (i32.const 0x100a))
        (i64.extend_i32_u (i32.load (i32.const 0x1002))) (local.get $p) (i64.const 0)) (i32.const 16)) (i32.load (i32.const 0x240))))
      (i32.store (i32.const 0x324) (i32.or (i32.shl (call $send (i32.const 0x1016) (i32.load (i32.const 0x100a))
        (i64.extend_i32_u (i32.load (i32.const 0x1002))) (local.get $p) (i64.const 0)) (i32.const 16)) (i32.load (i32.const 0x240))))
      (return (call $result (i32.load (i32.const 0x320)) (i32.load (i32.const 0x324))))))
    ;; 30: crypto.hash(code a, "\63abc", digest into 0xf02, length b ≤ 64);
    ;; returns the written bytes as a DAG-CBOR byte string, or result(errno, 0)
    (if (i64.eq (local.get $m) (i64.const 30)) (then
      (local.set $r (call $hash (i32.const 0x260) (i64.extend_i32_u (i32.load (i32.const 0x1002))) (i32.const 0x400) (i32.const 4)
        (i32.const 0xf02) (i32.load (i32.const 0x1006))))
      (if (local.get $r) (then (return (call $result (local.get $r) (i32.const 0)))))
      (i32.store8 (i32.const 0xf00) (i32.const 0x58))
      (i32.store8 (i32.const 0xf01) (i32.load (i32.const 0x260)))
      (return (call $block (i32.const 0xf00) (i32.add (i32.load (i32.const 0x260)) (i32.const 2))))))
    ;; 31: actor-address syscall, create_actor(id a, code of type b) if b ≠ 0,
    ;; actor-address again; returns the two 21-byte f2 addresses as one
    ;; DAG-CBOR byte string, or result(errno1 << 16 | errno create, errno2)
    (if (i64.eq (local.get $m) (i64.const 31)) (then
      (local.set $r (i32.shl (call $actor_address (i32.const 0x260) (i32.const 0x982) (i32.const 21)) (i32.const 16)))
      (if (i32.load (i32.const 0x1006)) (then
        (if (call $code_for_type (i32.const 0x260) (i32.load (i32.const 0x1006)) (i32.const 0x500) (i32.const 100))
          (then unreachable))
        (local.set $r (i32.or (local.get $r)
          (call $create_actor (i64.extend_i32_u (i32.load (i32.const 0x1002))) (i32.const 0x500))
        ))))
      (i32.store (i32.const 0x330) (call $actor_address (i32.const 0x260) (i32.const 0x997) (i32.const 21)))
      (if (i32.or (local.get $r) (i32.load (i32.const 0x330)))
        (then (return (call $result (local.get $r) (i32.load (i32.const 0x330))))))
      (i32.store16 (i32.const 0x980) (i32.const 0x2a58))
      (return (call $block (i32.const 0x980) (i32.const 44)))))
    ;; 32 (nv18): lookup_delegated_address(actor a, buffer length b ≤ 65) and
    ;; balance_of(a); returns the DAG-CBOR byte string [errno lookup, address
    ;; length, errno balance, balance lo u64le, hi u64le, address bytes]
    ;; 33 (nv18): emit_event of the event $event_of builds; returns
    ;; result(errno, event length)
    ;; 34: returns the context read at 0x100 (v2 InvocationContext, 52
    ;; bytes; v3 MessageContext, 80 bytes) as a DAG-CBOR byte string
    (if (i64.eq (local.get $m) (i64.const 34)) (then
      (i32.store8 (i32.const 0xfe) (i32.const 0x58))
      (i32.store8 (i32.const 0xff) (i32.const 52))
      (return (call $block (i32.const 0xfe) (i32.const 54)))))
    ;; 35: the network values as one DAG-CBOR byte string: v2 base_fee ‖
    ;; circulating supply (2 × 16 bytes), v3 NetworkContext (44) ‖ circulating
    ;; supply (16)
    (if (i64.eq (local.get $m) (i64.const 35)) (then
      (i32.store8 (i32.const 0xb00) (i32.const 0x58))
      (if (call $base_fee (i32.const 0xb02)) (then unreachable))
      (if (call $circ_supply (i32.const 0xb12)) (then unreachable))
      (i32.store8 (i32.const 0xb01) (i32.const 32))
      (return (call $block (i32.const 0xb00) (i32.const 34)))))
    ;; 36: resolve_address(params address) → get_actor_code_cid →
    ;; get_builtin_actor_type; returns result(errno resolve << 8 | errno
    ;; code, type)
    (if (i64.eq (local.get $m) (i64.const 36)) (then
      (local.set $r (call $resolve (i32.const 0x260) (i32.const 0x1016) (i32.load (i32.const 0x100a))))
      (if (local.get $r) (then (return (call $result (i32.shl (local.get $r) (i32.const 8)) (i32.const 0)))))
      (local.set $r (call $code_of (i32.const 0x220) (i64.load (i32.const 0x260)) (i32.const 0x500) (i32.const 100)))
      (if (local.get $r) (then (return (call $result (local.get $r) (i32.const 0)))))
      (if (call $builtin_type (i32.const 0x220) (i32.const 0x500)) (then unreachable))
      (return (call $result (i32.const 0) (i32.load (i32.const 0x220))))))
    ;; 37: block_link of a new 4-byte block into a CID buffer of a bytes;
    ;; returns result(errno, CID length)
    (if (i64.eq (local.get $m) (i64.const 37)) (then
      (i32.store (i32.const 0x260) (i32.const 0))
      (return (call $result
        (call $link (i32.const 0x260) (call $block (i32.const 0x400) (i32.const 4)) (i64.const 0xb220) (i32.const 32)
          (i32.const 0x500) (i32.load (i32.const 0x1002)))
        (i32.load (i32.const 0x260))))))
    ;; 38: returns result(codec, size) of its params block (IpldStat read by
    ;; invoke; 0, 0 without params)
    (if (i64.eq (local.get $m) (i64.const 38)) (then
      (return (call $result (i32.load (i32.const 0x200)) (i32.load (i32.const 0x208))))))
    ;; 39: gas.charge("a", a × 1,000,000 gas, a signed); returns result(errno, 0)
    (if (i64.eq (local.get $m) (i64.const 39)) (then
      (return (call $result
        (call $charge (i32.const 0x401) (i32.const 1) (i64.mul (i64.extend_i32_s (i32.load (i32.const 0x1002))) (i64.const 1000000)))
        (i32.const 0)))))
    ;; 26 (nv18): read-only send of value b (attoFIL), method 0, no params,
    ;; to the params' address; returns result(errno, exit code)
    ;; 25 (nv18): tipset_cid(epoch a as a signed i32, into 0x500, length b);
    ;; returns result(errno, CID length)
    ;; anything else: USR_UNHANDLED_MESSAGE
    (call $exit (i32.const 22) (i32.const 0))
    (i32.const 0)))
