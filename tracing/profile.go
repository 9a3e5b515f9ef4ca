package tracing

import (
	"fmt"
	"sort"
)

// GasProfile is the gas of one message as a tree of frames: the calls of
// the ExecutionTrace merged by (actor, method) under each caller, and below
// each call frame its own gas charges merged by name. A message that sends
// fifty times to the verified registry's method 9 has one frame
// "verifiedregistry m9" with Calls 50 under its caller, however the calls
// were interleaved. The flame graph, the pprof profile and the folded
// stacks are all drawn from this tree. Amounts are whole gas, as in the
// Lotus trace (each charge rounded up).
type GasProfile struct {
	Root *GasFrame
	// Total is the gas of every charge of the message (Root.Gas). It can
	// exceed the receipt's gas_used by under 1 gas per charge (rounding),
	// and on nv17 a refund can make it smaller.
	Total int64
	// Calls is the number of calls in the trace, the message included.
	Calls int
}

// GasFrame is one frame of a GasProfile.
type GasFrame struct {
	// Name is "ACTOR mMETHOD" for a call (ACTOR is the invoked code's
	// manifest name when known, else the receiver's address) or the
	// charge's name (OnBlockOpen, wasm_exec, …).
	Name   string
	Charge bool
	// Calls counts the calls (or charges) merged into this frame; Failed
	// the calls among them that ended with a non-zero exit code.
	Calls, Failed int
	// Gas is the frame's gas including everything below it; Self the part
	// charged by the frame's calls themselves (for a charge, Gas).
	Gas, Self int64
	// Receivers are the distinct receiver addresses of the merged calls,
	// in the order first called.
	Receivers []string
	// Children are the frames below, largest first.
	Children []*GasFrame

	width int64 // positive gas only: what the flame graph draws
	index map[frameKey]*GasFrame
}

type frameKey struct {
	name   string
	charge bool
}

// NewGasProfile merges the trace into a GasProfile. actorName, when not
// nil, names the code a call invoked (a manifest name such as
// "storageminer"); calls it does not name are named by their receiver.
func NewGasProfile(t *ExecutionTrace, actorName func(*ExecutionTrace) string) *GasProfile {
	root := &GasFrame{Name: callName(t, actorName)}
	n := root.addCall(t, actorName)
	root.finish()
	return &GasProfile{Root: root, Total: root.Gas, Calls: n}
}

// callName is a call frame's name: the actor and the method.
func callName(t *ExecutionTrace, actorName func(*ExecutionTrace) string) string {
	name := ""
	if actorName != nil {
		name = actorName(t)
	}
	if name == "" {
		name = t.Msg.To.String()
	}
	return fmt.Sprintf("%s m%d", name, t.Msg.Method)
}

func (f *GasFrame) child(name string, charge bool) *GasFrame {
	k := frameKey{name, charge}
	if c := f.index[k]; c != nil {
		return c
	}
	if f.index == nil {
		f.index = map[frameKey]*GasFrame{}
	}
	c := &GasFrame{Name: name, Charge: charge}
	f.index[k] = c
	f.Children = append(f.Children, c)
	return c
}

// addCall merges one call into f and returns the number of calls merged
// (it and everything it called).
func (f *GasFrame) addCall(t *ExecutionTrace, actorName func(*ExecutionTrace) string) int {
	f.Calls++
	if t.MsgRct.ExitCode != 0 {
		f.Failed++
	}
	to := t.Msg.To.String()
	known := false
	for _, r := range f.Receivers {
		known = known || r == to
	}
	if !known {
		f.Receivers = append(f.Receivers, to)
	}
	for _, g := range t.GasCharges {
		if g == nil {
			continue
		}
		c := f.child(g.Name, true)
		c.Calls++
		c.Gas += g.TotalGas
		if g.TotalGas > 0 {
			c.width += g.TotalGas
		}
	}
	n := 1
	for i := range t.Subcalls {
		s := &t.Subcalls[i]
		n += f.child(callName(s, actorName), false).addCall(s, actorName)
	}
	return n
}

// finish sums the frames bottom-up and orders every frame's children,
// largest first (ties: calls before charges, then by name), so the same
// trace always gives the same tree.
func (f *GasFrame) finish() {
	f.index = nil
	if f.Charge {
		f.Self = f.Gas
		return
	}
	f.Gas, f.Self, f.width = 0, 0, 0
	for _, c := range f.Children {
		c.finish()
		f.Gas += c.Gas
		f.width += c.width
		if c.Charge {
			f.Self += c.Gas
		}
	}
	sort.SliceStable(f.Children, func(i, j int) bool {
		a, b := f.Children[i], f.Children[j]
		switch {
		case a.width != b.width:
			return a.width > b.width
		case a.Gas != b.Gas:
			return a.Gas > b.Gas
		case a.Charge != b.Charge:
			return !a.Charge
		}
		return a.Name < b.Name
	})
}

// GasRow is one line of a profile's tables: every frame of one name,
// wherever it stands in the tree.
type GasRow struct {
	Name          string
	Calls, Failed int
	// Gas includes everything below the frames (counted once where a
	// frame of the same name is nested inside another); Self is what the
	// frames charged themselves.
	Gas, Self int64
}

// CallTable lists the call frames by name (actor and method), most gas
// first.
func (p *GasProfile) CallTable() []GasRow { return p.table(false) }

// ChargeTable lists the gas charges by name, most gas first.
func (p *GasProfile) ChargeTable() []GasRow { return p.table(true) }

func (p *GasProfile) table(charges bool) []GasRow {
	rows := map[string]*GasRow{}
	open := map[string]int{} // names on the current path: a nested frame's gas is already counted
	var walk func(f *GasFrame)
	walk = func(f *GasFrame) {
		if f.Charge == charges {
			r := rows[f.Name]
			if r == nil {
				r = &GasRow{Name: f.Name}
				rows[f.Name] = r
			}
			r.Calls += f.Calls
			r.Failed += f.Failed
			r.Self += f.Self
			if open[f.Name] == 0 {
				r.Gas += f.Gas
			}
		}
		open[f.Name]++
		for _, c := range f.Children {
			walk(c)
		}
		open[f.Name]--
	}
	walk(p.Root)
	out := make([]GasRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Gas != out[j].Gas {
			return out[i].Gas > out[j].Gas
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Share is part/total as a percentage (0 when total is not positive).
func share(part, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return 100 * float64(part) / float64(total)
}
