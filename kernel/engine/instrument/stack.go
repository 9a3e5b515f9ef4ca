package instrument

import (
	"errors"
	"sort"
)

// activationFrameCost is the stack cost every call pays before its locals
// and values (ACTIVATION_FRAME_COST in src/stack_limiter/max_height.rs).
const activationFrameCost = 2

type heightFrame struct {
	polymorphic bool
	endArity    uint32
	branchArity uint32
	startHeight uint32
}

// heightSim is the value-stack simulation of max_height.rs, identical at
// 831ea78 and 87fa4ce, quirks included (fvm-gas.md §4):
//   - `else` changes nothing: the height is not reset and the polymorphic
//     flag stays;
//   - pop(n) at the frame's start height is a no-op when the frame is
//     polymorphic and an error otherwise; below that height it is unchecked
//     except for underflowing 0. The function frame starts at height 0 while
//     the simulated height starts at 2.
type heightSim struct {
	height uint32
	frames []heightFrame
}

var errHeight = errors.New("stack height")

func (s *heightSim) top(rel uint32) (*heightFrame, error) {
	if len(s.frames) == 0 {
		return nil, unsupported("%v: control stack is empty", errHeight)
	}
	if uint64(rel) >= uint64(len(s.frames)) {
		return nil, unsupported("%v: control stack out-of-bounds", errHeight)
	}
	return &s.frames[len(s.frames)-1-int(rel)], nil
}

func (s *heightSim) push(n uint32) error {
	h := uint64(s.height) + uint64(n)
	if h > 0xFFFFFFFF {
		return unsupported("%v: stack overflow", errHeight)
	}
	s.height = uint32(h)
	return nil
}

func (s *heightSim) pop(n uint32) error {
	if n == 0 {
		return nil
	}
	f, err := s.top(0)
	if err != nil {
		return err
	}
	if s.height == f.startHeight {
		if f.polymorphic {
			return nil
		}
		return unsupported("%v: trying to pop more values than pushed", errHeight)
	}
	if s.height < n {
		return unsupported("%v: stack underflow", errHeight)
	}
	s.height -= n
	return nil
}

func (s *heightSim) markUnreachable() error {
	f, err := s.top(0)
	if err != nil {
		return err
	}
	f.polymorphic = true
	return nil
}

