package instrument

// Host hooks: unmetered rewrites, after the metering, that hand a growth
// decision to the host, for hosts that keep the FVM's memory accounting
// themselves. The hooks import functions from the module HookModule, which
// no actor may import itself (the FVM links no such module).

const (
	HookModule = "gofvm"
	// HookName is the memory.grow hook: (pages i32) -> (old size or −1).
	HookName = "memory_grow"
	// TableHookName is the table.grow hook: (size i32, delta i32) ->
	// (1 to grow, 0 to refuse).
	TableHookName = "table_growing"
)

// checkNoHookImports refuses a module that imports from HookModule.
func checkNoHookImports(m *Module) error {
	for _, im := range m.Imports {
		if im.Module == HookModule {
			return unsupported("import %q.%q: the module %q is not the FVM's", im.Module, im.Name, HookModule)
		}
	}
	return nil
}

// addHookImport adds a function import of module HookModule after the
// other function imports and returns its function index; every function
// index at or above it shifts by one, wherever it appears.
func addHookImport(m *Module, bodies []*Body, name string, t FuncType) uint32 {
	hook := m.NumImported(KindFunc)
	ti := typeIndex(m, t)
	// Function indices count function imports only, so an import appended
	// after all the others gets the index `hook`.
	m.Imports = append(m.Imports, Import{Module: HookModule, Name: name, Kind: KindFunc, TypeIdx: ti})
	m.present[secImport] = true
	shift := func(f *uint32) {
		if *f >= hook {
			*f++
		}
	}
	for _, b := range bodies {
		for i := range b.Instrs {
			if in := &b.Instrs[i]; in.Op == OpCall {
				shift(&in.X)
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
	return hook
}

// hookMemoryGrow replaces every memory.grow by a call to
// gofvm.memory_grow (i32)->(i32), so that the host can apply the FVM v3
// memory limits (fvm-gas.md §4) and answer −1 itself.
func hookMemoryGrow(m *Module, bodies []*Body) {
	hook := addHookImport(m, bodies, HookName, FuncType{Params: []ValType{I32}, Results: []ValType{I32}})
	for _, b := range bodies {
		for i := range b.Instrs {
			if b.Instrs[i].Op == OpMemoryGrow {
				b.Instrs[i] = iIdx(OpCall, hook)
			}
		}
	}
}

// hookTableGrow puts a host decision in front of every table.grow. In FVM
// v3 and v4 a table's growth counts 8 bytes per element against the call
// stack's memory (fvm-gas.md §4), and growth the limit refuses makes
// table.grow answer −1 without growing. So `table.grow` becomes
//
//	local.set $n; local.set $ref
//	table.size; local.get $n; call $gofvm.table_growing
//	if (result i32) local.get $ref; local.get $n; table.grow else i32.const −1 end
//
// with $n an i32 and $ref a funcref local added to the function. The host
// answers 1 when the growth fits the table's maximum and the memory budget
// (and counts it), 0 otherwise. Modules without table.grow are left alone.
func hookTableGrow(m *Module, bodies []*Body) {
	uses := false
	for _, b := range bodies {
		for _, in := range b.Instrs {
			uses = uses || in.Op == OpTableGrow
		}
	}
	if !uses {
		return
	}
	hook := addHookImport(m, bodies, TableHookName, FuncType{Params: []ValType{I32, I32}, Results: []ValType{I32}})
	imported := m.NumImported(KindFunc)
	for i, b := range bodies {
		n := 0
		for _, in := range b.Instrs {
			if in.Op == OpTableGrow {
				n++
			}
		}
		if n == 0 {
			continue
		}
		sig, _ := m.FuncTypeOf(imported + uint32(i))
		delta := uint32(uint64(len(sig.Params)) + b.NumLocals())
		ref := delta + 1
		b.Locals = append(b.Locals, LocalGroup{1, I32}, LocalGroup{1, FuncRef})
		out := make([]Instr, 0, len(b.Instrs)+11*n)
		for _, in := range b.Instrs {
			if in.Op != OpTableGrow {
				out = append(out, in)
				continue
			}
			out = append(out,
				iIdx(OpLocalSet, delta), iIdx(OpLocalSet, ref),
				iOp(OpTableSize), iIdx(OpLocalGet, delta), iIdx(OpCall, hook),
				Instr{Op: OpIf, X: uint32(I32)},
				iIdx(OpLocalGet, ref), iIdx(OpLocalGet, delta), in,
				iOp(OpElse), iConst32(-1), iOp(OpEnd))
		}
		b.Instrs = out
	}
}
