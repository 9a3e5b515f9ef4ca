package kernel_test

import (
	"bytes"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
)

// A failed call reverts its state changes (fvm-abi.md §6.6): a top-level
// exit 20 keeps the value with the sender, and a callee's exit 20 inside a
// nested send gives its incoming value back to the caller.
func TestIntegrationRevert(t *testing.T) {
	for _, nv := range bothNVs {
		w := newWorld(t, nv, compilerEngine)
		t1 := idAddr(testactors.Tester1ID)
		ret := w.apply(w.msg(w.g.Alice, t1, testactors.MethodExit, 10, testactors.Params{Code: 20}.Encode(), 1_000_000_000))
		if ret.Receipt.ExitCode != 20 {
			t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
		}
		if b := w.actor(testactors.Tester1ID).Balance; !b.Equals(testactors.TesterBalance) {
			t.Errorf("nv%d: tester1 balance %s after a reverted top-level transfer", nv, b)
		}
		p := testactors.Params{A: testactors.MethodExit, B: 5, Code: 20, To: idAddr(testactors.Tester2ID)}
		ret = w.apply(w.msg(w.g.Alice, t1, testactors.MethodSend, 0, p.Encode(), 1_000_000_000))
		if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, testactors.Result(20, 0)) {
			t.Fatalf("nv%d: exit %d return %x", nv, ret.Receipt.ExitCode, ret.Receipt.Return)
		}
		for _, id := range []uint64{uint64(testactors.Tester1ID), uint64(testactors.Tester2ID)} {
			if b := w.actor(abiID(id)).Balance; !b.Equals(testactors.TesterBalance) {
				t.Errorf("nv%d: actor %d balance %s after a reverted nested transfer", nv, id, b)
			}
		}
		// The successful nested transfer moves the value.
		p.A = testactors.MethodReturn
		if ret = w.apply(w.msg(w.g.Alice, t1, testactors.MethodSend, 0, p.Encode(), 1_000_000_000)); ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
		}
		if b := w.actor(testactors.Tester2ID).Balance; !b.Equals(big.Add(testactors.TesterBalance, big.NewInt(5))) {
			t.Errorf("nv%d: tester2 balance %s, want +5", nv, b)
		}
	}
}

// Sends to unknown f1/f3 addresses create account actors with the init
// actor's next id (fvm-abi.md §6.2, §6.7), at top level and inside a call;
// the tester (nv17) and the init actor (both) create actors with
// create_actor (fvm-abi.md §3.2).
func TestIntegrationCreation(t *testing.T) {
	for _, nv := range bothNVs {
		w := newWorld(t, nv, compilerEngine)
		acct := w.g.Bundle.Codes[testactors.Account]
		f1, f1b := testactors.KeyAddress(50), testactors.KeyAddress(51)
		if ret := w.apply(w.msg(w.g.Alice, f1, 0, 1000, nil, 1_000_000_000)); ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
		}
		p := testactors.Params{A: 0, B: 7, To: f1b}
		if ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodSend, 0, p.Encode(), 1_000_000_000)); ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
		}
		for i, a := range []struct {
			want uint64
			bal  int64
		}{{uint64(w.g.NextID()), 1000}, {uint64(w.g.NextID()) + 1, 7}} {
			addr := f1
			if i == 1 {
				addr = f1b
			}
			id, ok := w.lookup(addr)
			if !ok || uint64(id) != a.want {
				t.Fatalf("nv%d: %s → %d (%v), want %d", nv, addr, id, ok, a.want)
			}
			act := w.actor(id)
			if act == nil || act.Code != acct || !act.Balance.Equals(big.NewInt(a.bal)) {
				t.Fatalf("nv%d: actor %d = %+v, want an account with %d", nv, id, act, a.bal)
			}
		}
		p = testactors.Params{A: 500, B: uint32(w.g.Bundle.Types[testactors.Account])}
		if ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.InitID), testactors.MethodCreate, 0, p.Encode(), 1_000_000_000)); !bytes.Equal(ret.Receipt.Return, testactors.Result(0, 0)) {
			t.Fatalf("nv%d: create through init: exit %d return %x", nv, ret.Receipt.ExitCode, ret.Receipt.Return)
		}
		if act := w.actor(500); act == nil || act.Code != acct {
			t.Fatalf("nv%d: actor 500 = %+v, want an account", nv, act)
		}
		// Creating over an existing actor is Forbidden (11) in both versions.
		if ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.InitID), testactors.MethodCreate, 0, p.Encode(), 1_000_000_000)); !bytes.Equal(ret.Receipt.Return, testactors.Result(11, 0)) {
			t.Fatalf("nv%d: second create: exit %d return %x", nv, ret.Receipt.ExitCode, ret.Receipt.Return)
		}
	}
}

