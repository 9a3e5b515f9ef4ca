package engine

import "github.com/gofvm/gofvm/kernel/engine/instrument"

// defaultInstrument runs the FVM's load-time pipeline (fvm-gas.md §3.1) in
// the form the engine executes: stack limiter, gas metering with the counter
// defined and exported as `gas_counter` (wazero host modules cannot export
// globals), NaN canonicalisation (wasmtime's cranelift setting, which wazero
// lacks). memory.grow stays native: the pooled linear memory enforces the
// FVM v3/v4 limits (see linearMemory). table.grow asks the gofvm host
// module first (tables.go); an actor that imports from that module itself
// is refused.
var defaultInstrument instrumentFunc = func(wasm []byte, v Variant) ([]byte, error) {
	o := instrument.Options{
		Version:         v.instrumentVersion(),
		Gas:             instrument.GasExport,
		CanonicalizeNaN: true,
	}
	if v.memoryLimits() {
		o.TableElementLimit = MaxTableElements
		o.HookTableGrow = true
	}
	return instrument.Instrument(wasm, o)
}
