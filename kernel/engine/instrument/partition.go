package instrument

import "sort"

// The metering cuts each function body into spans: runs of instructions
// that execute all or not at all, unless one of them traps. Each span's
// total price is charged once, before its first instruction runs
// (fvm-gas.md §3.3). A span does not end at a call or an `unreachable`, and
// the spans of a construct that cannot jump past its own end merge into the
// span around it; both lines partition the same way except at br_table.
//
// The partition is computed in one pass over the instructions with a stack
// of the constructs that are open at each point (the function body, then
// every block, loop and if not yet ended).

// span is a run of instructions charged as one: it begins at instruction
// start and costs cost milligas.
type span struct {
	start int
	cost  uint64
}

// construct is one open construct during the partition.
type construct struct {
	// open is the span the next instructions are added to.
	open span
	// exit is the depth of the outermost construct whose end code inside
	// this one may jump forward to (0 is the function body). It starts at
	// the construct's own depth: nothing jumps out yet.
	exit int
	loop bool
}

// partition is the state of the pass: the open constructs, innermost last,
// and the spans already complete.
type partition struct {
	open []construct
	done []span
}

func (p *partition) top() *construct { return &p.open[len(p.open)-1] }

// enter opens a construct whose first span begins at start. A block's first
// span begins where the enclosing span does, which marks it for merging:
// nothing between the block's start and its first jump is separated from
// the code before it.
func (p *partition) enter(start int, loop bool) {
	p.open = append(p.open, construct{open: span{start: start}, exit: len(p.open), loop: loop})
}

// add puts an instruction's price into the open span.
func (p *partition) add(cost uint64) error {
	if len(p.open) == 0 {
		return unsupported("metering: instruction after the end of the function body")
	}
	s := &p.top().open
	if s.cost+cost < s.cost {
		return unsupported("metering: a span costs more than 2^64 milligas")
	}
	s.cost += cost
	return nil
}

// cut ends the open span of the innermost construct before instruction
// pos+1. A span that began with the enclosing one (a block's first span)
// merges into the enclosing span instead of being charged on its own (the
// sum is not checked for overflow, as in the reference); an empty span is
// dropped.
func (p *partition) cut(pos int) error {
	if len(p.open) == 0 {
		return unsupported("metering: instruction after the end of the function body")
	}
	c := p.top()
	ended := c.open
	c.open = span{start: pos + 1}
	if n := len(p.open); n > 1 {
		if outer := &p.open[n-2].open; outer.start == ended.start {
			outer.cost += ended.cost
			return nil
		}
	}
	if ended.cost > 0 {
		p.done = append(p.done, ended)
	}
	return nil
}

// jump handles a branch at pos to the constructs at the given depths: the
// span ends here, and a forward target (any construct but a loop, whose
// label is its start) may be the outermost one code here jumps out to.
func (p *partition) jump(pos int, depths []int) error {
	if err := p.cut(pos); err != nil {
		return err
	}
	c := p.top()
	for _, d := range depths {
		if d < 0 || d >= len(p.open) {
			return unsupported("metering: branch to a label that is not open")
		}
		if !p.open[d].loop {
			c.exit = min(c.exit, d)
		}
	}
	return nil
}

// leave handles the `end` at pos of the innermost construct. Its span ends;
// the enclosing construct inherits how far out it may jump; and if code
// inside could jump past the construct's end, the enclosing span ends here
// too, since what follows may be reached without what preceded.
func (p *partition) leave(pos int) error {
	if err := p.cut(pos); err != nil {
		return err
	}
	c := p.open[len(p.open)-1]
	p.open = p.open[:len(p.open)-1]
	depth := len(p.open)
	if depth == 0 {
		return nil
	}
	outer := p.top()
	outer.exit = min(outer.exit, c.exit)
	if c.exit < depth {
		return p.cut(pos)
	}
	return nil
}

// depthOf is the depth of the construct a branch label names.
func (p *partition) depthOf(label uint32) (int, error) {
	if uint64(label) >= uint64(len(p.open)) {
		return 0, unsupported("metering: branch label %d is deeper than the %d open constructs", label, len(p.open))
	}
	return len(p.open) - 1 - int(label), nil
}

// runtimeCharge is a linearly priced instruction whose unit count is only
// known when it runs (FVM v3): the charge of perUnit times the count is
// inserted right before instruction pos.
type runtimeCharge struct {
	pos     int
	perUnit uint32
}

