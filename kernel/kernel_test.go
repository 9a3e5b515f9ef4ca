package kernel

import (
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
)

// Implicit messages (§7.5): no inclusion charge, no nonce or balance
// checks, no fee transfers. A method-0 zero-value send from the system
// actor to f099 costs 29,233 in nv17 (OnMethodInvocation) and 0 in nv18
// (no invocation charge for method 0, both actors preloaded).
func TestImplicitMessage(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		m := f.machine()
		msg := &Message{From: idAddr(systemActorID), To: idAddr(burntFundsActorID), Value: big.Zero(),
			GasLimit: ImplicitGasLimit, GasFeeCap: big.Zero(), GasPremium: big.Zero(), Nonce: 77}
		ret, err := NewExecutor(m).ApplyImplicitMessage(context.Background(), msg)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(29_233)
		if nv == network.Version18 {
			want = 0
		}
		if ret.Receipt.ExitCode != 0 || ret.Receipt.GasUsed != want {
			t.Errorf("nv%d: receipt {exit %d gas %d}, want {0 %d}", nv, ret.Receipt.ExitCode, ret.Receipt.GasUsed, want)
		}
		if !ret.BaseFeeBurn.IsZero() || !ret.Refund.IsZero() || !ret.MinerTip.IsZero() {
			t.Errorf("nv%d: implicit messages have no gas outputs", nv)
		}
		if a := actorOf(t, m, systemActorID); a.Nonce != 0 {
			t.Errorf("nv%d: implicit message changed the nonce", nv)
		}
		if a := actorOf(t, m, burntFundsActorID); !a.Balance.IsZero() {
			t.Errorf("nv%d: burnt funds received %s", nv, a.Balance)
		}
	}
}

