package instrument

// GasForm selects how the gas counter global reaches the host.
type GasForm int

const (
	// GasExport (the default, what the engine runs): the module defines a
	// mutable i64 global initialised to 0 and exports it as "gas_counter".
	// wazero host modules cannot export globals, so the engine reads and
	// writes it through the instance's export.
	GasExport GasForm = iota
	// GasImport is the reference form: an imported mutable i64 global
	// `gas`.`gas_couner` (nv17, sic) or `gas`.`gas_counter` (nv18), with the
	// reference's global-index shifting, bugs included. Used for golden tests.
	GasImport
)

// DefaultStackLimit is the FVM's max_wasm_stack (fvm-gas.md §3.1).
const DefaultStackLimit = 2048

// Options configures Instrument.
type Options struct {
	Version Version
	// StackLimit is the stack limiter's limit; 0 means 2048.
	StackLimit uint32
	Gas        GasForm
	// GasModule is the import module of the GasImport form; "" means "gas".
	GasModule string
	// Rules prices instructions; nil means FVMRules(Version).
	Rules Rules
	// HookMemoryGrow replaces memory.grow by a call to gofvm.memory_grow.
	HookMemoryGrow bool
	// CanonicalizeNaN inserts the unmetered NaN canonicalisation.
	CanonicalizeNaN bool
	// TableElementLimit, when not 0, is the most elements a table may
	// hold: a table whose minimum is larger is refused, and every table's
	// maximum is lowered to it, so that table.grow past it returns −1. The
	// FVM's pooled tables hold 20,000 elements from 3.14.1 and 4.8.2 on
	// (fvm-gas-next.md §6.2), and wasmtime checks the minimum when it
	// compiles the module.
	TableElementLimit uint32

	// NoStackLimiter and NoGasMetering switch single passes off, as the
	// reference crates' own diff tests run them one at a time. The FVM
	// runs both.
	NoStackLimiter bool
	NoGasMetering  bool
}

// Instrument rewrites a raw actor module as the FVM of opts.Version does at
// load time (fvm-gas.md §3.1): stack limiter first, then gas metering; then,
// unmetered, NaN canonicalisation and the memory.grow hook when asked for.
// Errors wrap ErrMalformed or ErrUnsupported; a module rejected here is one
// the reference fails to load.
func Instrument(wasm []byte, opts Options) ([]byte, error) {
	if opts.Version != NV17 && opts.Version != NV18 {
		return nil, unsupported("unknown version %d", opts.Version)
	}
	if opts.StackLimit == 0 {
		opts.StackLimit = DefaultStackLimit
	}
	if opts.Rules == nil {
		opts.Rules = FVMRules(opts.Version)
	}
	m, bodies, err := decodeAll(wasm, opts.Version)
	if err != nil {
		return nil, err
	}
	if opts.TableElementLimit != 0 {
		if err := limitTables(m, opts.TableElementLimit); err != nil {
			return nil, err
		}
	}
	if !opts.NoStackLimiter {
		if bodies, err = injectStackLimiter(m, bodies, opts.Version, opts.StackLimit); err != nil {
			return nil, err
		}
	}
	if !opts.NoGasMetering {
		if bodies, err = injectGasMetering(m, bodies, &opts); err != nil {
			return nil, err
		}
	}
	if opts.CanonicalizeNaN {
		ni := m.NumImported(KindFunc)
		for i, b := range bodies {
			sig, _ := m.FuncTypeOf(ni + uint32(i))
			canonicalizeNaN(b, len(sig.Params))
		}
	}
	if opts.HookMemoryGrow {
		hookMemoryGrow(m, bodies)
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

// ValidateFeatures checks that a module uses only what the engine and the
// reference instrumenter of v accept: MVP + bulk memory (+ sign extension
// and saturating truncation for NV18); no SIMD, atomics, exceptions, tail
// calls, reference types, multi-value, multiple memories or tables. It
// does not type-check the code; the engine's validator does that.
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
