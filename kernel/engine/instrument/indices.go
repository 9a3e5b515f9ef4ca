package instrument

// checkIndices rejects bodies whose function, global, local or type indices
// are out of range in the original module. The reference validates the raw
// module before instrumenting it (fvm-gas.md §3.1 step 1); without this
// check an out-of-range index could become valid once the passes append
// globals, functions, locals or types, turning an invalid module into a
// loadable one. Everything else (operand types, labels, memory presence) is
// left to the engine's validator: instrumentation inserts only type-neutral
// sequences, so it cannot repair such errors.
func checkIndices(m *Module, bodies []*Body) error {
	nf := uint64(m.NumImported(KindFunc)) + uint64(len(m.Funcs))
	ng := uint64(m.NumImported(KindGlobal)) + uint64(len(m.Globals))
	nt := uint64(len(m.Types))
	ni := m.NumImported(KindFunc)
	for i, b := range bodies {
		sig, ok := m.FuncTypeOf(ni + uint32(i))
		if !ok {
			return malformed("function %d has no type", ni+uint32(i))
		}
		nl := uint64(len(sig.Params)) + b.NumLocals()
		for _, in := range b.Instrs {
			var lim uint64
			switch in.Op {
			case OpCall:
				lim = nf
			case OpGlobalGet, OpGlobalSet:
				lim = ng
			case OpLocalGet, OpLocalSet, OpLocalTee:
				lim = nl
			case OpCallIndirect:
				lim = nt
			default:
				continue
			}
			if uint64(in.X) >= lim {
				return malformed("function %d: %s index %d out of range (%d)", ni+uint32(i), in.Op, in.X, lim)
			}
		}
	}
	for _, e := range m.Exports {
		var lim uint64
		switch e.Kind {
		case KindFunc:
			lim = nf
		case KindGlobal:
			lim = ng
		default:
			continue
		}
		if uint64(e.Index) >= lim {
			return malformed("export %q: index %d out of range", e.Name, e.Index)
		}
	}
	for _, e := range m.Elems {
		for _, f := range e.Funcs {
			if uint64(f) >= nf {
				return malformed("element segment: function %d out of range", f)
			}
		}
	}
	for i, g := range m.Globals {
		if len(g.Init) > 1 && g.Init[0] == 0xD2 { // ref.func
			r := &reader{b: g.Init, pos: 1}
			if f, err := r.u32(); err != nil || uint64(f) >= nf {
				return malformed("global %d: ref.func of a function out of range", i)
			}
		}
	}
	if m.HasStart && uint64(m.Start) >= nf {
		return malformed("start function %d out of range", m.Start)
	}
	return nil
}
