;; badptr_v2: calls vm.context (nv17) with a return pointer past the end of memory,
;; then returns 0. The syscall fails with IllegalArgument before running and
;; skips the gas re-sync (fvm-abi.md §1.3 step 3). Metered cost: thunk 56 +
;; one block [i32.const, call, drop, i32.const] 12 = 68 gas before the
;; syscall, plus OnSyscall 14,000. v2 moves its exec-gas baseline at every
;; charge, so the 68 are charged once; v3 does not, so the final sync after
;; invoke charges the same 68 again (136 in all).
(module
  (import "vm" "context" (func $ctx (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32)
    (drop (call $ctx (i32.const 0xfffffff0)))
    i32.const 0))
