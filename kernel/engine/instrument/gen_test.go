package instrument

// A generator of small valid modules for the differential fuzz target. It
// emits stack-typed code from a stream of choices: every expression leaves
// exactly one value of the requested type, every statement leaves the stack
// unchanged, loops are bounded by a counter local, calls go only to
// higher-numbered functions (no recursion). The module has a table whose
// slot k starts with function k; call_indirect only uses slots above the
// caller's index, and the table ops (FVM v3 only) keep "slot k holds a
// function ≥ k", so indirect calls do not recurse either.

type choices struct {
	b []byte
	i int
}

func (c *choices) n(k int) int {
	if k <= 1 {
		return 0
	}
	if c.i >= len(c.b) {
		c.i++
		return 0
	}
	v := int(c.b[c.i])
	c.i++
	return v % k
}

func (c *choices) u32() uint32 {
	var v uint32
	for i := 0; i < 4; i++ {
		v = v<<8 | uint32(c.n(256))
	}
	return v
}

var genTypes = []ValType{I32, I64, F32, F64}

type genLabel struct {
	result []ValType // branch arity types (empty for loops and empty blocks)
	isLoop bool      // never a target of generated branches: they could spin
}

type genFunc struct {
	g       *gen
	self    int
	params  []ValType
	result  []ValType
	locals  []ValType       // declared locals (after params)
	counter map[uint32]bool // loop counters: never written by generated code
	code    []Instr
	tables  [][]uint32
	labels  []genLabel
	fuel    int
}

type gen struct {
	c       *choices
	sigs    []FuncType // signatures of all generated functions
	typeIdx []uint32   // the module's type index of each signature
	funcs   []*genFunc
}

// genTableSlack is how far the table may grow past its initial size.
const genTableSlack = 8

// genModule builds a module of 1–4 functions, all exported as f0…fn, with
// one memory page and one mutable i32 global.
func genModule(data []byte) ([]byte, []FuncType) {
	g := &gen{c: &choices{b: data}}
	nf := 1 + g.c.n(4)
	for i := 0; i < nf; i++ {
		var sig FuncType
		for k := g.c.n(3); k > 0; k-- {
			sig.Params = append(sig.Params, genTypes[g.c.n(4)])
		}
		if g.c.n(4) != 0 {
			sig.Results = []ValType{genTypes[g.c.n(4)]}
		}
		g.sigs = append(g.sigs, sig)
	}
	m := &Module{}
	for _, sig := range g.sigs {
		g.typeIdx = append(g.typeIdx, typeIndex(m, sig))
	}
	m.Mems = [][]byte{{0x00, 0x01}}
	m.Tables = [][]byte{appendLimits([]byte{byte(FuncRef)}, Limits{Min: uint32(nf), Max: uint32(nf + genTableSlack), HasMax: true})}
	m.Elems = []Elem{{Offset: []byte{0x41, 0x00, 0x0B}}}
	for i := 0; i < nf; i++ {
		m.Elems[0].Funcs = append(m.Elems[0].Funcs, uint32(i))
	}
	m.Globals = []Global{{GlobalType{I32, true}, []byte{0x41, 0x07, 0x0B}}}
	m.Exports = append(m.Exports, Export{Name: "memory", Kind: KindMemory})
	for i := 0; i < nf; i++ {
		f := &genFunc{g: g, self: i, params: g.sigs[i].Params, result: g.sigs[i].Results, fuel: 60}
		for k := g.c.n(4); k > 0; k-- {
			f.locals = append(f.locals, genTypes[g.c.n(4)])
		}
		f.labels = []genLabel{{result: f.result}}
		f.stmts(3)
		if len(f.result) == 1 {
			f.expr(f.result[0], 3)
		}
		f.code = append(f.code, iOp(OpEnd))
		g.funcs = append(g.funcs, f)
		m.Funcs = append(m.Funcs, g.typeIdx[i])
		var locals []LocalGroup
		for _, t := range f.locals {
			if n := len(locals); n > 0 && locals[n-1].Type == t && g.c.n(2) == 0 {
				locals[n-1].Count++
			} else {
				locals = append(locals, LocalGroup{1, t})
			}
		}
		m.Code = append(m.Code, EncodeBody(nil, &Body{Locals: locals, Instrs: f.code, BrTables: f.tables}))
		m.Exports = append(m.Exports, Export{Name: "f" + string(rune('0'+i)), Kind: KindFunc, Index: uint32(i)})
	}
	m.present[secFunction], m.present[secCode] = true, true
	return m.Encode(), g.sigs
}

