package instrument

// DefaultStackLimit is the FVM's wasm stack limit in stack units
// (max_wasm_stack, fvm-gas.md §3.1).
const DefaultStackLimit = 2048

// Options configures Instrument.
type Options struct {
	// Version is the FVM line whose instrumentation is reproduced.
	Version Version
	// StackLimit is the stack limiter's limit; 0 means 2048.
	StackLimit uint32
	// Gas is the form of the gas counter.
	Gas GasForm
	// GasModule is the counter's import module in the GasImport form; ""
	// means "gas".
	GasModule string
	// Prices prices the instructions; nil means FVMPrices(Version).
	Prices Prices
	// HookMemoryGrow replaces memory.grow by a call to gofvm.memory_grow.
	HookMemoryGrow bool
	// HookTableGrow asks gofvm.table_growing before every table.grow
	// (hooks.go).
	HookTableGrow bool
	// CanonicalizeNaN inserts the unmetered NaN canonicalisation.
	CanonicalizeNaN bool
	// TableElementLimit, when not 0, is the most elements a table may
	// hold: a table whose minimum is larger is refused, and every table's
	// maximum is lowered to it, so that table.grow past it returns −1. The
	// FVM's pooled tables hold 20,000 elements from 3.14.1 and 4.8.2 on
	// (fvm-gas-next.md §6.2), and wasmtime checks the minimum when it
	// compiles the module.
	TableElementLimit uint32

	// NoStackLimiter and NoGasMetering leave one pass out, to compare a
	// pass with fixtures made of that pass alone. The FVM runs both.
	NoStackLimiter bool
	NoGasMetering  bool
}

// Instrument rewrites an actor module as the FVM of opts.Version does when
// it loads code (fvm-gas.md §3.1): the stack limiter first, then the
// metering, so that the limiter's code is metered too; then, unmetered, the
// NaN canonicalisation and the memory.grow hook when asked for. Errors wrap
// ErrMalformed or ErrUnsupported; a module refused here is one the
// reference fails to load.
func Instrument(wasm []byte, opts Options) ([]byte, error) {
	if opts.Version != FVM2 && opts.Version != FVM3 {
		return nil, unsupported("instrumentation version %d", opts.Version)
	}
	if opts.StackLimit == 0 {
		opts.StackLimit = DefaultStackLimit
	}
	if opts.Prices == nil {
		opts.Prices = FVMPrices(opts.Version)
	}
	m, bodies, err := decodeAll(wasm, opts.Version)
	if err != nil {
		return nil, err
	}
	if opts.HookMemoryGrow || opts.HookTableGrow {
		if err := checkNoHookImports(m); err != nil {
			return nil, err
		}
	}
	if opts.TableElementLimit != 0 {
		if err := limitTables(m, opts.TableElementLimit); err != nil {
			return nil, err
		}
	}
	if !opts.NoStackLimiter {
		if bodies, err = limitStack(m, bodies, opts.Version, opts.StackLimit); err != nil {
			return nil, err
		}
	}
	if !opts.NoGasMetering {
		if bodies, err = meter(m, bodies, &opts); err != nil {
			return nil, err
		}
	}
	if opts.CanonicalizeNaN {
		imported := m.NumImported(KindFunc)
		for i, b := range bodies {
			sig, _ := m.FuncTypeOf(imported + uint32(i))
			canonicalizeNaN(b, len(sig.Params))
		}
	}
	if opts.HookMemoryGrow {
		hookMemoryGrow(m, bodies)
	}
	if opts.HookTableGrow {
		hookTableGrow(m, bodies)
	}
	size := 0
	for _, b := range bodies {
		size += len(b.Instrs) * 3
	}
	buf := make([]byte, 0, size)
	for i, b := range bodies {
		start := len(buf)
		buf = EncodeBody(buf, b)
		m.Code[i] = buf[start:len(buf):len(buf)]
	}
	return m.Encode(), nil
}

// decodeAll decodes a module and all its function bodies, and checks the
// indices the passes could otherwise make valid.
func decodeAll(wasm []byte, v Version) (*Module, []*Body, error) {
	m, err := DecodeModule(wasm, v)
	if err != nil {
		return nil, nil, err
	}
	bodies := make([]*Body, len(m.Code))
	for i, c := range m.Code {
		if bodies[i], err = DecodeBody(c, DecodeOptions{Version: v}); err != nil {
			return nil, nil, fmtFunc(err, int(m.NumImported(KindFunc))+i)
		}
	}
	if err := checkIndices(m, bodies); err != nil {
		return nil, nil, err
	}
	return m, bodies, nil
}

// ValidateFeatures checks that a module uses only what the FVM line v
// accepts: the wasm features its engine enables and its instrumenter can
// decode (fvm-gas.md §3.2, §4; fvm-gas-next.md §6.2). It does not
// type-check the code; the engine's validator does that.
func ValidateFeatures(wasm []byte, v Version) error {
	_, _, err := decodeAll(wasm, v)
	return err
}

// limitTables applies Options.TableElementLimit to the defined tables.
func limitTables(m *Module, limit uint32) error {
	for i, raw := range m.Tables {
		l := parseLimits(raw[1:])
		if l.Min > limit {
			return unsupported("table %d: minimum %d elements is over the %d-element limit", i, l.Min, limit)
		}
		if !l.HasMax || l.Max > limit {
			l.Max, l.HasMax = limit, true
			m.Tables[i] = appendLimits([]byte{raw[0]}, l)
		}
	}
	return nil
}
