package instrument

import "sort"

// Metered-block partition and gas-charge insertion: gas_metering/mod.rs of
// fvm-wasm-instrument at 831ea78 (nv17) and 87fa4ce (nv18); the algorithm
// is described in fvm-gas.md §3.3.

type meteredBlock struct {
	start int
	cost  uint64
}

type controlBlock struct {
	lowestFwdTarget int
	active          meteredBlock
	isLoop          bool
}

type counter struct {
	stack     []controlBlock
	finalized []meteredBlock
}

func (c *counter) begin(cursor int, isLoop bool) {
	c.stack = append(c.stack, controlBlock{lowestFwdTarget: len(c.stack), active: meteredBlock{start: cursor}, isLoop: isLoop})
}

func (c *counter) finalizeControl(cursor int) error {
	if err := c.finalizeMetered(cursor); err != nil {
		return err
	}
	if len(c.stack) == 0 {
		return unsupported("metering: stack not found")
	}
	closing := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	idx := len(c.stack)
	if len(c.stack) == 0 {
		return nil
	}
	top := &c.stack[len(c.stack)-1]
	if closing.lowestFwdTarget < top.lowestFwdTarget {
		top.lowestFwdTarget = closing.lowestFwdTarget
	}
	if closing.lowestFwdTarget < idx {
		return c.finalizeMetered(cursor)
	}
	return nil
}

func (c *counter) finalizeMetered(cursor int) error {
	if len(c.stack) == 0 {
		return unsupported("metering: stack not found")
	}
	top := &c.stack[len(c.stack)-1]
	closing := top.active
	top.active = meteredBlock{start: cursor + 1}
	if last := len(c.stack) - 1; last > 0 {
		prev := &c.stack[last-1].active
		if closing.start == prev.start {
			prev.cost += closing.cost // unchecked in the reference too
			return nil
		}
	}
	if closing.cost > 0 {
		c.finalized = append(c.finalized, closing)
	}
	return nil
}

func (c *counter) branch(cursor int, targets []int) error {
	if err := c.finalizeMetered(cursor); err != nil {
		return err
	}
	for _, t := range targets {
		if t < 0 || t >= len(c.stack) {
			return unsupported("metering: unable to find stack index")
		}
		if c.stack[t].isLoop {
			continue
		}
		top := &c.stack[len(c.stack)-1]
		if t < top.lowestFwdTarget {
			top.lowestFwdTarget = t
		}
	}
	return nil
}

func (c *counter) increment(v uint64) error {
	if len(c.stack) == 0 {
		return unsupported("metering: stack not exit")
	}
	a := &c.stack[len(c.stack)-1].active
	if a.cost+v < a.cost {
		return unsupported("metering: add cost overflow")
	}
	a.cost += v
	return nil
}

type dynCharge struct {
	pos     int
	perUnit uint32
}

// linearStackTopI32 lists the ops whose linear unit count is an i32 on top
// of the stack (instruction_stack_top_type @87fa4ce).
func linearStackTopI32(op Op) bool {
	switch op {
	case OpMemoryGrow, OpMemoryInit, OpMemoryCopy, OpMemoryFill, OpTableInit, OpTableCopy, OpTableGrow, OpTableFill:
		return true
	}
	return false
}