func (f *genFunc) emit(in ...Instr) { f.code = append(f.code, in...) }

func (f *genFunc) localOf(t ValType) (uint32, bool) { return f.pickLocal(t, false) }

func (f *genFunc) pickLocal(t ValType, writable bool) (uint32, bool) {
	var cand []uint32
	for i, p := range f.params {
		if p == t {
			cand = append(cand, uint32(i))
		}
	}
	for i, l := range f.locals {
		if l == t && !(writable && f.counter[uint32(len(f.params)+i)]) {
			cand = append(cand, uint32(len(f.params)+i))
		}
	}
	if len(cand) == 0 {
		return 0, false
	}
	return cand[f.g.c.n(len(cand))], true
}

func (f *genFunc) newLocal(t ValType) uint32 {
	f.locals = append(f.locals, t)
	return uint32(len(f.params) + len(f.locals) - 1)
}

func (f *genFunc) constOf(t ValType) Instr {
	c := f.g.c
	switch t {
	case I32:
		return iConst32(int32(c.u32()) >> uint(c.n(32)))
	case I64:
		return iConst64(int64(uint64(c.u32())<<32|uint64(c.u32())) >> uint(c.n(64)))
	case F32:
		special := []uint32{0x7FC00000, 0x7FA00001, 0xFFC00001, 0x7F800000, 0, 0x80000000, 0x3F800000}
		if c.n(3) == 0 {
			return iF32Const(special[c.n(len(special))])
		}
		return iF32Const(c.u32())
	default:
		special := []uint64{0x7FF8000000000000, 0x7FF4000000000001, 0xFFF8000000000001, 0x7FF0000000000000, 0, 1 << 63, 0x3FF0000000000000}
		if c.n(3) == 0 {
			return iF64Const(special[c.n(len(special))])
		}
		return iF64Const(uint64(c.u32())<<32 | uint64(c.u32()))
	}
}

// Operators by (result, operand) type.
var (
	binOps = map[ValType][]Op{
		I32: {0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78},
		I64: {0x7C, 0x7D, 0x7E, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A},
		F32: {0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98},
		F64: {0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6},
	}
	unOps = map[ValType][]Op{
		I32: {0x67, 0x68, 0x69},
		I64: {0x79, 0x7A, 0x7B},
		F32: {0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91},
		F64: {0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F},
	}
	// conversions: result type, operand type, op
	convOps = []struct {
		res, arg ValType
		op       Op
	}{
		{I32, I64, 0xA7}, {I32, F32, 0xA8}, {I32, F32, 0xA9}, {I32, F64, 0xAA}, {I32, F64, 0xAB},
		{I64, I32, 0xAC}, {I64, I32, 0xAD}, {I64, F32, 0xAE}, {I64, F32, 0xAF}, {I64, F64, 0xB0}, {I64, F64, 0xB1},
		{F32, I32, 0xB2}, {F32, I32, 0xB3}, {F32, I64, 0xB4}, {F32, I64, 0xB5}, {F32, F64, 0xB6},
		{F64, I32, 0xB7}, {F64, I32, 0xB8}, {F64, I64, 0xB9}, {F64, I64, 0xBA}, {F64, F32, 0xBB},
		{I32, F32, 0xBC}, {I64, F64, 0xBD}, {F32, I32, 0xBE}, {F64, I64, 0xBF},
		{I32, I32, 0xC0}, {I32, I32, 0xC1}, {I64, I64, 0xC2}, {I64, I64, 0xC3}, {I64, I64, 0xC4},
		{I32, F32, 0xFC00}, {I32, F32, 0xFC01}, {I32, F64, 0xFC02}, {I32, F64, 0xFC03},
		{I64, F32, 0xFC04}, {I64, F32, 0xFC05}, {I64, F64, 0xFC06}, {I64, F64, 0xFC07},
	}
	cmpOps = map[ValType][]Op{
		I32: {0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F},
		I64: {0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A},
		F32: {0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60},
		F64: {0x61, 0x62, 0x63, 0x64, 0x65, 0x66},
	}
	loadOps = map[ValType][]Op{
		I32: {0x28, 0x2C, 0x2D, 0x2E, 0x2F},
		I64: {0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35},
		F32: {0x2A}, F64: {0x2B},
	}
	storeOps = map[ValType][]Op{
		I32: {0x36, 0x3A, 0x3B}, I64: {0x37, 0x3C, 0x3D, 0x3E}, F32: {0x38}, F64: {0x39},
	}
)

