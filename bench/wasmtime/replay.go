package main

import (
	"fmt"
	"slices"
)

// cursor plays one invocation's host calls back, in order, and checks that
// the wasm code asks for each one exactly as it did when recorded: same
// import, same arguments, same gas counter. Both engines' host functions
// share it.
type cursor struct {
	inv  *Invocation
	next int
	err  error
	// abortAny: no recording; the first host call, whatever it is, ends
	// the call (the instantiate + first call rows).
	abortAny bool
	any      HostCall
}

// errAborted ends an invocation whose recorded host call did not return.
var errAborted = fmt.Errorf("recorded host call aborted the invocation")

func (c *cursor) reset(inv *Invocation) { c.inv, c.next, c.err, c.abortAny = inv, 0, nil, false }

func (c *cursor) resetAbortAny() { c.inv, c.next, c.err, c.abortAny = nil, 0, nil, true }

// call returns the next recorded call after checking it against the live
// one; nil (and c.err set) on a mismatch.
func (c *cursor) call(module, name string, args []uint64, gas int64) *HostCall {
	if c.err != nil {
		return nil
	}
	if c.abortAny {
		c.any = HostCall{Module: module, Name: name, GasIn: gas, GasOut: gas, Aborted: true}
		c.next++
		return &c.any
	}
	if c.next >= len(c.inv.Calls) {
		c.err = fmt.Errorf("host call %d %s.%s: the recording ended after %d calls", c.next, module, name, len(c.inv.Calls))
		return nil
	}
	h := &c.inv.Calls[c.next]
	switch {
	case h.Module != module || h.Name != name:
		c.err = fmt.Errorf("host call %d: %s.%s, recorded %s", c.next, module, name, h.name())
	case !slices.Equal(h.Args, args):
		c.err = fmt.Errorf("host call %d %s: arguments %v, recorded %v", c.next, h.name(), args, h.Args)
	case h.GasIn != gas:
		c.err = fmt.Errorf("host call %d %s: gas counter %d, recorded %d", c.next, h.name(), gas, h.GasIn)
	}
	if c.err != nil {
		return nil
	}
	c.next++
	return h
}

// finish checks how invoke ended against the recording.
func (c *cursor) finish(returned bool, result uint32, gas int64, callErr error) error {
	if c.err != nil {
		return c.err
	}
	inv := c.inv
	switch {
	case c.next != len(inv.Calls):
		return fmt.Errorf("invoke ended after %d of %d host calls (%v)", c.next, len(inv.Calls), callErr)
	case returned != inv.Returned:
		return fmt.Errorf("invoke returned=%v, recorded %v (%v)", returned, inv.Returned, callErr)
	case returned && result != inv.Result:
		return fmt.Errorf("invoke returned %d, recorded %d", result, inv.Result)
	case gas != inv.GasEnd:
		return fmt.Errorf("gas counter %d at the end, recorded %d", gas, inv.GasEnd)
	}
	return nil
}

// hostCalls counts the host calls of a recording.
func (r *Recording) hostCalls() int {
	n := 0
	for _, inv := range r.Invocations {
		n += len(inv.Calls)
	}
	return n
}
