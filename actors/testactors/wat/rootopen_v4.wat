;; rootopen_v4 (FVM v4): FIP-0071's rule that the state root is reachable
;; only after self.root (fvm-abi-next.md §4.1, §14 scenario 13). Its state
;; is the empty array (DAG-CBOR 0x80, whose CID is at 0x10). It opens the
;; state (NotFound: OnBlockOpenBase 187,740 only), calls self.root (300),
;; and opens it again (187,740 + scan of one field 35 + OnBlockOpen(1, 0) =
;; max(10, 2.4) = 10) (fvm-gas-next.md §3.3, §10 examples 13 and 19).
;; Metered cost: thunk 56 + one block of eleven 4-gas instructions (drops
;; free) = 100 gas, plus three OnSyscall 14,000.
(module
  (import "self" "root" (func $root (param i32 i32 i32) (result i32)))
  (import "ipld" "block_open" (func $open (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x10) "\01\71\a0\e4\02\20\45\b0\cf\c2\20\ce\ec\5b\7c\1c\62\c4\d4\19\3d\38\e4\eb\a4\8e\88\15\72\9c\e7\5f\9c\0a\b0\e4\c1\c0")
  (func (export "invoke") (param i32) (result i32)
    (drop (call $open (i32.const 0x80) (i32.const 0x10)))
    (drop (call $root (i32.const 0) (i32.const 0x10) (i32.const 100)))
    (drop (call $open (i32.const 0x80) (i32.const 0x10)))
    i32.const 0))