// addr emits an i32 address that mostly stays inside the first page.
func (f *genFunc) addr(d int) {
	f.expr(I32, d)
	f.emit(iConst32(0xFFF), iOp(0x71)) // i32.and
}

// expr emits code leaving one value of type t.
func (f *genFunc) expr(t ValType, d int) {
	c := f.g.c
	f.fuel--
	if d <= 0 || f.fuel <= 0 {
		if l, ok := f.localOf(t); ok && c.n(2) == 0 {
			f.emit(iIdx(OpLocalGet, l))
			return
		}
		f.emit(f.constOf(t))
		return
	}
	switch c.n(14) {
	case 0:
		f.emit(f.constOf(t))
	case 1:
		if l, ok := f.localOf(t); ok {
			f.emit(iIdx(OpLocalGet, l))
		} else {
			f.emit(f.constOf(t))
		}
	case 2, 3:
		ops := binOps[t]
		f.expr(t, d-1)
		f.expr(t, d-1)
		f.emit(iOp(ops[c.n(len(ops))]))
	case 4:
		ops := unOps[t]
		f.expr(t, d-1)
		f.emit(iOp(ops[c.n(len(ops))]))
	case 5:
		var cands []int
		for i, cv := range convOps {
			if cv.res == t {
				cands = append(cands, i)
			}
		}
		cv := convOps[cands[c.n(len(cands))]]
		f.expr(cv.arg, d-1)
		f.emit(iOp(cv.op))
	case 6:
		if t != I32 {
			f.expr(t, d-1)
			return
		}
		at := genTypes[c.n(4)]
		f.expr(at, d-1)
		f.expr(at, d-1)
		f.emit(iOp(cmpOps[at][c.n(len(cmpOps[at]))]))
	case 7: // if/else with result
		f.expr(I32, d-1)
		f.emit(Instr{Op: OpIf, X: uint32(t)})
		f.labels = append(f.labels, genLabel{result: []ValType{t}})
		f.stmts(d - 1)
		f.expr(t, d-1)
		f.emit(iOp(OpElse))
		f.stmts(d - 1)
		f.expr(t, d-1)
		f.labels = f.labels[:len(f.labels)-1]
		f.emit(iOp(OpEnd))
	case 8: // block with result and a conditional early exit carrying a value
		f.emit(Instr{Op: OpBlock, X: uint32(t)})
		f.labels = append(f.labels, genLabel{result: []ValType{t}})
		f.stmts(d - 1)
		if c.n(2) == 0 {
			f.expr(t, d-1)
			f.expr(I32, d-1)
			f.emit(iIdx(OpBrIf, 0))
			f.emit(iOp(OpDrop))
		}
		f.expr(t, d-1)
		f.labels = f.labels[:len(f.labels)-1]
		f.emit(iOp(OpEnd))
	case 9:
		f.expr(t, d-1)
		f.expr(t, d-1)
		f.expr(I32, d-1)
		f.emit(iOp(OpSelect))
	case 10:
		ops := loadOps[t]
		f.addr(d - 1)
		o := ops[c.n(len(ops))]
		f.emit(Instr{Op: o, X: 0, Y: uint64(c.n(16))})
	case 11: // call a later function (no recursion), directly or through the table
		if c.n(3) == 0 && f.callIndirect(t, d) {
			return
		}
		if f.self+1 < len(f.g.sigs) {
			callee := f.self + 1 + c.n(len(f.g.sigs)-f.self-1)
			sig := f.g.sigs[callee]
			if len(sig.Results) == 1 && sig.Results[0] == t {
				for _, p := range sig.Params {
					f.expr(p, d-1)
				}
				f.emit(iIdx(OpCall, uint32(callee)))
				return
			}
		}
		f.emit(f.constOf(t))
	case 12:
		if t == I32 {
			switch c.n(5) {
			case 3:
				f.emit(Instr{Op: OpTableSize})
				return
			case 4: // table.grow by 0–2 copies of a slot: the old size or −1
				f.slotAtOrAbove(0)
				f.emit(Instr{Op: OpTableGet}, iConst32(int32(c.n(3))), Instr{Op: OpTableGrow})
				return
			}
			switch c.n(3) {
			case 0:
				f.emit(iOp(OpMemorySize))
			case 1:
				f.expr(I32, d-1)
				f.emit(iConst32(3), iOp(0x71), iOp(OpMemoryGrow))
			default:
				f.emit(iIdx(OpGlobalGet, 0))
			}
			return
		}
		f.expr(t, d-1)
	default:
		l := f.newLocal(t)
		f.expr(t, d-1)
		f.emit(iIdx(OpLocalTee, l))
	}
}

