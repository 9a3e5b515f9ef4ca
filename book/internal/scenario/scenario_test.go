package scenario_test

import (
	"context"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/book/internal/testworld"
)

func world(t *testing.T, nv int) *scenario.World {
	t.Helper()
	w, _, err := testworld.New(context.Background(), network.Version(nv), false)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// A passing group, a failing group that stops the scenario, and the group
// after it never runs.
func TestRunStopsAtFatal(t *testing.T) {
	w := world(t, 18)
	ran := false
	s := &scenario.Scenario{Name: "s", Run: func(t *scenario.T) {
		alice, bob := t.W.Accounts["alice"], t.W.Accounts["bob"]
		t.Group("pay")
		ab, bb := t.Balance(alice.Addr), t.Balance(bob.Addr)
		r := t.Send("alice pays bob", scenario.Msg{From: alice, To: bob.Addr, Value: big.NewInt(1000)}).OK()
		t.EqualAmount("bob", t.Balance(bob.Addr), big.Add(bb, big.NewInt(1000)))
		t.EqualAmount("alice", t.Balance(alice.Addr), big.Sub(ab, big.Add(big.NewInt(1000), r.Fee)))
		t.Check(r.Fee.Sign() > 0, "no fee")
		t.Group("missing")
		t.Send("to nobody", scenario.Msg{From: alice, To: scenario.ID(99_999)}).OK()
		t.Group("never")
		ran = true
	}}
	res := scenario.Run(context.Background(), w, s)
	if res.Status != scenario.Fail || ran {
		t.Fatalf("status %s, ran after fatal %v", res.Status, ran)
	}
	if len(res.Groups) != 2 || res.Groups[0].Status != scenario.Pass || res.Groups[1].Status != scenario.Fail {
		t.Fatalf("groups %+v", res.Groups)
	}
	if res.Messages != 2 || res.Groups[0].Messages != 1 {
		t.Errorf("messages %d / %d", res.Messages, res.Groups[0].Messages)
	}
	f := res.Failures()
	if len(f) != 1 || !strings.Contains(f[0], "missing: to nobody: exit code 5, want 0") {
		t.Errorf("failures %q", f)
	}
}

// Errorf records and goes on; a panic is a failure with its stack; a
// scenario that does not apply is neither.
func TestErrorsPanicsAndNotApplicable(t *testing.T) {
	w := world(t, 18)
	later := false
	res := scenario.Run(context.Background(), w, &scenario.Scenario{Name: "e", Run: func(t *scenario.T) {
		t.Group("a")
		t.Equal("two", 1+1, 3)
		t.Group("b")
		later = true
	}})
	if res.Status != scenario.Fail || !later || res.Groups[0].Status != scenario.Fail || res.Groups[1].Status != scenario.Pass {
		t.Fatalf("Errorf: %+v later %v", res, later)
	}
	if f := res.Failures(); len(f) != 1 || f[0] != "a: two is 2, want 3" {
		t.Errorf("failures %q", f)
	}

	res = scenario.Run(context.Background(), w, &scenario.Scenario{Name: "p", Run: func(t *scenario.T) {
		t.Group("boom")
		var m map[string]int
		m["x"] = 1
	}})
	if res.Status != scenario.Fail || !strings.Contains(strings.Join(res.Failures(), ""), "panic: assignment to entry in nil map") {
		t.Errorf("panic: %+v", res.Failures())
	}

	res = scenario.Run(context.Background(), w, &scenario.Scenario{Name: "n",
		Applies: func(*scenario.World) (bool, string) { return false, "not here" },
		Run:     func(t *scenario.T) { t.Fatalf("ran") }})
	if res.Status != scenario.NotApplicable || res.Why != "not here" || len(res.Groups) != 0 {
		t.Errorf("not applicable: %+v", res)
	}
}

// Events come back decoded: the tester's event is one entry [flags 3, key
// "k", codec 0x55 (raw), value "v"] (actors/testactors wat/tester.wat.in).
func TestEvents(t *testing.T) {
	w := world(t, 18)
	var got []scenario.Event
	res := scenario.Run(context.Background(), w, &scenario.Scenario{Name: "ev", Run: func(t *scenario.T) {
		t.Group("emit")
		r := t.Send("tester emits", scenario.Msg{From: t.W.Accounts["alice"], To: scenario.ID(testactors.Tester1ID),
			Method: testactors.MethodEvent}).Expect(exitcode.Ok)
		got = r.Events()
	}})
	if res.Status != scenario.Pass {
		t.Fatal(res.Failures())
	}
	if len(got) != 1 || got[0].Emitter != testactors.Tester1ID || len(got[0].Entries) != 1 {
		t.Fatalf("events %+v", got)
	}
	e := got[0].Entries[0]
	if e.Flags != 3 || e.Key != "k" || e.Codec != 0x55 || string(e.Value) != "v" {
		t.Errorf("entry %+v", e)
	}
	if v, ok := got[0].Value("k"); !ok || string(v) != "v" {
		t.Errorf("Value(k) %q %v", v, ok)
	}
}
