package kernel_test

import (
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/actors/testactors"
)

// self_destruct's effect on the state tree (fvm-abi.md §3.2 self, §6.9):
// the whole balance goes to the beneficiary and the actor is deleted; the
// deletion and the transfer are reverted with the invocation (top level or
// nested); a read-only call (nv18) deletes nothing; beneficiary == self
// leaves everything as it was.
func TestIntegrationSelfDestructState(t *testing.T) {
	t1, t2 := idAddr(testactors.Tester1ID), idAddr(testactors.Tester2ID)
	bobPlus := func(w *world, n int64) {
		t.Helper()
		if b := w.actor(testactors.BobID).Balance; !b.Equals(big.Add(testactors.AccountBalance, big.NewInt(n))) {
			t.Errorf("nv%d: Bob's balance %s, want genesis + %d", w.nv, b, n)
		}
	}
	present := func(w *world, id abi.ActorID, want bool) {
		t.Helper()
		a := w.actor(id)
		if (a != nil) != want {
			t.Fatalf("nv%d: actor %d present %v, want %v", w.nv, id, a != nil, want)
		}
		if want && !a.Balance.Equals(testactors.TesterBalance) {
			t.Errorf("nv%d: actor %d balance %s, want its genesis %s", w.nv, id, a.Balance, testactors.TesterBalance)
		}
	}
	tb := testactors.TesterBalance.Int64()
	for _, nv := range bothNVs {
		cases := []struct {
			name   string
			to     abi.ActorID
			method uint64
			p      []byte
			exit   int64
			gone   []abi.ActorID
			kept   []abi.ActorID
			bob    int64
		}{
			{"destruct actor", testactors.DestructID, 2, nil, 0, []abi.ActorID{testactors.DestructID}, nil, tb},
			{"tester", testactors.Tester1ID, testactors.MethodDestruct, nil, 0, []abi.ActorID{testactors.Tester1ID}, nil, tb},
			{"to self", testactors.Tester1ID, testactors.MethodDestruct, testactors.Params{WithData: true, To: t1}.Encode(), 0,
				nil, []abi.ActorID{testactors.Tester1ID}, 0},
			{"reverted", testactors.Tester1ID, testactors.MethodDestruct, testactors.Params{Code: 20}.Encode(), 20,
				nil, []abi.ActorID{testactors.Tester1ID}, 0},
			{"nested reverted", testactors.Tester1ID, testactors.MethodSend,
				testactors.Params{A: testactors.MethodDestruct, Code: 20, To: t2}.Encode(), 0,
				nil, []abi.ActorID{testactors.Tester1ID, testactors.Tester2ID}, 0},
		}
		if nv >= 18 {
			cases = append(cases, struct {
				name   string
				to     abi.ActorID
				method uint64
				p      []byte
				exit   int64
				gone   []abi.ActorID
				kept   []abi.ActorID
				bob    int64
			}{"read-only", testactors.Tester1ID, testactors.MethodSendLimited, testactors.Params{A: testactors.MethodDestruct, Code: 1}.Encode(), 0,
				nil, []abi.ActorID{testactors.Tester1ID}, 0})
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(t *testing.T) {
				w := newWorld(t, nv, compilerEngine)
				ret := w.apply(w.msg(w.g.Alice, idAddr(c.to), abiM(c.method), 0, c.p, 1_000_000_000))
				if int64(ret.Receipt.ExitCode) != c.exit {
					t.Fatalf("exit %d, want %d; %s", ret.Receipt.ExitCode, c.exit, ret.FailureInfo)
				}
				for _, id := range c.gone {
					present(w, id, false)
				}
				for _, id := range c.kept {
					present(w, id, true)
				}
				bobPlus(w, c.bob)
				w.followUp()
			})
		}
	}
}

// A send to oneself with value is a no-op transfer (fvm-abi.md §6.8: from
// == to succeeds without moving anything): the balance stays. nv18 charges
// OnValueTransfer 6,000 and no state access (the receiver is pre-marked
// read and the no-op writes nothing); nv17 charges OnMethodInvocation for
// value ≠ 0 and method ≠ 0, 51,356, after the top-level 23,856.
func TestIntegrationSelfTransfer(t *testing.T) {
	for _, nv := range bothNVs {
		w := newWorld(t, nv, compilerEngine)
		log, ret := chargeLog(t, w.nv, testactors.Tester1ID, testactors.MethodSend,
			testactors.Params{A: testactors.MethodConstructor, B: 5, To: idAddr(testactors.Tester1ID)}.Encode())
		if ret.Receipt.ExitCode != 0 || len(ret.Receipt.Return) != 0 {
			t.Fatalf("nv%d: exit %d return %x", nv, ret.Receipt.ExitCode, ret.Receipt.Return)
		}
		if nv >= 18 {
			if got := named(log, "OnValueTransfer"); !equalInts(got, []int64{6_000_000}) {
				t.Errorf("nv18: OnValueTransfer %v, want [6,000,000]", got)
			}
			if got := append(named(log, "OnActorLookup"), named(log, "OnActorUpdate")...); got != nil {
				t.Errorf("nv18: state-access charges %v, want none", got)
			}
		} else if got := named(log, "OnMethodInvocation"); !equalInts(got, []int64{23_856_000, 51_356_000}) {
			t.Errorf("nv17: OnMethodInvocation %v, want [23,856,000 51,356,000]", got)
		}
		w2 := newWorld(t, nv, compilerEngine)
		w2.apply(w2.msg(w2.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodSend, 0,
			testactors.Params{A: testactors.MethodConstructor, B: 5, To: idAddr(testactors.Tester1ID)}.Encode(), 1_000_000_000))
		if b := w2.actor(testactors.Tester1ID).Balance; !b.Equals(testactors.TesterBalance) {
			t.Errorf("nv%d: balance %s after a self-transfer", nv, b)
		}
	}
}

// The destruct actor's self_destruct charges in order (fvm-abi.md §3.2
// self; milligas): nv17 OnDeleteActor −98,800 gas, charged first, and no
// state access; nv18 the transfer's OnActorLookup(Bob) 500,000, then
// OnActorUpdate(self) 475,000 (the receiver is only pre-marked read) and
// OnActorUpdate(Bob) 475,000; the deletion then finds self updated and
// pays nothing.
func TestIntegrationSelfDestructCharges(t *testing.T) {
	for _, nv := range bothNVs {
		log, ret := chargeLog(t, nv, testactors.DestructID, 2, nil)
		if ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
		}
		var got []string
		for _, c := range log {
			switch c.Name {
			case "OnDeleteActor", "OnActorLookup", "OnActorUpdate":
				if c.TotalMilli() != 0 {
					got = append(got, fmt.Sprintf("%s %d", c.Name, c.TotalMilli()))
				}
			}
		}
		want := []string{"OnDeleteActor -98800000"}
		if nv >= 18 {
			want = []string{"OnActorLookup 500000000", "OnActorUpdate 475000000", "OnActorUpdate 475000000"}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("nv%d: charges %v, want %v", nv, got, want)
		}
	}
}