// stmts emits 0–3 statements.
func (f *genFunc) stmts(d int) {
	c := f.g.c
	for k := c.n(4); k > 0 && f.fuel > 0; k-- {
		f.stmt(d)
	}
}

func (f *genFunc) stmt(d int) {
	c := f.g.c
	f.fuel--
	if d <= 0 || f.fuel <= 0 {
		f.emit(iOp(OpNop))
		return
	}
	switch c.n(13) {
	case 0:
		t := genTypes[c.n(4)]
		f.expr(t, d-1)
		f.emit(iOp(OpDrop))
	case 1:
		t := genTypes[c.n(4)]
		if l, ok := f.pickLocal(t, true); ok {
			f.expr(t, d-1)
			f.emit(iIdx(OpLocalSet, l))
		}
	case 2:
		t := genTypes[c.n(4)]
		ops := storeOps[t]
		f.addr(d - 1)
		f.expr(t, d-1)
		f.emit(Instr{Op: ops[c.n(len(ops))], Y: uint64(c.n(16))})
	case 3: // block with conditional branch out to some enclosing empty label
		f.emit(Instr{Op: OpBlock, X: BlockEmpty})
		f.labels = append(f.labels, genLabel{})
		f.stmts(d - 1)
		f.expr(I32, d-1)
		f.emit(iIdx(OpBrIf, f.emptyLabel()))
		f.stmts(d - 1)
		f.labels = f.labels[:len(f.labels)-1]
		f.emit(iOp(OpEnd))
	case 4: // bounded loop
		ctr := f.newLocal(I32)
		if f.counter == nil {
			f.counter = map[uint32]bool{}
		}
		f.counter[ctr] = true
		f.emit(iConst32(int32(1+c.n(4))), iIdx(OpLocalSet, ctr))
		f.emit(Instr{Op: OpLoop, X: BlockEmpty})
		f.labels = append(f.labels, genLabel{isLoop: true})
		f.stmts(d - 1)
		f.emit(iIdx(OpLocalGet, ctr), iConst32(1), iOp(OpI32Sub), iIdx(OpLocalTee, ctr), iIdx(OpBrIf, 0))
		f.labels = f.labels[:len(f.labels)-1]
		f.emit(iOp(OpEnd))
	case 5: // if without result
		f.expr(I32, d-1)
		f.emit(Instr{Op: OpIf, X: BlockEmpty})
		f.labels = append(f.labels, genLabel{})
		f.stmts(d - 1)
		if c.n(2) == 0 {
			f.emit(iOp(OpElse))
			f.stmts(d - 1)
		}
		f.labels = f.labels[:len(f.labels)-1]
		f.emit(iOp(OpEnd))
	case 6: // br_table over nested empty blocks
		n := 1 + c.n(3)
		for i := 0; i < n; i++ {
			f.emit(Instr{Op: OpBlock, X: BlockEmpty})
			f.labels = append(f.labels, genLabel{})
		}
		var tbl []uint32
		for i := c.n(4); i >= 0; i-- {
			tbl = append(tbl, uint32(c.n(n)))
		}
		f.expr(I32, d-1)
		f.emit(Instr{Op: OpBrTable, X: uint32(len(f.tables)), Y: uint64(c.n(n))})
		f.tables = append(f.tables, tbl)
		for i := 0; i < n; i++ {
			f.labels = f.labels[:len(f.labels)-1]
			f.emit(iOp(OpEnd))
			f.stmts(d - 1)
		}
	case 7: // bulk memory with a static or dynamic length
		o := []Op{OpMemoryFill, OpMemoryCopy}[c.n(2)]
		f.addr(d - 1)
		if o == OpMemoryFill {
			f.expr(I32, d-1)
		} else {
			f.addr(d - 1)
		}
		if c.n(2) == 0 {
			f.emit(iConst32(int32(c.n(300))))
		} else {
			f.expr(I32, d-1)
			f.emit(iConst32(0x3FF), iOp(0x71))
		}
		f.emit(iOp(o))
	case 8:
		f.expr(I32, d-1)
		f.emit(iIdx(OpGlobalSet, 0))
	case 9: // early return
		if c.n(3) == 0 {
			f.emit(Instr{Op: OpBlock, X: BlockEmpty})
			f.labels = append(f.labels, genLabel{})
			f.expr(I32, d-1)
			f.emit(Instr{Op: OpIf, X: BlockEmpty})
			if len(f.result) == 1 {
				f.expr(f.result[0], d-1)
			}
			f.emit(iOp(OpReturn))
			f.emit(iOp(OpEnd))
			f.labels = f.labels[:len(f.labels)-1]
			f.emit(iOp(OpEnd))
		}
	case 11: // table.set or table.fill: copy a slot ≥ the ones written
		k := f.g.c.n(len(f.g.sigs))
		if c.n(2) == 0 {
			f.emit(iConst32(int32(k)))
			f.slotAtOrAbove(k)
			f.emit(Instr{Op: OpTableGet}, Instr{Op: OpTableSet})
			return
		}
		n := c.n(len(f.g.sigs) - k + 1) // slots k … k+n−1
		f.emit(iConst32(int32(k)))
		f.slotAtOrAbove(k + max(n-1, 0))
		f.emit(Instr{Op: OpTableGet}, iConst32(int32(n)), Instr{Op: OpTableFill})
	case 10: // call for effect
		if f.self+1 < len(f.g.sigs) {
			callee := f.self + 1 + c.n(len(f.g.sigs)-f.self-1)
			sig := f.g.sigs[callee]
			for _, p := range sig.Params {
				f.expr(p, d-1)
			}
			f.emit(iIdx(OpCall, uint32(callee)))
			if len(sig.Results) == 1 {
				f.emit(iOp(OpDrop))
			}
		}
	default:
		f.emit(iOp(OpNop))
	}
}