// meteredBlocks is determine_metered_blocks of the selected version.
func meteredBlocks(b *Body, rules Rules, v Version) ([]meteredBlock, []dynCharge, error) {
	c := &counter{}
	c.begin(0, false)
	var dyn []dynCharge
	lastConst, haveConst := int32(0), false
	target := func(label uint32) (int, error) {
		t := len(c.stack) - 1 - int(label)
		if int64(label) > int64(len(c.stack)-1) {
			return 0, unsupported("metering: branch label %d out of range", label)
		}
		return t, nil
	}
	for cursor, in := range b.Instrs {
		q := in
		if q.Op == OpPhantomUnreachable {
			q.Op = OpUnreachable
		}
		rc, err := rules.InstructionCost(q)
		if err != nil {
			return nil, nil, err
		}
		cost := rc.Base
		if rc.PerUnit != 0 {
			if v == NV17 {
				return nil, nil, unsupported("linear instruction costs are not part of the nv17 metering")
			}
			if rc.PerUnit >= linearLimit {
				return nil, nil, unsupported("cost per unit excedes the 0x80000000 limit")
			}
			if haveConst {
				if lastConst < 0 {
					return nil, nil, unsupported("%s at %d: linearly priced instructions are illegal with negative arguments (i32.const %d)", in.Op, cursor, lastConst)
				}
				cost = rc.Base + uint64(lastConst)*uint64(rc.PerUnit)
			} else {
				if !linearStackTopI32(in.Op) {
					return nil, nil, unsupported("%s: linearly priced instructions with non-i32 stack top aren't supported", in.Op)
				}
				dyn = append(dyn, dynCharge{pos: cursor, perUnit: rc.PerUnit})
				cost = rc.Base + rules.GasChargeCost() + rules.LinearCalcCost()
			}
		}
		switch in.Op {
		case OpBlock:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			c.begin(c.stack[len(c.stack)-1].active.start, false)
		case OpIf:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			c.begin(cursor+1, false)
		case OpLoop:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			c.begin(cursor+1, true)
		case OpEnd:
			err = c.finalizeControl(cursor)
		case OpElse:
			err = c.finalizeMetered(cursor)
		case OpBr, OpBrIf:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			t, err := target(in.X)
			if err != nil {
				return nil, nil, err
			}
			err = c.branch(cursor, []int{t})
			if err != nil {
				return nil, nil, err
			}
		case OpBrTable:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			labels := b.BrTables[in.X]
			ts := make([]int, 0, len(labels)+1)
			if v == NV17 {
				// 0.2.0 chains the default label first.
				t, err := target(uint32(in.Y))
				if err != nil {
					return nil, nil, err
				}
				ts = append(ts, t)
			}
			// 0.4.0 chains `Vec::with_capacity(default)` — an empty vector —
			// so the default label is never a target (fvm-gas.md §3.3).
			for _, l := range labels {
				t, err := target(l)
				if err != nil {
					return nil, nil, err
				}
				ts = append(ts, t)
			}
			err = c.branch(cursor, ts)
		case OpReturn:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			err = c.branch(cursor, []int{0})
		case OpI32Const:
			if err := c.increment(cost); err != nil {
				return nil, nil, err
			}
			lastConst, haveConst = in.I32(), v == NV18
			continue
		default:
			err = c.increment(cost)
		}
		if err != nil {
			return nil, nil, err
		}
		haveConst = false
	}
	sortBlocks(c.finalized)
	return c.finalized, dyn, nil
}

// sortBlocks sorts by start (sort_unstable_by_key in the reference; starts
// are distinct, so stability does not matter). Nested constructs finalize
// inner blocks first, so the list can be far from sorted: O(n log n).
func sortBlocks(bs []meteredBlock) {
	sort.Slice(bs, func(i, j int) bool { return bs[i].start < bs[j].start })
}

// insertCharges is insert_metering_calls: `i64.const cost; call $gas` before
// each block start, then (nv18) the dynamic charge before each linear op.
func insertCharges(b *Body, blocks []meteredBlock, dyn []dynCharge, gasFunc uint32, chargeCost uint64, tmp uint32) ([]Instr, error) {
	out := make([]Instr, 0, len(b.Instrs)+2*len(blocks)+6*len(dyn))
	bi, di := 0, 0
	for pos, in := range b.Instrs {
		if bi < len(blocks) && blocks[bi].start == pos {
			out = append(out, iConst64(int64(chargeCost+blocks[bi].cost)), iIdx(OpCall, gasFunc))
			bi++
		}
		if di < len(dyn) && dyn[di].pos == pos {
			out = append(out,
				iIdx(OpLocalTee, tmp), iIdx(OpLocalGet, tmp), iOp(OpI64ExtendI32U),
				iConst64(int64(dyn[di].perUnit)), iOp(OpI64Mul), iIdx(OpCall, gasFunc))
			di++
		}
		out = append(out, in)
	}
	if bi < len(blocks) {
		return nil, unsupported("metering: metered blocks should be all consumed")
	}
	if di < len(dyn) {
		return nil, unsupported("metering: metered instructions should be all consumed")
	}
	return out, nil
}

// gasFuncBody is the appended charging function: subtract the argument from
// the gas global and trap when the result is negative (signed).
func gasFuncBody(g uint32) *Body {
	return &Body{Instrs: []Instr{
		iIdx(OpGlobalGet, g), iIdx(OpLocalGet, 0), iOp(OpI64Sub), iIdx(OpGlobalSet, g),
		iIdx(OpGlobalGet, g), iConst64(0), iOp(OpI64LtS),
		{Op: OpIf, X: BlockEmpty}, iOp(OpUnreachable), iOp(OpEnd), iOp(OpEnd),
	}}
}

// Gas-counter names of the reference (GAS_COUNTER_NAME).
const (
	GasCounterNameNV17 = "gas_couner" // sic, 0.2.0
	GasCounterNameNV18 = "gas_counter"
	// GasExportName is the export of the GasExport form.
	GasExportName = "gas_counter"
)

