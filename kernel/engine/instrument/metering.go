package instrument

// The metering pass (fvm-gas.md §3.1–§3.3): a mutable i64 gas counter in
// milligas, a charging function appended after every other function, and
// before each span (partition.go) the pair `i64.const cost; call $charge`.
// The charging function subtracts its argument from the counter and traps
// with `unreachable` when the result is negative (signed); neither it nor
// the inserted pairs are charged themselves.

// GasForm is how the gas counter reaches the host.
type GasForm int

const (
	// GasExport (the default, what the engine runs): the module defines the
	// counter as its last global, initialised to 0, and exports it as
	// "gas_counter". wazero host modules cannot export globals, so the host
	// reads and writes the counter through the instance's export.
	GasExport GasForm = iota
	// GasImport is the form the FVM itself produces: the module imports the
	// counter as a mutable i64 global, `gas`.`gas_couner` for FVM v2 (the
	// name is misspelt in fvm-wasm-instrument 0.2.0) and `gas`.`gas_counter`
	// for FVM v3, and the existing global indices shift to make room for it,
	// with each line's quirks. The golden tests compare this form.
	GasImport
)

// The counter's names (fvm-gas.md §3.1).
const (
	GasCounterNameFVM2 = "gas_couner" // sic: the published 0.2.0 name
	GasCounterNameFVM3 = "gas_counter"
	// GasExportName is the export of the GasExport form.
	GasExportName = "gas_counter"
)

// insertCharges writes a body's instructions with the charges in front:
// before the instruction at each span's start `i64.const (chargeCost +
// cost); call $charge`, then, before an instruction charged at run time,
// `local.tee tmp; local.get tmp; i64.extend_i32_u; i64.const perUnit;
// i64.mul; call $charge` (fvm-gas.md §3.2: the count is read unsigned, and
// paid before the instruction runs, even if it then fails).
func insertCharges(b *Body, spans []span, runtime []runtimeCharge, charge uint32, chargeCost uint64, tmp uint32) ([]Instr, error) {
	out := make([]Instr, 0, len(b.Instrs)+2*len(spans)+6*len(runtime))
	si, ri := 0, 0
	for pos, in := range b.Instrs {
		if si < len(spans) && spans[si].start == pos {
			out = append(out, iConst64(int64(chargeCost+spans[si].cost)), iIdx(OpCall, charge))
			si++
		}
		if ri < len(runtime) && runtime[ri].pos == pos {
			out = append(out,
				iIdx(OpLocalTee, tmp), iIdx(OpLocalGet, tmp), iOp(OpI64ExtendI32U),
				iConst64(int64(runtime[ri].perUnit)), iOp(OpI64Mul), iIdx(OpCall, charge))
			ri++
		}
		out = append(out, in)
	}
	if si < len(spans) || ri < len(runtime) {
		return nil, unsupported("metering: a charge falls outside the function body")
	}
	return out, nil
}

// chargingBody is the appended charging function, `(param i64)`, for the
// counter global g.
func chargingBody(g uint32) *Body {
	return &Body{Instrs: []Instr{
		iIdx(OpGlobalGet, g), iIdx(OpLocalGet, 0), iOp(OpI64Sub), iIdx(OpGlobalSet, g),
		iIdx(OpGlobalGet, g), iConst64(0), iOp(OpI64LtS),
		{Op: OpIf, X: BlockEmpty}, iOp(OpUnreachable), iOp(OpEnd), iOp(OpEnd),
	}}
}

// checkSegmentsAndGlobals applies the module rules each line's metering
// enforces besides the code (fvm-gas.md §4, "other module rules"):
//   - FVM v2 refuses an imported global unless its module is the gas
//     module or its name is the counter's (either one suffices);
//   - FVM v3 refuses a module that already imports the counter;
//   - both refuse an active data segment whose offset is not a bare
//     `i32.const`; FVM v2 refuses such an element segment too (FVM v3
//     checks element items instead, refused at decoding).
func checkSegmentsAndGlobals(m *Module, v Version, gasModule, counter string) error {
	for _, im := range m.Imports {
		if im.Kind != KindGlobal {
			continue
		}
		if v == FVM2 && im.Module != gasModule && im.Name != counter {
			return unsupported("imported global %q.%q: FVM v2 imports no global but its gas counter", im.Module, im.Name)
		}
		if v == FVM3 && im.Module == gasModule && im.Name == counter {
			return unsupported("the module imports the gas counter %q.%q itself", im.Module, im.Name)
		}
	}
	for _, d := range m.Data {
		if d.Flags != 1 && !isI32ConstExpr(d.Offset) {
			return unsupported("a data segment offset is not a bare i32.const")
		}
	}
	if v == FVM2 {
		for _, e := range m.Elems {
			if e.Offset != nil && !isI32ConstExpr(e.Offset) {
				return unsupported("an element segment offset is not a bare i32.const")
			}
		}
	}
	return nil
}

