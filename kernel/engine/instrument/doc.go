// Package instrument rewrites actor wasm the way the FVM does when it loads
// code (fvm-gas.md §3–§4, fvm-gas-next.md §6), so that wazero, which meters
// nothing itself, charges exactly the execution gas of mainnet and stops a
// deep recursion exactly where the FVM does:
//
//  1. the stack limiter (limiter.go): every function gets a stack cost; a
//     global tracks the cost of the frames on the stack; each direct call
//     adds its callee's cost and traps past 2048; exports, table entries
//     and the start function go through thunks that do the same (§3.4, §4);
//  2. the metering (partition.go, metering.go): every function body, thunks
//     included, is cut into spans that run all or nothing, each charged in
//     full before it runs with `i64.const cost; call $charge`; FVM v3 adds
//     the linear parts of bulk memory, table and memory.grow instructions,
//     statically after an `i32.const` and at run time otherwise (§3.2,
//     §3.3);
//  3. unmetered, on request: NaN canonicalisation (nan.go), which the
//     reference gets from its compiler, and a memory.grow hook.
//
// Two lines are reproduced, each with its instrumenter's quirks, since they
// decide gas: FVM2 (fvm-wasm-instrument 0.2.0, FVM v2) and FVM3 (0.4.0,
// FVM v3 and v4). They differ in what they can decode (FVM v2 knows no
// sign extension, saturating truncation or reference types), in the stack
// cost of locals (locals against declaration groups), in br_table's default
// label (FVM v3 forgets it when it partitions), in linear prices (FVM v3
// only) and in how the gas counter's import renumbers globals. One quirk
// is not in the fact sheets: FVM v2's decoder reads only one of the two
// reserved bytes of memory.copy and table.copy and takes the second for an
// `unreachable` (OpPhantomUnreachable), which lowers some FVM v2 stack
// costs.
//
// The decoder (module.go, body.go, reader.go) is also the project's one
// reader of wasm sections: the engine takes imports, tables, exports,
// memory minimum and start function from DecodeModule.
//
// # The gas counter
//
// The FVM imports the counter, a mutable i64 global in milligas, as
// `gas`.`gas_couner` (FVM v2, sic) or `gas`.`gas_counter` (FVM v3). That
// form, GasImport, is what the golden tests compare with the reference's
// own expected outputs. wazero host modules cannot export globals, so the
// engine uses GasExport (the default): the module defines the counter as
// its last global and exports it as "gas_counter", and the host reads and
// sets it through the instance. Charges, spans, stack costs and inserted
// code are the same in both forms; only the counter's index differs. In
// GasExport form a module that imports any global is refused: the FVM links
// no global but the counter, so such a module never runs on mainnet either.
//
// # Options beyond the FVM
//
// CanonicalizeNaN appends, after every instruction whose float result the
// reference's compiler canonicalises (fvm-abi.md §11; the set of wasmtime
// 36, which every current FVM line runs: add, sub, mul, div, min, max,
// sqrt, ceil, floor, trunc, nearest, demote, promote), an unmetered
// sequence that replaces a NaN result by 0x7FC00000 / 0x7FF8000000000000.
// HookMemoryGrow replaces memory.grow, after the metering, by a call to the
// import `gofvm`.`memory_grow` (i32)->(i32), for hosts that enforce memory
// limits themselves; the runtime charge still comes first. HookTableGrow
// asks the import `gofvm`.`table_growing` before every table.grow, so that
// the host can count table growth against the call stack's memory as FVM
// v3 and v4 do. TableElementLimit caps tables as the FVM's pooled tables
// do.
package instrument
