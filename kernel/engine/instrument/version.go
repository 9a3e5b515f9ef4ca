package instrument

// Version is the instrumentation of one FVM line. The FVM runs the stack
// limiter and the gas metering of its own instrumenter release, and the two
// releases in use differ in small ways that change gas and stack costs
// (fvm-gas.md §3–§4): FVM v2 uses fvm-wasm-instrument 0.2.0 (on the
// parity-wasm 0.42 decoder, with only its bulk-memory feature), FVM v3 and
// FVM v4 both use 0.4.0 (on wasmparser 0.95; fvm-gas-next.md §0.4, §6.1).
type Version int

const (
	// FVM2 is the instrumentation of FVM v2 (nv16–17).
	FVM2 Version = iota
	// FVM3 is the instrumentation of FVM v3 (nv18–20), which FVM v4
	// (nv21–28) keeps unchanged.
	FVM3
)

func (v Version) String() string {
	switch v {
	case FVM2:
		return "fvm2"
	case FVM3:
		return "fvm3"
	}
	return "fvm?"
}
