package instrument

import "sort"

// The stack limiter (fvm-gas.md §3.4, §4 "Stack limits"). Every defined
// function gets a stack cost: its declared locals (FVM v2 counts locals,
// FVM v3 counts local declaration groups) plus the highest value-stack
// height a simulation of its body reaches. A mutable i32 global SH holds the
// summed cost of the frames on the stack; every direct call to a function
// with a cost adds the cost before the call (trapping when the sum exceeds
// the limit, 2048) and subtracts it after. Functions entered from outside a
// direct call — exports, table entries, the start function — get a thunk
// that does the same around a direct call.

// activationCost is the simulated height of an empty frame: every call
// costs two stack units before its own values.
const activationCost = 2

// simFrame is one construct in the height simulation.
type simFrame struct {
	start            uint32 // the height when the construct began
	endArity         uint32 // values it leaves at its end
	branchArity      uint32 // values a branch to it carries (0 for a loop)
	unreachableAfter bool   // a branch, return or unreachable happened in it
}

// heightSim simulates the value stack's height over a body, with the
// quirks of both instrumenters (fvm-gas.md §4):
//   - `else` changes nothing: the height is not reset to the if's start and
//     the unreachable mark stays;
//   - taking n values when the height is the innermost construct's start is
//     a no-op if the construct is marked unreachable and an error
//     otherwise; any other take is checked only against going below 0, not
//     against the construct's start, and the function's frame starts at 0
//     while the height starts at 2.
type heightSim struct {
	height uint32
	frames []simFrame
}

func (s *heightSim) frame(label uint32) (*simFrame, error) {
	if uint64(label) >= uint64(len(s.frames)) {
		return nil, unsupported("stack height: label %d is outside the %d open constructs", label, len(s.frames))
	}
	return &s.frames[len(s.frames)-1-int(label)], nil
}

func (s *heightSim) push(n uint32) error {
	if uint64(s.height)+uint64(n) > 0xFFFFFFFF {
		return unsupported("stack height: more than 2^32 values")
	}
	s.height += n
	return nil
}

func (s *heightSim) take(n uint32) error {
	if n == 0 {
		return nil
	}
	f, err := s.frame(0)
	if err != nil {
		return err
	}
	if s.height == f.start {
		if f.unreachableAfter {
			return nil
		}
		return unsupported("stack height: a value is taken that the construct did not push")
	}
	if s.height < n {
		return unsupported("stack height: below zero")
	}
	s.height -= n
	return nil
}

// takePush takes n values then pushes k.
func (s *heightSim) takePush(n, k uint32) error {
	if err := s.take(n); err != nil {
		return err
	}
	return s.push(k)
}

func (s *heightSim) markUnreachable() error {
	f, err := s.frame(0)
	if err != nil {
		return err
	}
	f.unreachableAfter = true
	return nil
}

// maxHeight runs the simulation over a body of signature sig and returns the
// highest height seen before an instruction outside unreachable code.
func maxHeight(m *Module, b *Body, sig FuncType) (uint32, error) {
	results := uint32(len(sig.Results))
	s := &heightSim{height: activationCost, frames: []simFrame{{endArity: results, branchArity: results}}}
	var highest uint32
	for _, in := range b.Instrs {
		f, err := s.frame(0)
		if err != nil {
			return 0, err
		}
		if !f.unreachableAfter {
			highest = max(highest, s.height)
		}
		if err := s.step(m, b, in, results); err != nil {
			return 0, err
		}
	}
	return highest, nil
}