// Implicit messages (fvm-abi.md §7.5): no inclusion charge, no nonce or
// balance checks, no fee transfers. Gas for the noop account method by hand:
// nv17 OnMethodInvocation 23,856 + 60 exec = 23,916; nv18 75,000 + memory
// init 26,214.4 + 60 = 101,274.4 → 101,275. An unknown sender is exit 1.
func TestIntegrationImplicit(t *testing.T) {
	for _, nv := range bothNVs {
		for _, k := range engineKinds {
			w := newWorld(t, nv, k)
			sys := idAddr(testactors.SystemID)
			m := &kernel.Message{From: sys, To: idAddr(testactors.BobID), Nonce: 99, Method: 2, Value: big.Zero(),
				GasLimit: kernel.ImplicitGasLimit, GasFeeCap: big.Zero(), GasPremium: big.Zero()}
			ret := w.implicit(m)
			want := int64(23_916)
			if nv == network.Version18 {
				want = 101_275
			}
			if ret.Receipt.ExitCode != 0 || ret.Receipt.GasUsed != want {
				t.Errorf("nv%d %s: exit %d gas %d, want 0 and %d", nv, k, ret.Receipt.ExitCode, ret.Receipt.GasUsed, want)
			}
			if !ret.BaseFeeBurn.IsZero() || !ret.MinerTip.IsZero() || !ret.Refund.IsZero() {
				t.Errorf("nv%d %s: implicit message has gas outputs %+v", nv, k, ret.GasOutputs)
			}
			m.To, m.Method = idAddr(testactors.Tester1ID), testactors.MethodReturn
			if ret = w.implicit(m); ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, testactors.ReturnABC) {
				t.Errorf("nv%d %s: tester return: exit %d %x", nv, k, ret.Receipt.ExitCode, ret.Receipt.Return)
			}
			for _, id := range []uint64{0, 2, 99} {
				if a := w.actor(abiID(id)); a.Nonce != 0 || !a.Balance.IsZero() {
					t.Errorf("nv%d %s: actor %d changed: %+v", nv, k, id, a)
				}
			}
			// A fatal error (nv18 vm.exit with an unknown block) reports the
			// whole implicit gas limit (fvm-abi.md §7.5); nv17 aborts with 20.
			m.Method, m.Params = testactors.MethodExitBadBlk, testactors.Params{Code: 20}.Encode()
			ret = w.implicit(m)
			if nv == network.Version18 && (ret.Receipt.ExitCode != 10 || ret.Receipt.GasUsed != kernel.ImplicitGasLimit) {
				t.Errorf("nv18 %s: implicit fatal: exit %d gas %d, want 10 and %d", k, ret.Receipt.ExitCode, ret.Receipt.GasUsed, int64(kernel.ImplicitGasLimit))
			}
			if nv == network.Version17 && ret.Receipt.ExitCode != 20 {
				t.Errorf("nv17 %s: implicit abort: exit %d, want 20", k, ret.Receipt.ExitCode)
			}
			m.Params = nil
			m.From = testactors.KeyAddress(99)
			if ret = w.implicit(m); ret.Receipt.ExitCode != exitcode.SysErrSenderInvalid || ret.Receipt.GasUsed != 0 {
				t.Errorf("nv%d %s: unknown implicit sender: exit %d gas %d", nv, k, ret.Receipt.ExitCode, ret.Receipt.GasUsed)
			}
			w.followUp()
		}
	}
}

