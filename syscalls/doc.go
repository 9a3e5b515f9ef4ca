// Package syscalls is the exact wasm import ABI of the FVM per network
// version (fvm-abi.md §1–§3): module and function names, signatures, packed
// struct layouts and error numbers. It moves bytes between wasm memory and a
// Kernel and holds no state of its own.
//
// Use:
//
//   - Register(ctx, runtime, nv) instantiates the host modules (vm, network,
//     ipld, self, actor, crypto, rand, gas, send, event, debug) of nv's ABI
//     as stack-based api.GoModuleFunc host functions: the import table is
//     built from nv's rules (package rules: the engine line and the fields
//     that add or drop imports), 36 functions on the FVM v2 line (nv16–17),
//     40 on v3 as 3.14.1 links it (nv18–20, no crypto.verify_seal), 41 on
//     v4 (nv21–28: the FIP-0072 emit_event, the FIP-0075 randomness, the
//     FIP-0073 self_destruct and crypto.verify_bls_aggregate of FIP-0079;
//     fvm-abi-next.md §3.1). One runtime per engine line (RegisterABI).
//   - CheckImports(compiled, nv) reports an import the ABI lacks as a
//     *LinkError (errors.Is(err, ErrLink)); such an actor is fatal.
//   - Invoke(ctx, kernel, memory, gasGlobal, invoke, params) runs one actor
//     call (fvm-abi.md §5.1 steps 5–7) and returns its Outcome.
//
// Every syscall follows the wrapper of fvm-abi.md §1.3: charge_for_exec
// ("wasm_exec"; where memory growth is priced, v3, it is split off as
// "wasm_memory_grow", same total), OnSyscall, the ret_ptr check (IllegalArgument without a
// gas re-sync), the body, then update_gas_available. Out of gas and fatal
// errors end the invocation by panicking with an internal value after the
// re-sync; wazero hands it back from Call wrapped in an error and Invoke
// classifies it. Per-invocation state travels in the context (one
// ctx.Value lookup per syscall).
//
// Where Go libraries parse differently from the reference (notes for
// replay; none is reachable by the builtin actors):
//
//   - Addresses: go-address rejects ID addresses and f4 namespaces ≥ 2^63
//     (and 10-byte varints), which fvm_shared accepts; such an address is
//     IllegalArgument here. Empty input is rejected as in the reference.
//   - CIDs: varints must be minimal and at most 9 bytes. The reference's
//     rust-cid 0.8 unwraps a non-minimal version/codec varint (a host panic,
//     i.e. fatal) and accepts 10-byte varints; here both are IllegalArgument.
//   - CBOR: the cbor-gen decoders of go-state-types cap arrays at 8,192
//     entries and byte strings at 2 MiB inside proof infos (serde has no
//     cap). Top-level lists ([]PieceInfo, []SealVerifyInfo) have no cap.
package syscalls