// maxHeight computes the maximal simulated value-stack height of a body
// (starting at the activation-frame cost 2).
func maxHeight(m *Module, b *Body, sig FuncType) (uint32, error) {
	s := &heightSim{height: activationFrameCost}
	var max uint32
	funcArity := uint32(len(sig.Results))
	s.frames = append(s.frames, heightFrame{endArity: funcArity, branchArity: funcArity})
	for _, in := range b.Instrs {
		f, err := s.top(0)
		if err != nil {
			return 0, err
		}
		if s.height > max && !f.polymorphic {
			max = s.height
		}
		switch in.Op {
		case OpBlock, OpLoop, OpIf:
			end := uint32(1)
			if in.X == BlockEmpty {
				end = 0
			}
			br := end
			if in.Op == OpLoop {
				br = 0
			}
			if in.Op == OpIf {
				if err := s.pop(1); err != nil {
					return 0, err
				}
			}
			s.frames = append(s.frames, heightFrame{endArity: end, branchArity: br, startHeight: s.height})
		case OpElse:
		case OpEnd:
			if len(s.frames) == 0 {
				return 0, unsupported("%v: stack must be non-empty", errHeight)
			}
			f := s.frames[len(s.frames)-1]
			s.frames = s.frames[:len(s.frames)-1]
			s.height = f.startHeight
			if err := s.push(f.endArity); err != nil {
				return 0, err
			}
		case OpUnreachable, OpPhantomUnreachable:
			err = s.markUnreachable()
		case OpBr:
			var t *heightFrame
			if t, err = s.top(in.X); err == nil {
				if err = s.pop(t.branchArity); err == nil {
					err = s.markUnreachable()
				}
			}
		case OpBrIf:
			var t *heightFrame
			if t, err = s.top(in.X); err == nil {
				a := t.branchArity
				if err = s.pop(a); err == nil {
					if err = s.pop(1); err == nil {
						err = s.push(a)
					}
				}
			}
		case OpBrTable:
			d, err := s.top(uint32(in.Y))
			if err != nil {
				return 0, err
			}
			arity := d.branchArity
			for _, l := range b.BrTables[in.X] {
				t, err := s.top(l)
				if err != nil {
					return 0, err
				}
				if t.branchArity != arity {
					return 0, unsupported("%v: arity of all jump-targets must be equal", errHeight)
				}
			}
			if err := s.pop(arity); err != nil {
				return 0, err
			}
			err = s.markUnreachable()
		case OpReturn:
			if err = s.pop(funcArity); err == nil {
				err = s.markUnreachable()
			}
		case OpCall:
			ft, ok := m.FuncTypeOf(in.X)
			if !ok {
				return 0, unsupported("call to unknown function %d", in.X)
			}
			if err = s.pop(uint32(len(ft.Params))); err == nil {
				err = s.push(uint32(len(ft.Results)))
			}
		case OpCallIndirect:
			if int(in.X) >= len(m.Types) {
				return 0, unsupported("call_indirect: type %d not found", in.X)
			}
			ft := m.Types[in.X]
			if err = s.pop(1); err == nil {
				if err = s.pop(uint32(len(ft.Params))); err == nil {
					err = s.push(uint32(len(ft.Results)))
				}
			}
		default:
			switch in.Op.info().st {
			case stNone:
			case stPush1:
				err = s.push(1)
			case stPop1:
				err = s.pop(1)
			case stPop1Push1:
				if err = s.pop(1); err == nil {
					err = s.push(1)
				}
			case stPop2:
				err = s.pop(2)
			case stPop2Push1:
				if err = s.pop(2); err == nil {
					err = s.push(1)
				}
			case stPop3:
				err = s.pop(3)
			case stSelect:
				if err = s.pop(2); err == nil {
					if err = s.pop(1); err == nil {
						err = s.push(1)
					}
				}
			}
		}
		if err != nil {
			return 0, err
		}
	}
	return max, nil
}

// StackCosts returns the stack cost of every function index (imports 0):
// declared locals plus max height. nv17 (0.2.0) counts the locals, nv18
// (0.4.0) counts the local declaration groups (fvm-gas.md §4).
func StackCosts(m *Module, bodies []*Body, v Version) ([]uint32, error) {
	ni := m.NumImported(KindFunc)
	costs := make([]uint32, int(ni)+len(bodies))
	for i, b := range bodies {
		sig, ok := m.FuncTypeOf(ni + uint32(i))
		if !ok {
			return nil, malformed("function %d has no type", ni+uint32(i))
		}
		var locals uint64
		if v == NV17 {
			locals = b.NumLocals()
		} else {
			locals = uint64(len(b.Locals))
		}
		if locals > 0xFFFFFFFF {
			return nil, unsupported("overflow in local count")
		}
		h, err := maxHeight(m, b, sig)
		if err != nil {
			return nil, err
		}
		c := locals + uint64(h)
		if c > 0xFFFFFFFF {
			return nil, unsupported("overflow in adding locals_count and max_stack_height")
		}
		costs[int(ni)+i] = uint32(c)
	}
	return costs, nil
}

// callSequence is the limiter's replacement of `call f` (instrument_call!).
func callSequence(dst []Instr, f, cost, sh, limit uint32) []Instr {
	return append(dst,
		iIdx(OpGlobalGet, sh), iConst32(int32(cost)), iOp(OpI32Add), iIdx(OpGlobalSet, sh),
		iIdx(OpGlobalGet, sh), iConst32(int32(limit)), iOp(OpI32GtU),
		Instr{Op: OpIf, X: BlockEmpty}, iOp(OpUnreachable), iOp(OpEnd),
		iIdx(OpCall, f),
		iIdx(OpGlobalGet, sh), iConst32(int32(cost)), iOp(OpI32Sub), iIdx(OpGlobalSet, sh),
	)
}