// step applies one instruction's effect on the height.
func (s *heightSim) step(m *Module, b *Body, in Instr, results uint32) error {
	switch in.Op {
	case OpBlock, OpLoop, OpIf:
		if in.Op == OpIf {
			if err := s.take(1); err != nil {
				return err
			}
		}
		end := uint32(1)
		if in.X == BlockEmpty {
			end = 0
		}
		branch := end
		if in.Op == OpLoop {
			branch = 0
		}
		s.frames = append(s.frames, simFrame{start: s.height, endArity: end, branchArity: branch})
		return nil
	case OpElse:
		return nil
	case OpEnd:
		if len(s.frames) == 0 {
			return unsupported("stack height: end with no open construct")
		}
		f := s.frames[len(s.frames)-1]
		s.frames = s.frames[:len(s.frames)-1]
		s.height = f.start
		return s.push(f.endArity)
	case OpUnreachable, OpPhantomUnreachable:
		return s.markUnreachable()
	case OpBr:
		t, err := s.frame(in.X)
		if err != nil {
			return err
		}
		if err := s.take(t.branchArity); err != nil {
			return err
		}
		return s.markUnreachable()
	case OpBrIf:
		t, err := s.frame(in.X)
		if err != nil {
			return err
		}
		a := t.branchArity
		if err := s.take(a); err != nil {
			return err
		}
		return s.takePush(1, a)
	case OpBrTable:
		def, err := s.frame(uint32(in.Y))
		if err != nil {
			return err
		}
		for _, l := range b.BrTables[in.X] {
			t, err := s.frame(l)
			if err != nil {
				return err
			}
			if t.branchArity != def.branchArity {
				return unsupported("stack height: br_table targets carry different numbers of values")
			}
		}
		if err := s.take(def.branchArity); err != nil {
			return err
		}
		return s.markUnreachable()
	case OpReturn:
		if err := s.take(results); err != nil {
			return err
		}
		return s.markUnreachable()
	case OpCall:
		ft, ok := m.FuncTypeOf(in.X)
		if !ok {
			return unsupported("stack height: call to function %d, which does not exist", in.X)
		}
		return s.takePush(uint32(len(ft.Params)), uint32(len(ft.Results)))
	case OpCallIndirect:
		if int(in.X) >= len(m.Types) {
			return unsupported("stack height: call_indirect of type %d, which does not exist", in.X)
		}
		ft := m.Types[in.X]
		// The table slot first, then the arguments: two separate takes.
		if err := s.take(1); err != nil {
			return err
		}
		return s.takePush(uint32(len(ft.Params)), uint32(len(ft.Results)))
	}
	switch in.Op.info().st {
	case stPush1:
		return s.push(1)
	case stPop1:
		return s.take(1)
	case stPop1Push1:
		return s.takePush(1, 1)
	case stPop2:
		return s.take(2)
	case stPop2Push1:
		return s.takePush(2, 1)
	case stPop3:
		return s.take(3)
	case stSelect:
		// Two values, then the condition: two separate takes.
		if err := s.take(2); err != nil {
			return err
		}
		return s.takePush(1, 1)
	}
	return nil
}

// StackCosts returns every function's stack cost, imports (0) first.
// Parameters do not count as locals.
func StackCosts(m *Module, bodies []*Body, v Version) ([]uint32, error) {
	imported := m.NumImported(KindFunc)
	costs := make([]uint32, int(imported)+len(bodies))
	for i, b := range bodies {
		f := imported + uint32(i)
		sig, ok := m.FuncTypeOf(f)
		if !ok {
			return nil, malformed("function %d has no type", f)
		}
		locals := uint64(len(b.Locals))
		if v == FVM2 {
			locals = b.NumLocals()
		}
		h, err := maxHeight(m, b, sig)
		if err != nil {
			return nil, fmtFunc(err, int(f))
		}
		if c := locals + uint64(h); c <= 0xFFFFFFFF {
			costs[f] = uint32(c)
		} else {
			return nil, unsupported("function %d: a stack cost over 2^32", f)
		}
	}
	return costs, nil
}

// guardedCall is a direct call to f framed by the limiter (fvm-gas.md §3.4):
// SH += cost; trap if SH > limit; call f; SH -= cost.
func guardedCall(dst []Instr, f, cost, sh, limit uint32) []Instr {
	return append(dst,
		iIdx(OpGlobalGet, sh), iConst32(int32(cost)), iOp(OpI32Add), iIdx(OpGlobalSet, sh),
		iIdx(OpGlobalGet, sh), iConst32(int32(limit)), iOp(OpI32GtU),
		Instr{Op: OpIf, X: BlockEmpty}, iOp(OpUnreachable), iOp(OpEnd),
		iIdx(OpCall, f),
		iIdx(OpGlobalGet, sh), iConst32(int32(cost)), iOp(OpI32Sub), iIdx(OpGlobalSet, sh),
	)
}

