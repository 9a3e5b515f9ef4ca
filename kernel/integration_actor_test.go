package kernel_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/actors/testactors"
)

// Read-only sends (nv18, fvm-abi.md §6.2, §6.4) change nothing: a refused
// value transfer leaves both balances, and a refused auto-creation neither
// registers the address nor charges OnCreateActor (read-only is checked
// before the charge).
func TestIntegrationReadOnlySendState(t *testing.T) {
	f1 := testactors.KeyAddress(46)
	for _, c := range []struct {
		name  string
		to    address.Address
		value uint32
	}{{"value", idAddr(testactors.BobID), 1}, {"autocreate", f1, 0}} {
		t.Run(c.name, func(t *testing.T) {
			log, ret := chargeLog(t, bothNVs[1], testactors.Tester1ID, testactors.MethodReadOnlySend,
				testactors.Params{B: c.value, To: c.to}.Encode())
			if !bytes.Equal(ret.Receipt.Return, testactors.Result(13, 0)) {
				t.Fatalf("return %x, want ReadOnly (13)", ret.Receipt.Return)
			}
			if got := named(log, "OnCreateActor"); got != nil {
				t.Errorf("OnCreateActor charged %v", got)
			}
		})
	}
	w := newWorld(t, bothNVs[1], compilerEngine)
	w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodReadOnlySend, 0,
		testactors.Params{B: 1, To: idAddr(testactors.BobID)}.Encode(), 1_000_000_000))
	w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodReadOnlySend, 0,
		testactors.Params{To: f1}.Encode(), 1_000_000_000))
	if _, ok := w.lookup(f1); ok {
		t.Errorf("read-only auto-creation registered %s", f1)
	}
	if b := w.actor(testactors.Tester1ID).Balance; !b.Equals(testactors.TesterBalance) {
		t.Errorf("tester balance %s after a refused read-only transfer", b)
	}
	if b := w.actor(testactors.BobID).Balance; !b.Equals(testactors.AccountBalance) {
		t.Errorf("Bob's balance %s after a refused read-only transfer", b)
	}
}

// The nv18 state-access tracker is transactional (fvm-gas.md §5.4,
// fvm-abi.md §6.10): tester1 sends to tester2 twice. When each callee reads
// actor 23's code (OnActorLookup even though it does not exist) and traps,
// its records are rolled back, so the second call pays tester2's and actor
// 23's lookups again: 4 × 500,000 gas. Two successful calls (method 1) pay
// tester2's lookup once. nv17 has no such charges.
func TestIntegrationAccessTrackerRevert(t *testing.T) {
	for _, nv := range bothNVs {
		for _, c := range []struct {
			method  uint32
			result  []byte
			lookups int
		}{{testactors.MethodOpenCode, testactors.Result(4, 4), 4}, {testactors.MethodConstructor, testactors.Result(0, 0), 1}} {
			log, ret := chargeLog(t, nv, testactors.Tester1ID, testactors.MethodSendTwice,
				testactors.Params{A: c.method, To: idAddr(testactors.Tester2ID)}.Encode())
			if !bytes.Equal(ret.Receipt.Return, c.result) {
				t.Fatalf("nv%d method %d: return %x, want %x", nv, c.method, ret.Receipt.Return, c.result)
			}
			var want []int64
			if nv >= 18 {
				for i := 0; i < c.lookups; i++ {
					want = append(want, 500_000_000)
				}
			}
			if got := named(log, "OnActorLookup"); !equalInts(got, want) {
				t.Errorf("nv%d method %d: OnActorLookup %v, want %v", nv, c.method, got, want)
			}
		}
	}
}

// lookup_delegated_address and balance_of both read the actor through the
// call manager (fvm-abi.md §3.2 actor, fvm-gas.md §5.4): the first read of
// an actor in the message pays OnActorLookup 500,000 gas, the second is
// free, and a missing actor is marked read too.
func TestIntegrationDelegatedLookupCharge(t *testing.T) {
	for _, id := range []uint32{uint32(testactors.PlaceholderID), uint32(testactors.BobID), 999} {
		log, ret := chargeLog(t, bothNVs[1], testactors.Tester1ID, testactors.MethodDelegated,
			testactors.Params{A: id, B: 65}.Encode())
		if ret.Receipt.ExitCode != 0 {
			t.Fatalf("actor %d: exit %d", id, ret.Receipt.ExitCode)
		}
		if got := named(log, "OnActorLookup"); !equalInts(got, []int64{500_000_000}) {
			t.Errorf("actor %d: OnActorLookup %v, want one of 500,000,000 mg", id, got)
		}
	}
}

// create_actor's charges from the init actor at a fresh id (fvm-abi.md §3.2
// actor, fvm-gas.md §5.4): nv17 OnCreateActor 1,207,254 gas; nv18
// OnActorLookup of the id 500,000, OnCreateActor(false) 650,000, then
// set_actor's OnActorUpdate 475,000 (the lookup is already recorded).
func TestIntegrationCreateActorCharges(t *testing.T) {
	for _, nv := range bothNVs {
		w := newWorld(t, nv, compilerEngine)
		log, ret := chargeLog(t, w.nv, testactors.InitID, testactors.MethodCreate,
			testactors.Params{A: 500, B: uint32(w.g.Bundle.Types[testactors.Account])}.Encode())
		if !bytes.Equal(ret.Receipt.Return, testactors.Result(0, 0)) {
			t.Fatalf("nv%d: return %x", nv, ret.Receipt.Return)
		}
		var got []string
		for _, c := range log {
			switch c.Name {
			case "OnCreateActor", "OnActorLookup", "OnActorUpdate":
				got = append(got, fmt.Sprintf("%s %d", c.Name, c.TotalMilli()))
			}
		}
		want := []string{"OnCreateActor 1207254000"}
		if nv >= 18 {
			want = []string{"OnActorLookup 500000000", "OnCreateActor 650000000", "OnActorUpdate 475000000"}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("nv%d: charges %v, want %v", nv, got, want)
		}
	}
}
