;; link_upgrade: imports actor.upgrade_actor with FVM v4's signature. The
;; reference binds it only with its upgrade-actor feature, which Lotus does
;; not enable, so no mainnet engine links it (fvm-abi-next.md §3.1, §7.12,
;; §14 scenario 28).
(module
  (import "actor" "upgrade_actor" (func $upgrade (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "invoke") (param i32) (result i32) i32.const 0))