// injectStackLimiter is stack_limiter::inject of the selected version. It
// adds the stack-height global, wraps calls, and appends thunks.
func injectStackLimiter(m *Module, bodies []*Body, v Version, limit uint32) ([]*Body, error) {
	if v == NV18 && !m.hasCodeSection {
		return nil, unsupported("module without code section: the nv18 limiter requires one (thunk.rs @87fa4ce: \"no function body\")")
	}
	if v == NV18 && !m.hasFuncSection {
		return nil, unsupported("module without function section: the nv18 limiter requires one (thunk.rs @87fa4ce)")
	}
	// The global's index is the number of *defined* globals before it: both
	// versions ignore imported globals here (generate_stack_height_global).
	sh := uint32(len(m.Globals))
	m.Globals = append(m.Globals, Global{GlobalType{I32, true}, []byte{0x41, 0x00, 0x0B}})
	m.present[secGlobal] = true

	costs, err := StackCosts(m, bodies, v)
	if err != nil {
		return nil, err
	}
	for _, b := range bodies {
		n := 0
		for _, in := range b.Instrs {
			if in.Op == OpCall && uint64(in.X) < uint64(len(costs)) && costs[in.X] > 0 {
				n++
			}
		}
		if n == 0 {
			continue
		}
		out := make([]Instr, 0, len(b.Instrs)+16*n)
		for _, in := range b.Instrs {
			if in.Op == OpCall && uint64(in.X) < uint64(len(costs)) && costs[in.X] > 0 {
				out = callSequence(out, in.X, costs[in.X], sh, limit)
				continue
			}
			out = append(out, in)
		}
		b.Instrs = out
	}

	// Thunks: exported functions, element members, start; ascending index
	// (thunk.rs uses a BTreeMap in both versions).
	need := map[uint32]bool{}
	add := func(f uint32) error {
		if uint64(f) >= uint64(len(costs)) {
			return unsupported("function index %d isn't found", f)
		}
		if costs[f] != 0 {
			need[f] = true
		}
		return nil
	}
	for _, e := range m.Exports {
		if e.Kind == KindFunc {
			if err := add(e.Index); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range m.Elems {
		for _, f := range e.Funcs {
			if err := add(f); err != nil {
				return nil, err
			}
		}
	}
	if m.HasStart {
		if err := add(m.Start); err != nil {
			return nil, err
		}
	}
	order := make([]uint32, 0, len(need))
	for f := range need {
		order = append(order, f)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	// First type index of each signature (both versions reuse the first
	// equal type: parity-wasm's resolve_type_ref, 0.4.0's resolve_type_idx).
	firstType := make(map[string]int, len(m.Types))
	for i := len(m.Types) - 1; i >= 0; i-- {
		firstType[sigKey(m.Types[i])] = i
	}
	thunkOf := make(map[uint32]uint32, len(order))
	next := m.NumImported(KindFunc) + uint32(len(m.Funcs))
	for _, f := range order {
		sig, ok := m.FuncTypeOf(f)
		if !ok {
			return nil, unsupported("thunk for function %d: signature not found", f)
		}
		ti, ok := firstType[sigKey(sig)]
		if !ok {
			return nil, unsupported("thunk for function %d: signature not found", f)
		}
		body := &Body{Instrs: make([]Instr, 0, len(sig.Params)+16)}
		for i := range sig.Params {
			body.Instrs = append(body.Instrs, iIdx(OpLocalGet, uint32(i)))
		}
		body.Instrs = callSequence(body.Instrs, f, costs[f], sh, limit)
		body.Instrs = append(body.Instrs, iOp(OpEnd))
		m.Funcs = append(m.Funcs, uint32(ti))
		m.Code = append(m.Code, nil)
		bodies = append(bodies, body)
		thunkOf[f] = next
		next++
	}
	fix := func(f *uint32) {
		if t, ok := thunkOf[*f]; ok {
			*f = t
		}
	}
	for i := range m.Exports {
		if m.Exports[i].Kind == KindFunc {
			fix(&m.Exports[i].Index)
		}
	}
	for i := range m.Elems {
		for j := range m.Elems[i].Funcs {
			fix(&m.Elems[i].Funcs[j])
		}
	}
	if m.HasStart {
		fix(&m.Start)
	}
	return bodies, nil
}

func sigKey(t FuncType) string {
	return string(vt(t.Params)) + "|" + string(vt(t.Results))
}