// injectGasMetering is gas_metering::inject of the selected version, with
// the gas global in the requested form.
func injectGasMetering(m *Module, bodies []*Body, o *Options) ([]*Body, error) {
	v := o.Version
	gasModule := o.GasModule
	if gasModule == "" {
		gasModule = "gas"
	}
	counterName := GasCounterNameNV17
	if v == NV18 {
		counterName = GasCounterNameNV18
	}

	// Module-level checks of the reference, done on the imports as they are
	// once the gas import is appended (the new import always passes).
	nGasImports := 1
	for _, im := range m.Imports {
		if im.Kind != KindGlobal {
			continue
		}
		if v == NV17 && im.Module != gasModule && im.Name != counterName {
			return nil, unsupported("imported global %q.%q (nv17 accepts only the gas global)", im.Module, im.Name)
		}
		if v == NV18 && im.Module == gasModule && im.Name == counterName {
			nGasImports++
			if !im.Global.Mutable {
				return nil, unsupported("immutable gas global import %q.%q", im.Module, im.Name)
			}
		}
	}
	if nGasImports != 1 {
		return nil, unsupported("expected 1 gas global, the module imports %q.%q itself", gasModule, counterName)
	}
	for _, d := range m.Data {
		if d.Flags != 1 && !isI32ConstExpr(d.Offset) {
			return nil, unsupported("data segment offset is not a bare i32.const")
		}
	}
	if v == NV17 {
		for _, e := range m.Elems {
			if e.Offset != nil && !isI32ConstExpr(e.Offset) {
				return nil, unsupported("element segment offset is not a bare i32.const")
			}
		}
	}

	var gasGlobal uint32
	switch o.Gas {
	case GasImport:
		gasGlobal = m.NumImported(KindGlobal)
		m.Imports = append(m.Imports, Import{Module: gasModule, Name: counterName, Kind: KindGlobal, Global: GlobalType{I64, true}})
		m.present[secImport] = true
		for _, b := range bodies {
			for i := range b.Instrs {
				in := &b.Instrs[i]
				if in.Op != OpGlobalGet && in.Op != OpGlobalSet {
					continue
				}
				// 0.2.0 shifts indices >= the gas global; 0.4.0 shifts all.
				if v == NV18 || in.X >= gasGlobal {
					in.X++
				}
			}
		}
		if v == NV17 {
			// 0.4.0 computes the shifted export indices but never writes the
			// export section back (fvm-gas.md §3.1), so only 0.2.0 shifts.
			for i := range m.Exports {
				if e := &m.Exports[i]; e.Kind == KindGlobal && e.Index >= gasGlobal {
					e.Index++
				}
			}
		}
	case GasExport:
		if n := m.NumImported(KindGlobal); n > 0 {
			return nil, unsupported("module imports %d globals: the FVM can link only its gas global", n)
		}
		for _, e := range m.Exports {
			if e.Name == GasExportName {
				return nil, unsupported("module already exports %q", GasExportName)
			}
		}
		gasGlobal = uint32(len(m.Globals))
		m.Globals = append(m.Globals, Global{GlobalType{I64, true}, []byte{0x42, 0x00, 0x0B}})
		m.Exports = append(m.Exports, Export{Name: GasExportName, Kind: KindGlobal, Index: gasGlobal})
		m.present[secGlobal], m.present[secExport] = true, true
	default:
		return nil, unsupported("unknown gas form %d", o.Gas)
	}

	gasFunc := m.NumImported(KindFunc) + uint32(len(m.Funcs))
	ni := m.NumImported(KindFunc)
	for i, b := range bodies {
		blocks, dyn, err := meteredBlocks(b, o.Rules, v)
		if err != nil {
			return nil, err
		}
		var tmp uint32
		if len(dyn) > 0 {
			sig, _ := m.FuncTypeOf(ni + uint32(i))
			tmp = uint32(uint64(len(sig.Params)) + b.NumLocals())
			b.Locals = append(b.Locals, LocalGroup{1, I32})
		}
		charge := uint64(0)
		if v == NV18 {
			charge = o.Rules.GasChargeCost()
		}
		if b.Instrs, err = insertCharges(b, blocks, dyn, gasFunc, charge, tmp); err != nil {
			return nil, err
		}
	}
	ti := typeIndex(m, FuncType{Params: []ValType{I64}})
	m.Funcs = append(m.Funcs, ti)
	m.Code = append(m.Code, nil)
	m.present[secFunction], m.present[secCode] = true, true
	return append(bodies, gasFuncBody(gasGlobal)), nil
}

// typeIndex finds the first type equal to t or appends it (parity-wasm's
// resolve_type_ref and 0.4.0's add_func_type do the same).
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