// unitsOnStackTop lists the linearly priced instructions whose unit count is
// the i32 on top of the stack, the only ones that can be charged at run
// time.
func unitsOnStackTop(op Op) bool {
	switch op {
	case OpMemoryGrow, OpMemoryInit, OpMemoryCopy, OpMemoryFill, OpTableInit, OpTableCopy, OpTableGrow, OpTableFill:
		return true
	}
	return false
}

// spansOf partitions a body and prices it: the spans to charge, in order,
// and the runtime charges of FVM v3's linearly priced instructions
// (fvm-gas.md §3.2). A linearly priced instruction right after
// `i32.const k` is priced statically, base + k × per unit (k < 0 refuses
// the module); otherwise its base goes into its span and the rest is
// charged when it runs. br_table jumps to its table's labels and, in FVM v2
// only, to its default label: the FVM v3 instrumenter leaves the default
// out (fvm-gas.md §3.3).
func spansOf(b *Body, prices Prices, v Version) ([]span, []runtimeCharge, error) {
	p := &partition{}
	p.enter(0, false)
	var runtime []runtimeCharge
	var lastConst int32
	afterConst := false
	for pos, in := range b.Instrs {
		seen := in
		if seen.Op == OpPhantomUnreachable {
			seen.Op = OpUnreachable
		}
		pr, err := prices.Price(seen)
		if err != nil {
			return nil, nil, err
		}
		cost := pr.Base
		if pr.PerUnit != 0 {
			switch {
			case v == FVM2:
				return nil, nil, unsupported("%s: the FVM v2 metering has no linear prices", in.Op)
			case pr.PerUnit >= maxPerUnit:
				return nil, nil, unsupported("%s: a price of %d per unit is over the %d limit", in.Op, pr.PerUnit, uint64(maxPerUnit))
			case afterConst && lastConst < 0:
				return nil, nil, unsupported("%s at %d: a linearly priced instruction after a negative i32.const (%d)", in.Op, pos, lastConst)
			case afterConst:
				cost = pr.Base + uint64(lastConst)*uint64(pr.PerUnit)
			case !unitsOnStackTop(in.Op):
				return nil, nil, unsupported("%s: a linear price needs an i32 unit count on the stack", in.Op)
			default:
				runtime = append(runtime, runtimeCharge{pos: pos, perUnit: pr.PerUnit})
				cost = pr.Base + prices.ChargeCost() + prices.DynamicChargeCost()
			}
		}
		afterConst = false
		switch in.Op {
		case OpBlock:
			err = p.add(cost)
			if err == nil {
				p.enter(p.top().open.start, false)
			}
		case OpIf:
			if err = p.add(cost); err == nil {
				p.enter(pos+1, false)
			}
		case OpLoop:
			if err = p.add(cost); err == nil {
				p.enter(pos+1, true)
			}
		case OpElse:
			err = p.cut(pos)
		case OpEnd:
			err = p.leave(pos)
		case OpBr, OpBrIf:
			var d int
			if err = p.add(cost); err == nil {
				if d, err = p.depthOf(in.X); err == nil {
					err = p.jump(pos, []int{d})
				}
			}
		case OpBrTable:
			if err = p.add(cost); err == nil {
				err = p.brTable(pos, in, b.BrTables[in.X], v)
			}
		case OpReturn:
			if err = p.add(cost); err == nil {
				err = p.jump(pos, []int{0})
			}
		case OpI32Const:
			err = p.add(cost)
			lastConst, afterConst = in.I32(), v == FVM3
		default:
			err = p.add(cost)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	// Inner constructs complete before outer ones, so the spans come out of
	// order; their starts are distinct.
	sort.Slice(p.done, func(i, j int) bool { return p.done[i].start < p.done[j].start })
	return p.done, runtime, nil
}

func (p *partition) brTable(pos int, in Instr, labels []uint32, v Version) error {
	depths := make([]int, 0, len(labels)+1)
	if v == FVM2 {
		d, err := p.depthOf(uint32(in.Y))
		if err != nil {
			return err
		}
		depths = append(depths, d)
	}
	for _, l := range labels {
		d, err := p.depthOf(l)
		if err != nil {
			return err
		}
		depths = append(depths, d)
	}
	return p.jump(pos, depths)
}