// emptyLabel picks an enclosing label with no branch values.
func (f *genFunc) emptyLabel() uint32 {
	var cand []uint32
	for i := len(f.labels) - 1; i >= 0; i-- {
		if len(f.labels[i].result) == 0 && !f.labels[i].isLoop {
			cand = append(cand, uint32(len(f.labels)-1-i))
		}
	}
	return cand[f.g.c.n(len(cand))]
}

// slotAtOrAbove pushes the index of a table slot ≥ k among the initial
// slots (k itself when k is the last one).
func (f *genFunc) slotAtOrAbove(k int) {
	n := len(f.g.sigs)
	k = min(k, n-1)
	f.emit(iConst32(int32(k + f.g.c.n(n-k))))
}

// callIndirect emits a call through a table slot above the caller, typed
// with the signature of the function the slot started with, if that
// function returns t. The slot may hold another function by then: the
// call then traps on the signature, in both modules alike.
func (f *genFunc) callIndirect(t ValType, d int) bool {
	if f.self+1 >= len(f.g.sigs) {
		return false
	}
	slot := f.self + 1 + f.g.c.n(len(f.g.sigs)-f.self-1)
	sig := f.g.sigs[slot]
	if len(sig.Results) != 1 || sig.Results[0] != t {
		return false
	}
	for _, p := range sig.Params {
		f.expr(p, d-1)
	}
	f.emit(iConst32(int32(slot)), Instr{Op: OpCallIndirect, X: f.g.typeIdx[slot]})
	return true
}
