package instrument

// Memory-grow hook (Options.HookMemoryGrow).
const (
	HookModule = "gofvm"
	HookName   = "memory_grow"
)

// hookMemoryGrow imports gofvm.memory_grow (i32)->(i32) as the last
// imported function and replaces every memory.grow by a call to it, so the
// host can enforce the FVM v3 memory limits (fvm-gas.md §4) and return -1
// itself. Every function index at or above the new import shifts by one.
func hookMemoryGrow(m *Module, bodies []*Body) {
	hook := m.NumImported(KindFunc)
	ti := typeIndex(m, FuncType{Params: []ValType{I32}, Results: []ValType{I32}})
	// Function indices count function imports only, so appending at the
	// end of the import list gives the new import index `hook`.
	m.Imports = append(m.Imports, Import{Module: HookModule, Name: HookName, Kind: KindFunc, TypeIdx: ti})
	m.present[secImport] = true
	shift := func(f *uint32) {
		if *f >= hook {
			*f++
		}
	}
	for _, b := range bodies {
		for i := range b.Instrs {
			in := &b.Instrs[i]
			switch in.Op {
			case OpCall:
				shift(&in.X)
			case OpMemoryGrow:
				*in = iIdx(OpCall, hook)
			}
		}
	}
	for i := range m.Exports {
		if m.Exports[i].Kind == KindFunc {
			shift(&m.Exports[i].Index)
		}
	}
	for i := range m.Elems {
		for j := range m.Elems[i].Funcs {
			shift(&m.Elems[i].Funcs[j])
		}
	}
	if m.HasStart {
		shift(&m.Start)
	}
	for i := range m.Globals {
		if init := m.Globals[i].Init; len(init) > 1 && init[0] == 0xD2 { // ref.func f
			r := &reader{b: init, pos: 1}
			f, err := r.u32()
			if err != nil {
				continue // checkIndices refused it already
			}
			shift(&f)
			m.Globals[i].Init = append(appendU32([]byte{0xD2}, f), 0x0B)
		}
	}
}
