package main

import (
	"github.com/bytecodealliance/wasmtime-go/v35"
)

// The reference's engine limits (fvm-gas.md §4, fvm-gas-next.md §6.2; ref-fvm
// fvm/src/engine/mod.rs at fvm@v4.8.2, wasmtime_config and
// EngineConfig::instance_pool_size).
const (
	refMaxCallDepth     = 1024   // nv18 and later
	refExpectedDepth    = 20     // EXPECTED_MAX_STACK_DEPTH × concurrency 1
	refTableElements    = 20_000 // pooled table slots
	refMaxInstanceBytes = 512 << 20
	refNativeStack      = 4 << 20 // max_wasm_stack, bytes of native stack
)

// newRefEngine builds a wasmtime engine configured as ref-fvm 4.8.2
// configures its own (3.14.1 differs in nothing measured here): the pooling
// allocator sized for a full call stack, NaN canonicalisation, the FVM's
// feature set, a 4 MiB native stack, no fuel or epochs, no debug info.
//
// wasmtime-go's C API reaches every one of ref-fvm's settings but these,
// which keep wasmtime's defaults: wasm_extended_const (on; no actor uses
// it), wasm_custom_page_sizes (off, as ref-fvm sets), generate_address_map
// (on: metadata only), wasm_backtrace (on: a trap records a backtrace; the
// replays here end without traps) and table_lazy_init (on, as ref-fvm
// leaves it).
func newRefEngine() *wasmtime.Engine {
	cfg := wasmtime.NewConfig()
	setPooling(cfg, refMaxCallDepth+refExpectedDepth, refTableElements, refMaxInstanceBytes)

	cfg.SetWasmSIMD(false)
	cfg.SetWasmRelaxedSIMD(false)
	cfg.SetWasmRelaxedSIMDDeterministic(true)
	cfg.SetWasmWideArithmetic(false)
	cfg.SetWasmTailCall(false)
	cfg.SetWasmMultiMemory(false)
	cfg.SetWasmMemory64(false)
	cfg.SetWasmBulkMemory(true)
	cfg.SetWasmMultiValue(false)
	cfg.SetWasmThreads(false)
	cfg.SetWasmReferenceTypes(true) // wasmtime's default, which ref-fvm keeps
	cfg.SetWasmGC(false)
	cfg.SetWasmFunctionReferences(false)

	cfg.SetCraneliftNanCanonicalization(true)
	cfg.SetMaxWasmStack(refNativeStack)
	cfg.SetConsumeFuel(false)
	cfg.SetEpochInterruption(false)

	cfg.SetDebugInfo(false)
	cfg.SetCraneliftDebugVerifier(false)
	cfg.SetNativeUnwindInfo(false)
	cfg.SetParallelCompilation(true)
	cfg.SetStrategy(wasmtime.StrategyCranelift)
	cfg.SetCraneliftOptLevel(wasmtime.OptLevelSpeed)
	cfg.SetMacOSUseMachPorts(false)
	return wasmtime.NewEngineWithConfig(cfg)
}
