;; echo_v3: a small nv18 actor with the builtin actors' invoke shape
;; (fvm-abi.md §5.2): debug.enabled, then vm.message_context for the method
;; number. Method 1 copies the params block (block_stat, block_read,
;; block_create) and returns the new block id; any other method exits with
;; USR_UNHANDLED_MESSAGE (22) and a message. Not instrumented: the gas global
;; is hand-written.
(module
  (import "debug" "enabled" (func $enabled (param i32) (result i32)))
  (import "vm" "message_context" (func $msgctx (param i32) (result i32)))
  (import "ipld" "block_stat" (func $stat (param i32 i32) (result i32)))
  (import "ipld" "block_read" (func $read (param i32 i32 i32 i32 i32) (result i32)))
  (import "ipld" "block_create" (func $create (param i32 i64 i32 i32) (result i32)))
  (import "vm" "exit" (func $exit (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $gas (export "gas_counter") (mut i64) (i64.const 0))
  (data (i32.const 0x400) "method not found")
  (func (export "invoke") (param $p i32) (result i32)
    (local $size i32)
    (drop (call $enabled (i32.const 0x100)))
    (if (call $msgctx (i32.const 0x200)) (then unreachable))
    ;; MessageContext.method_number is the u64 at offset 32
    (if (i64.ne (i64.load (i32.const 0x220)) (i64.const 1))
      (then (drop (call $exit (i32.const 22) (i32.const 0) (i32.const 0x400) (i32.const 16)))))
    (if (i32.eqz (local.get $p)) (then (return (i32.const 0))))
    ;; IpldStat{codec u64, size u32}
    (if (call $stat (i32.const 0x300) (local.get $p)) (then unreachable))
    (local.set $size (i32.load (i32.const 0x308)))
    (if (call $read (i32.const 0x310) (local.get $p) (i32.const 0) (i32.const 0x1000) (local.get $size)) (then unreachable))
    (if (call $create (i32.const 0x320) (i64.load (i32.const 0x300)) (i32.const 0x1000) (local.get $size)) (then unreachable))
    (i32.load (i32.const 0x320))))
