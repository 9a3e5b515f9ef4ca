package gas

import (
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
)

func TestAccessTrackerPreloadedAndSeed(t *testing.T) {
	tr := NewAccessTracker(Hygge().PreloadedActors)
	for _, id := range []abi.ActorID{0, 1, 2, 3, 4, 5, 6, 7, 10, 99} {
		if tr.Actor(id) != AccessUpdated {
			t.Errorf("preloaded %d: %v", id, tr.Actor(id))
		}
	}
	for _, id := range []abi.ActorID{8, 9, 11, 98, 100} {
		if tr.Actor(id) != AccessNone {
			t.Errorf("id %d should not be preloaded", id)
		}
	}
	from, _ := address.NewSecp256k1Address([]byte("sender-pubkey"))
	to, _ := address.NewActorAddress([]byte("receiver"))
	recv := abi.ActorID(1001)
	tr.SeedMessage(1000, from, &recv, to)
	if tr.Actor(1000) != AccessUpdated || tr.Actor(1001) != AccessRead {
		t.Errorf("seed: sender %v receiver %v", tr.Actor(1000), tr.Actor(1001))
	}
	if !tr.AddressResolved(from) || !tr.AddressResolved(to) {
		t.Error("seed: addresses not resolved")
	}
	// The seed is outside any transaction: a revert cannot undo it.
	tr.Begin()
	if err := tr.End(true); err != nil {
		t.Fatal(err)
	}
	if tr.Actor(1000) != AccessUpdated || tr.Actor(1001) != AccessRead || !tr.AddressResolved(to) {
		t.Error("seed rolled back")
	}
	// An unresolved receiver: address still recorded, no actor read.
	tr2 := NewAccessTracker(nil)
	tr2.SeedMessage(1000, from, nil, to)
	if tr2.Actor(1001) != AccessNone || !tr2.AddressResolved(to) {
		t.Error("seed without receiver id")
	}
}

func TestAccessTrackerTransactions(t *testing.T) {
	type step struct {
		op   string // r=read u=update b=begin c=commit x=revert
		id   abi.ActorID
		want map[abi.ActorID]Access // checked after the step
	}
	N, R, U := AccessNone, AccessRead, AccessUpdated
	steps := []step{
		{"b", 0, nil},
		{"r", 101, map[abi.ActorID]Access{101: R}},
		{"u", 101, map[abi.ActorID]Access{101: U}},
		{"r", 101, map[abi.ActorID]Access{101: U}}, // read never downgrades
		{"c", 0, map[abi.ActorID]Access{101: U}},
		{"b", 0, nil},
		{"r", 102, map[abi.ActorID]Access{102: R}},
		{"b", 0, nil},
		{"u", 102, map[abi.ActorID]Access{102: U}},
		{"u", 103, map[abi.ActorID]Access{103: U}},
		{"x", 0, map[abi.ActorID]Access{101: U, 102: R, 103: N}}, // inner revert
		{"u", 104, map[abi.ActorID]Access{104: U}},
		{"x", 0, map[abi.ActorID]Access{101: U, 102: N, 103: N, 104: N}}, // outer revert
		{"b", 0, nil},
		{"b", 0, nil},
		{"r", 105, nil},
		{"c", 0, map[abi.ActorID]Access{105: R}}, // inner commit keeps it for the outer
		{"x", 0, map[abi.ActorID]Access{105: N, 101: U}},
	}
	tr := NewAccessTracker(nil)
	for i, s := range steps {
		switch s.op {
		case "r":
			tr.RecordRead(s.id)
		case "u":
			tr.RecordUpdate(s.id)
		case "b":
			tr.Begin()
		case "c", "x":
			if err := tr.End(s.op == "x"); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		for id, w := range s.want {
			if got := tr.Actor(id); got != w {
				t.Errorf("step %d (%s %d): actor %d = %v, want %v", i, s.op, s.id, id, got, w)
			}
		}
	}
	if err := tr.End(false); err != ErrNoTransaction {
		t.Errorf("End without Begin: %v", err)
	}
}

func TestAccessTrackerAddresses(t *testing.T) {
	tr := NewAccessTracker(nil)
	id, _ := address.NewIDAddress(5)
	if !tr.AddressResolved(id) {
		t.Error("ID addresses never need resolution")
	}
	a, _ := address.NewSecp256k1Address([]byte("k"))
	tr.Begin()
	if tr.AddressResolved(a) {
		t.Error("fresh address resolved")
	}
	tr.RecordAddress(a)
	tr.RecordAddress(a) // no second undo entry
	if !tr.AddressResolved(a) {
		t.Error("recorded address not resolved")
	}
	if err := tr.End(true); err != nil {
		t.Fatal(err)
	}
	if tr.AddressResolved(a) {
		t.Error("reverted address still resolved")
	}
	tr.Begin()
	tr.RecordAddress(a)
	_ = tr.End(false)
	if !tr.AddressResolved(a) {
		t.Error("committed address forgotten")
	}
	// Preloaded actors survive reverts of updates made to them.
	tr = NewAccessTracker([]abi.ActorID{1})
	tr.Begin()
	tr.RecordUpdate(1)
	tr.RecordRead(1)
	_ = tr.End(true)
	if tr.Actor(1) != AccessUpdated {
		t.Error("preloaded lost")
	}
}

func BenchmarkAccessTracker(b *testing.B) {
	tr := NewAccessTracker(Hygge().PreloadedActors)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tr.Begin()
		tr.RecordRead(abi.ActorID(1000 + i%16))
		tr.RecordUpdate(abi.ActorID(1000 + i%16))
		_ = tr.End(i%2 == 0)
	}
}