// addCounter adds the gas counter in the requested form and returns its
// global index.
func addCounter(m *Module, bodies []*Body, o *Options, gasModule, counter string) (uint32, error) {
	switch o.Gas {
	case GasImport:
		// The counter becomes the last imported global. FVM v2 shifts the
		// global indices at or above it, FVM v3 shifts every global.get and
		// global.set, which is only right without imported globals; and FVM
		// v3 computes the shifted indices of exported globals but never
		// writes them back, so its exports keep the old indices
		// (fvm-gas.md §3.1).
		g := m.NumImported(KindGlobal)
		m.Imports = append(m.Imports, Import{Module: gasModule, Name: counter, Kind: KindGlobal, Global: GlobalType{I64, true}})
		m.present[secImport] = true
		for _, b := range bodies {
			for i := range b.Instrs {
				if in := &b.Instrs[i]; (in.Op == OpGlobalGet || in.Op == OpGlobalSet) && (o.Version == FVM3 || in.X >= g) {
					in.X++
				}
			}
		}
		if o.Version == FVM2 {
			for i := range m.Exports {
				if e := &m.Exports[i]; e.Kind == KindGlobal && e.Index >= g {
					e.Index++
				}
			}
		}
		return g, nil
	case GasExport:
		// Only the counter could be linked to a global import, and here the
		// counter is the module's own: no global import can be satisfied.
		if n := m.NumImported(KindGlobal); n > 0 {
			return 0, unsupported("the module imports %d globals: the FVM links none but its gas counter", n)
		}
		for _, e := range m.Exports {
			if e.Name == GasExportName {
				return 0, unsupported("the module already exports %q", GasExportName)
			}
		}
		g := uint32(len(m.Globals))
		m.Globals = append(m.Globals, Global{GlobalType{I64, true}, []byte{0x42, 0x00, 0x0B}})
		m.Exports = append(m.Exports, Export{Name: GasExportName, Kind: KindGlobal, Index: g})
		m.present[secGlobal], m.present[secExport] = true, true
		return g, nil
	}
	return 0, unsupported("gas form %d", o.Gas)
}

// meter is the metering pass over a decoded module: the counter, a charge
// in front of every span and of every runtime-priced instruction, and the
// charging function. It returns the bodies with the charging function's
// appended.
func meter(m *Module, bodies []*Body, o *Options) ([]*Body, error) {
	gasModule := o.GasModule
	if gasModule == "" {
		gasModule = "gas"
	}
	counter := GasCounterNameFVM2
	if o.Version == FVM3 {
		counter = GasCounterNameFVM3
	}
	if err := checkSegmentsAndGlobals(m, o.Version, gasModule, counter); err != nil {
		return nil, err
	}
	g, err := addCounter(m, bodies, o, gasModule, counter)
	if err != nil {
		return nil, err
	}
	imported := m.NumImported(KindFunc)
	charge := imported + uint32(len(m.Funcs)) // the charging function comes last
	chargeCost := uint64(0)
	if o.Version == FVM3 {
		chargeCost = o.Prices.ChargeCost()
	}
	for i, b := range bodies {
		spans, runtime, err := spansOf(b, o.Prices, o.Version)
		if err != nil {
			return nil, fmtFunc(err, int(imported)+i)
		}
		var tmp uint32
		if len(runtime) > 0 {
			// One fresh i32 local after the parameters and locals.
			sig, _ := m.FuncTypeOf(imported + uint32(i))
			tmp = uint32(uint64(len(sig.Params)) + b.NumLocals())
			b.Locals = append(b.Locals, LocalGroup{1, I32})
		}
		if b.Instrs, err = insertCharges(b, spans, runtime, charge, chargeCost, tmp); err != nil {
			return nil, fmtFunc(err, int(imported)+i)
		}
	}
	m.Funcs = append(m.Funcs, typeIndex(m, FuncType{Params: []ValType{I64}}))
	m.Code = append(m.Code, nil)
	m.present[secFunction], m.present[secCode] = true, true
	return append(bodies, chargingBody(g)), nil
}

// typeIndex returns the index of the first type equal to t, adding t at the
// end when there is none (both instrumenters reuse the first equal type).
func typeIndex(m *Module, t FuncType) uint32 {
	for i, x := range m.Types {
		if x.equal(t) {
			return uint32(i)
		}
	}
	m.Types = append(m.Types, t)
	m.present[secType] = true
	return uint32(len(m.Types) - 1)
}
