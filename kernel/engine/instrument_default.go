package engine

import "github.com/gofvm/gofvm/kernel/engine/instrument"

// defaultInstrument runs the FVM's load-time pipeline (fvm-gas.md §3.1) in
// the form the engine executes: stack limiter, gas metering with the counter
// defined and exported as `gas_counter` (wazero host modules cannot export
// globals), NaN canonicalisation (wasmtime's cranelift setting, which wazero
// lacks). memory.grow stays native: the pooled linear memory enforces the
// nv18 limits (see linearMemory), so no `gofvm` host module is linkable by
// actors.
var defaultInstrument instrumentFunc = func(wasm []byte, v Variant) ([]byte, error) {
	ver := instrument.NV17
	if v != V2 {
		ver = instrument.NV18
	}
	return instrument.Instrument(wasm, instrument.Options{
		Version:         ver,
		Gas:             instrument.GasExport,
		CanonicalizeNaN: true,
	})
}