// v3 sub-call gas limits (§6.5): a child that runs out of its own limit
// returns exit 7 to a caller that still has gas, and the whole limit is
// consumed. Here the child's first charge (OnActorLookup, 500,000) already
// exceeds its 100,000 limit. Gas by hand: 690,663 (inclusion) + 75,000 +
// 445,644.8 (invoking A) + 100,000 (the child's limit) = 1,311,307.8 →
// 1,311,308.
func TestSubCallGasLimit(t *testing.T) {
	f := newFixture(t, network.Version18)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	bRan := false
	b := f.addActor("child", 0, func(*invocationKernel, uint32) Outcome {
		bRan = true
		return Outcome{Kind: Returned}
	})
	var seen syscalls.SendResult
	var sendErr error
	a := f.addActor("parent", 0, func(k *invocationKernel, _ uint32) Outcome {
		limit := uint64(100_000)
		seen, sendErr = k.Send(context.Background(), idAddr(b), 2, 0, big.Zero(), &limit, 0)
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 10_000_000
	ret := apply(t, m, msg)
	if sendErr != nil || seen.ExitCode != uint32(exitcode.SysErrOutOfGas) || bRan {
		t.Errorf("send = %+v, %v (child ran: %v), want exit 7", seen, sendErr, bRan)
	}
	if ret.Receipt.ExitCode != 0 || ret.Receipt.GasUsed != 1_311_308 {
		t.Errorf("receipt {exit %d gas %d}, want {0 1311308} (%s)", ret.Receipt.ExitCode, ret.Receipt.GasUsed, ret.FailureInfo)
	}
}

// Read-only sends (§6.4): mutations fail with ReadOnly, the flag is visible
// in the message context, and a read-only send cannot carry value.
func TestReadOnly(t *testing.T) {
	f := newFixture(t, network.Version18)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	var rootErr, destructErr, eventErr error
	var flags syscalls.SendFlags
	b := f.addActor("child", 0, func(k *invocationKernel, _ uint32) Outcome {
		rootErr = k.SetRoot(f.empty)
		destructErr = k.SelfDestruct(idAddr(burntFundsActorID))
		eventErr = k.EmitEvent([]byte{0x80})
		mc, _ := k.MessageContext()
		flags = mc.Flags
		return Outcome{Kind: Returned}
	})
	var valueErr error
	a := f.addActor("parent", 1000, func(k *invocationKernel, _ uint32) Outcome {
		if _, err := k.Send(context.Background(), idAddr(b), 2, 0, big.Zero(), nil, syscalls.ReadOnly); err != nil {
			return Outcome{Kind: Fatal, Err: err}
		}
		_, valueErr = k.Send(context.Background(), idAddr(b), 2, 0, big.NewInt(1), nil, syscalls.ReadOnly)
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 20_000_000
	if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
	}
	for name, err := range map[string]error{"set_root": rootErr, "self_destruct": destructErr,
		"emit_event": eventErr, "send with value": valueErr} {
		if n, ok := errno.Of(err); !ok || n != errno.ReadOnly {
			t.Errorf("%s: err = %v, want ReadOnly", name, err)
		}
	}
	if flags != syscalls.ReadOnly {
		t.Errorf("message context flags = %d, want 1", flags)
	}
}

// Events (§6.12): the receipt carries an events root only when events
// survive; a failed message has none. The stamped event is
// [emitter, [[flags, key, codec, value]]].
func TestEvents(t *testing.T) {
	// [[3, "k", 0x55, h'76']]
	raw := []byte{0x81, 0x84, 0x03, 0x61, 'k', 0x18, 0x55, 0x41, 'v'}
	for _, abort := range []bool{false, true} {
		f := newFixture(t, network.Version18)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000)
		a := f.addActor("emitter", 0, func(k *invocationKernel, _ uint32) Outcome {
			if err := k.EmitEvent(raw); err != nil {
				return Outcome{Kind: Fatal, Err: err}
			}
			if abort {
				return Outcome{Kind: Aborted, Code: 16}
			}
			return Outcome{Kind: Returned}
		})
		m := f.machine()
		msg := baseMsg(sender, idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		ret := apply(t, m, msg)
		if abort {
			if ret.Receipt.EventsRoot != nil || len(ret.Events) != 0 {
				t.Errorf("a failed message kept its events")
			}
			continue
		}
		if ret.Receipt.EventsRoot == nil || len(ret.Events) != 1 {
			t.Fatalf("events root %v, %d events (%s)", ret.Receipt.EventsRoot, len(ret.Events), ret.FailureInfo)
		}
		want := append([]byte{0x82, 0x18, byte(a)}, raw...)
		if !bytes.Equal(ret.Events[0], want) {
			t.Errorf("stamped event %x, want %x", ret.Events[0], want)
		}
		// The AMT by hand: root [bit_width 5, height 0, count 1, node], node
		// [bitmap (2^5 bits = 4 bytes, bit 0 set), links [], values [event]],
		// stored as DAG-CBOR blake2b-256.
		amtRoot := append([]byte{0x84, 0x05, 0x00, 0x01, 0x83, 0x44, 0x01, 0x00, 0x00, 0x00, 0x80, 0x81}, want...)
		wantRoot, _ := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum(amtRoot)
		if *ret.Receipt.EventsRoot != wantRoot {
			t.Errorf("events root %s, want %s", ret.Receipt.EventsRoot, wantRoot)
		}
		var buf bytes.Buffer
		if err := ret.Receipt.MarshalCBOR(&buf); err != nil || buf.Bytes()[0] != 0x84 {
			t.Errorf("nv18 receipt is not a 4-tuple")
		}
	}
}

// Event validation order (§3.2 event): codec ≠ raw is IllegalCodec, a key
// over 32 bytes or malformed CBOR is IllegalArgument.
func TestEmitEventValidation(t *testing.T) {
	long := bytes.Repeat([]byte{'a'}, 33)
	cases := []struct {
		name string
		raw  []byte
		want errno.Number
	}{
		{"bad codec", []byte{0x81, 0x84, 0x00, 0x61, 'k', 0x18, 0x71, 0x41, 'v'}, errno.IllegalCodec},
		{"long key", append(append([]byte{0x81, 0x84, 0x00, 0x78, 33}, long...), 0x18, 0x55, 0x40), errno.IllegalArgument},
		{"not cbor", []byte{0xff}, errno.IllegalArgument},
		{"trailing bytes", []byte{0x80, 0x00}, errno.IllegalArgument},
	}
	for _, c := range cases {
		f := newFixture(t, network.Version18)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000)
		var got error
		a := f.addActor("emitter", 0, func(k *invocationKernel, _ uint32) Outcome {
			got = k.EmitEvent(c.raw)
			return Outcome{Kind: Returned}
		})
		m := f.machine()
		msg := baseMsg(sender, idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		apply(t, m, msg)
		if n, ok := errno.Of(got); !ok || n != c.want {
			t.Errorf("%s: err = %v, want %v", c.name, got, c.want)
		}
	}
}

// Self-destruct (§6.9): the balance goes to the beneficiary, the actor is
// deleted, and its root is then IllegalOperation; nv17 refunds 98,800 gas.
func TestSelfDestruct(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000)
		var rootErr error
		a := f.addActor("doomed", 1000, func(k *invocationKernel, _ uint32) Outcome {
			if err := k.SelfDestruct(idAddr(burntFundsActorID)); err != nil {
				return Outcome{Kind: Fatal, Err: err}
			}
			_, rootErr = k.Root()
			return Outcome{Kind: Returned}
		})
		m := f.machine()
		msg := baseMsg(sender, idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		ret := apply(t, m, msg)
		if ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: exit %d (%s)", nv, ret.Receipt.ExitCode, ret.FailureInfo)
		}
		if n, ok := errno.Of(rootErr); !ok || n != errno.IllegalOperation {
			t.Errorf("nv%d: root after self-destruct: %v", nv, rootErr)
		}
		if actorOf(t, m, a) != nil {
			t.Errorf("nv%d: actor still exists", nv)
		}
		burnt := actorOf(t, m, burntFundsActorID).Balance
		if want := big.Add(big.Add(ret.BaseFeeBurn, ret.OverEstimationBurn), big.NewInt(1000)); !burnt.Equals(want) {
			t.Errorf("nv%d: burnt funds %s, want %s", nv, burnt, want)
		}
		if nv == network.Version17 {
			// 215,663 + 23,856 (invocation) − 98,800 (refund) = 140,719
			if ret.Receipt.GasUsed != 140_719 {
				t.Errorf("nv17 gas %d, want 140,719", ret.Receipt.GasUsed)
			}
		}
	}
}

// Many events make a multi-level AMT (bit width 5: 32 per leaf); the root is
// still built over the discarding store.
func TestManyEvents(t *testing.T) {
	raw := []byte{0x81, 0x84, 0x03, 0x61, 'k', 0x18, 0x55, 0x41, 'v'}
	f := newFixture(t, network.Version18)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	a := f.addActor("emitter", 0, func(k *invocationKernel, _ uint32) Outcome {
		for i := 0; i < 40; i++ {
			if err := k.EmitEvent(raw); err != nil {
				return Outcome{Kind: Fatal, Err: err}
			}
		}
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 10_000_000
	ret := apply(t, m, msg)
	if ret.Receipt.ExitCode != 0 || ret.Receipt.EventsRoot == nil || len(ret.Events) != 40 {
		t.Fatalf("exit %d, root %v, %d events (%s)", ret.Receipt.ExitCode, ret.Receipt.EventsRoot, len(ret.Events), ret.FailureInfo)
	}
}
