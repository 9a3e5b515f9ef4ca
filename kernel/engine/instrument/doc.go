// Package instrument rewrites actor wasm modules the way the FVM does at
// load time (fvm-gas.md §3, fvm-abi.md §11), so that wazero, which has no
// fuel metering, charges exactly the execution gas of mainnet:
//
//  1. the stack limiter (limit 2048): a mutable i32 global, a check around
//     every direct call to a defined function, thunks for exported, table and
//     start functions in ascending index (§3.4, §4);
//  2. gas metering: the body of every function (thunks included) is cut into
//     metered blocks, each charged in full on entry with `i64.const cost;
//     call $gas`; nv18 adds the linear parts of bulk-memory ops and
//     memory.grow, statically after an `i32.const`, dynamically otherwise
//     (§3.2, §3.3);
//  3. optionally, unmetered: NaN canonicalisation (cranelift's, which the
//     reference engine switches on) and a memory.grow hook.
//
// Both reference versions are ported operation by operation, bugs included:
// NV17 is fvm-wasm-instrument 0.2.0 on parity-wasm 0.42 (commit 831ea78),
// NV18 is 0.4.0 on wasmparser 0.95 (commit 87fa4ce). The notable quirks:
// locals vs local groups in stack costs, the br_table default label that
// 0.4.0 drops, the negative-`i32.const` rejection of 0.4.0, and — read from
// parity-wasm 0.42.2, not in the fact sheet — the phantom `unreachable`
// that parity-wasm decodes after memory.copy and table.copy
// (OpPhantomUnreachable), which changes nv17 stack costs.
//
// # The gas counter global
//
// The reference imports a mutable i64 global `gas`.`gas_couner` (nv17, sic)
// or `gas`.`gas_counter` (nv18) and shifts global indices to make room for
// it. That form is available as GasImport and is what the golden tests
// compare against the reference's own expectations. wazero host modules
// cannot export globals, so the engine uses GasExport (the default): the
// module itself defines the counter as its last global (mutable i64,
// initialised to 0) and exports it as "gas_counter"; the host sets and reads
// it through the instance's exported global. The charged amounts, block
// partition, stack costs and every inserted instruction are identical; only
// the global's index differs. In GasExport form a module importing any
// global is rejected: the FVM's linker can only supply its gas global, so
// such a module never instantiates on mainnet either (the exotic case of an
// nv17 module importing `gas`.`gas_couner` itself, which the reference
// would link to the counter, is rejected here).
//
// # Options beyond the reference
//
// CanonicalizeNaN appends, after every f32/f64 add, sub, mul, div, min,
// max, sqrt, ceil, floor, trunc, nearest, demote and promote, an unmetered
// sequence that replaces a NaN result by 0x7FC00000 / 0x7FF8000000000000 —
// the set of wasmtime 36's cranelift pass, which every current FVM line
// runs. HookMemoryGrow replaces memory.grow, after metering, by a call
// to the import `gofvm`.`memory_grow` (i32)->(i32), so the engine can apply
// the nv18 memory limits; the dynamic grow charge still precedes it.
package instrument
