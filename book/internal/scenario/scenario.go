// Package scenario runs the book's scenarios: each is Go code that sends
// messages on a fresh chain from a genesis, in named step groups, and
// asserts every step's exit code and the state effects the actors define.
// A failed assertion stops the scenario (later steps depend on earlier
// ones); the run reports every group that ran.
package scenario

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/kernel"
)

// World is what every scenario of one network version starts from.
type World struct {
	NetworkVersion network.Version
	// ActorsVersion is the bundle's version (0 for our test actors); Actors
	// its encoders and readers (nil for our test actors).
	ActorsVersion int
	Actors        av.Actors
	// Codes maps manifest names to code CIDs.
	Codes map[string]cid.Cid
	// Store holds the bundle and the genesis state; each scenario runs on a
	// copy.
	Store   *chain.Store
	Genesis cid.Cid
	// Accounts are the genesis key accounts by name.
	Accounts map[string]*Account
	// Chain settings.
	Engine       kernel.Engine
	Verifier     kernel.ProofVerifier
	Reachability kernel.ReachabilityMode
	Cron         bool
	Record       bool
}

// Scenario is one workflow.
type Scenario struct {
	Name    string
	Summary string
	// Applies reports whether the scenario runs on w (nil: always); Why
	// says why not.
	Applies func(w *World) (bool, string)
	Run     func(t *T)
}

// Status of a group or a scenario.
type Status string

const (
	Pass Status = "ok"
	Fail Status = "FAIL"
	// NotApplicable: the scenario does not exist at this version (e.g. EVM
	// before actors v10); it counts as neither passed nor failed.
	NotApplicable Status = "n/a"
)

// Group is one named group of steps and how it went.
type Group struct {
	Name     string
	Messages int
	Status   Status
	Failures []string
}

// Result is one scenario's run.
type Result struct {
	Scenario string
	Status   Status
	Why      string // for NotApplicable
	Groups   []*Group
	Messages int
	Records  []chain.Record
	// Store holds every state of the run (for writing the records).
	Store *chain.Store
}

// Failures lists every failure, prefixed by its group.
func (r *Result) Failures() []string {
	var out []string
	for _, g := range r.Groups {
		for _, f := range g.Failures {
			out = append(out, g.Name+": "+f)
		}
	}
	return out
}

// T is a running scenario.
type T struct {
	Ctx context.Context
	W   *World
	C   *chain.Chain
	// V is the actors version's encoders and readers (W.Actors).
	V      av.Actors
	res    *Result
	cur    *Group
	step   string
	nonces map[abi.ActorID]uint64
}

// stop unwinds a scenario after a fatal failure.
type stop struct{}

// Run runs s on a fresh chain from w's genesis. It never panics: a panic in
// the scenario or below is a failure with its stack.
func Run(ctx context.Context, w *World, s *Scenario) (res *Result) {
	res = &Result{Scenario: s.Name, Status: Pass}
	if s.Applies != nil {
		if ok, why := s.Applies(w); !ok {
			res.Status, res.Why = NotApplicable, why
			return res
		}
	}
	c, err := chain.New(chain.Config{NetworkVersion: w.NetworkVersion, Store: w.Store.Copy(), Genesis: w.Genesis,
		Engine: w.Engine, Verifier: w.Verifier, Reachability: w.Reachability, Cron: w.Cron, Record: w.Record})
	t := &T{Ctx: ctx, W: w, C: c, V: w.Actors, res: res}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				t.fail(fmt.Sprintf("panic: %v\n%s", r, debug.Stack()))
			}
		}
		if t.C != nil {
			res.Records = t.C.Records()
			res.Store = t.C.Store()
		}
		for _, g := range res.Groups {
			res.Messages += g.Messages
			if g.Status == Fail {
				res.Status = Fail
			}
		}
	}()
	if err != nil {
		t.Group("setup")
		t.Fatalf("%v", err)
	}
	s.Run(t)
	if t.V != nil && t.cur != nil && t.cur.Status != Fail {
		// The invariants hold between tipsets: end the epoch (its cron
		// tick) first.
		t.Group("invariants")
		t.Step("")
		t.Advance(1)
		t.CheckInvariants()
	}
	return res
}

// Group starts a named group of steps.
func (t *T) Group(name string) {
	t.step = ""
	t.cur = &Group{Name: name, Status: Pass}
	t.res.Groups = append(t.res.Groups, t.cur)
}

func (t *T) group() *Group {
	if t.cur == nil {
		t.Group("steps")
	}
	return t.cur
}

func (t *T) fail(msg string) {
	g := t.group()
	g.Status = Fail
	if t.step != "" {
		msg = t.step + ": " + msg
	}
	g.Failures = append(g.Failures, msg)
}

// Failed reports whether the current group has failed.
func (t *T) Failed() bool { return t.group().Status == Fail }

// Errorf records a failure and goes on.
func (t *T) Errorf(format string, args ...any) { t.fail(fmt.Sprintf(format, args...)) }

// Fatalf records a failure and stops the scenario.
func (t *T) Fatalf(format string, args ...any) {
	t.fail(fmt.Sprintf(format, args...))
	panic(stop{})
}

// Must stops the scenario on a Go error (a broken encoding or state read:
// the book's own fault, or state the actors should not have written).
func (t *T) Must(err error, what string) {
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Check records a failure unless ok.
func (t *T) Check(ok bool, format string, args ...any) {
	if !ok {
		t.Errorf(format, args...)
	}
}

// Equal records a failure unless got == want (compared as printed values,
// which is exact for the integers, addresses, CIDs and amounts the book
// compares).
func (t *T) Equal(what string, got, want any) {
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s is %v, want %v", what, got, want)
	}
}

// Label is "scenario/group/step" for records.
func (t *T) label() string {
	return strings.Join([]string{t.res.Scenario, t.group().Name, t.step}, "/")
}

// Advance ends epochs until the chain is at epoch target.
func (t *T) AdvanceTo(target abi.ChainEpoch) {
	if target < t.C.Epoch() {
		t.Fatalf("cannot go back from epoch %d to %d", t.C.Epoch(), target)
	}
	if err := t.C.AdvanceTo(t.Ctx, target); err != nil {
		var ie *chain.ImplicitError
		if errors.As(err, &ie) {
			t.Fatalf("%v", ie)
		}
		t.Fatalf("advancing to epoch %d: %v", target, err)
	}
}

// Advance ends n epochs.
func (t *T) Advance(n abi.ChainEpoch) { t.AdvanceTo(t.C.Epoch() + n) }

// Epoch is the epoch the next message is applied at.
func (t *T) Epoch() abi.ChainEpoch { return t.C.Epoch() }

// ID is an ID address.
func ID(id abi.ActorID) address.Address {
	a, err := address.NewIDAddress(uint64(id))
	if err != nil {
		panic(err)
	}
	return a
}