// Events (nv18, fvm-abi.md §6.12): an emitted event gives a receipt events
// root and one stamped event whose emitter is the actor; an event emitted in
// a call that then fails is dropped with it.
func TestIntegrationEvents(t *testing.T) {
	w := newWorld(t, network.Version18, compilerEngine)
	t1 := idAddr(testactors.Tester1ID)
	ret := w.apply(w.msg(w.g.Alice, t1, testactors.MethodEvent, 0, nil, 1_000_000_000))
	if ret.Receipt.EventsRoot == nil || len(ret.Events) != 1 {
		t.Fatalf("events root %v, %d events", ret.Receipt.EventsRoot, len(ret.Events))
	}
	// StampedEvent [emitter 103, [[3, "k", 0x55, "v"]]]
	want := []byte{0x82, 0x18, 103, 0x81, 0x84, 0x03, 0x61, 'k', 0x18, 0x55, 0x41, 'v'}
	if !bytes.Equal(ret.Events[0], want) {
		t.Errorf("event %x, want %x", ret.Events[0], want)
	}
	// Nested: tester1 → tester2 method 14 succeeds: one event, emitter 104.
	p := testactors.Params{A: testactors.MethodEvent, To: idAddr(testactors.Tester2ID)}
	ret = w.apply(w.msg(w.g.Alice, t1, testactors.MethodSend, 0, p.Encode(), 1_000_000_000))
	if ret.Receipt.EventsRoot == nil || len(ret.Events) != 1 || ret.Events[0][2] != 104 {
		t.Fatalf("nested: events root %v, events %x", ret.Receipt.EventsRoot, ret.Events)
	}
	// A message without events has none (events_root null).
	ret = w.apply(w.msg(w.g.Alice, t1, testactors.MethodReturn, 0, nil, 1_000_000_000))
	if ret.Receipt.EventsRoot != nil || len(ret.Events) != 0 {
		t.Fatalf("no-event message: root %v", ret.Receipt.EventsRoot)
	}
}

// Delegated addresses at nv18: a send to an unknown f410 creates a
// placeholder holding that address (no constructor, fvm-abi.md §6.2), and a
// nonce-0 placeholder with an EAM address that sends a message becomes an
// ethaccount in preflight (§7.1 step 6).
func TestIntegrationDelegated(t *testing.T) {
	w := newWorld(t, network.Version18, compilerEngine)
	codes := w.g.Bundle.Codes
	f4 := testactors.EthAddress(60)
	if ret := w.apply(w.msg(w.g.Alice, f4, 0, 1000, nil, 1_000_000_000)); ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
	}
	id, ok := w.lookup(f4)
	if !ok || id != w.g.NextID() {
		t.Fatalf("%s → %d (%v), want %d", f4, id, ok, w.g.NextID())
	}
	a := w.actor(id)
	if a.Code != codes[testactors.Placeholder] || a.DelegatedAddress == nil || *a.DelegatedAddress != f4 ||
		!a.Balance.Equals(big.NewInt(1000)) || a.Nonce != 0 {
		t.Fatalf("new f4 actor %+v", a)
	}
	if got := w.actor(testactors.PlaceholderID).Code; got != codes[testactors.Placeholder] {
		t.Fatalf("genesis placeholder code %s", got)
	}
	if ret := w.apply(w.msg(w.g.Delegated, idAddr(testactors.BobID), 0, 1, nil, 1_000_000_000)); ret.Receipt.ExitCode != 0 {
		t.Fatalf("placeholder sender: exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
	}
	if a := w.actor(testactors.PlaceholderID); a.Code != codes[testactors.EthAccount] || a.Nonce != 1 {
		t.Fatalf("placeholder after sending: code %s nonce %d, want ethaccount and 1", a.Code, a.Nonce)
	}
}