// limitStack is the limiter pass over a decoded module. It returns the
// bodies with the thunks appended.
func limitStack(m *Module, bodies []*Body, v Version, limit uint32) ([]*Body, error) {
	if v == FVM3 && (!m.hasCodeSection || !m.hasFuncSection) {
		// The FVM v3 limiter rewrites the function and code sections and
		// fails when either is absent, even for a module with no function.
		return nil, unsupported("the FVM v3 stack limiter needs a function and a code section")
	}
	// SH goes after the defined globals; its index ignores imported
	// globals in both lines, which is only right without them.
	sh := uint32(len(m.Globals))
	m.Globals = append(m.Globals, Global{GlobalType{I32, true}, []byte{0x41, 0x00, 0x0B}})
	m.present[secGlobal] = true

	costs, err := StackCosts(m, bodies, v) // on the bodies as they were
	if err != nil {
		return nil, err
	}
	guarded := func(f uint32) bool { return uint64(f) < uint64(len(costs)) && costs[f] > 0 }
	for _, b := range bodies {
		n := 0
		for _, in := range b.Instrs {
			if in.Op == OpCall && guarded(in.X) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		out := make([]Instr, 0, len(b.Instrs)+16*n)
		for _, in := range b.Instrs {
			if in.Op == OpCall && guarded(in.X) {
				out = guardedCall(out, in.X, costs[in.X], sh, limit)
			} else {
				out = append(out, in)
			}
		}
		b.Instrs = out
	}
	return addThunks(m, bodies, costs, sh, limit)
}

// addThunks gives every exported function, table entry and start function
// that has a stack cost a thunk: `local.get` of each parameter, the guarded
// call, end. Thunks follow the defined functions in ascending order of the
// function they wrap, each typed with the first type equal to its
// signature, and every reference from an export, element segment or the
// start section is redirected to its thunk.
func addThunks(m *Module, bodies []*Body, costs []uint32, sh, limit uint32) ([]*Body, error) {
	wanted := map[uint32]bool{}
	want := func(f uint32) error {
		if uint64(f) >= uint64(len(costs)) {
			return unsupported("stack limiter: function %d does not exist", f)
		}
		if costs[f] != 0 {
			wanted[f] = true
		}
		return nil
	}
	for _, e := range m.Exports {
		if e.Kind == KindFunc {
			if err := want(e.Index); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range m.Elems {
		for _, f := range e.Funcs {
			if err := want(f); err != nil {
				return nil, err
			}
		}
	}
	if m.HasStart {
		if err := want(m.Start); err != nil {
			return nil, err
		}
	}
	order := make([]uint32, 0, len(wanted))
	for f := range wanted {
		order = append(order, f)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })

	thunkOf := make(map[uint32]uint32, len(order))
	next := m.NumImported(KindFunc) + uint32(len(m.Funcs))
	for _, f := range order {
		sig, ok := m.FuncTypeOf(f)
		if !ok {
			return nil, unsupported("stack limiter: function %d has no type", f)
		}
		ti := typeIndex(m, sig) // present already: f has it
		body := &Body{Instrs: make([]Instr, 0, len(sig.Params)+16)}
		for p := range sig.Params {
			body.Instrs = append(body.Instrs, iIdx(OpLocalGet, uint32(p)))
		}
		body.Instrs = append(guardedCall(body.Instrs, f, costs[f], sh, limit), iOp(OpEnd))
		m.Funcs = append(m.Funcs, ti)
		m.Code = append(m.Code, nil)
		bodies = append(bodies, body)
		thunkOf[f] = next
		next++
	}
	redirect := func(f *uint32) {
		if t, ok := thunkOf[*f]; ok {
			*f = t
		}
	}
	for i := range m.Exports {
		if m.Exports[i].Kind == KindFunc {
			redirect(&m.Exports[i].Index)
		}
	}
	for i := range m.Elems {
		for j := range m.Elems[i].Funcs {
			redirect(&m.Elems[i].Funcs[j])
		}
	}
	if m.HasStart {
		redirect(&m.Start)
	}
	return bodies, nil
}
