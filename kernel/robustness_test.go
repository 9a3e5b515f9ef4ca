package kernel

import (
	"context"
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
)

// A fatal error fails the message with exit 10 and all gas, reverts its
// state changes (but not the nonce and pre-payment), and the machine keeps
// working; a Go panic inside execution is an error for the client with the
// message fully undone.
func TestFatalAndPanicLeaveMachineUsable(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		sender := secpAddr(t, 1)
		sid := f.addAccount(sender, 1_000_000_000_000)
		root := codeCID(t, "changed")
		fatal := f.addActor("fatal", 0, func(k *invocationKernel, _ uint32) Outcome {
			_ = k.SetRoot(root)
			return Outcome{Kind: Fatal, Err: errors.New("boom")}
		})
		panics := f.addActor("panics", 0, func(k *invocationKernel, _ uint32) Outcome {
			_ = k.SetRoot(root)
			panic("actor bug")
		})
		m := f.machine()
		e := NewExecutor(m)
		ctx := context.Background()

		msg := baseMsg(sender, idAddr(fatal))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		ret, err := e.ApplyMessage(ctx, msg, chainLen)
		if err != nil || ret.Receipt.ExitCode != exitAssertionFailed || ret.Receipt.GasUsed != msg.GasLimit {
			t.Fatalf("nv%d fatal: %v %+v", nv, err, ret)
		}
		if actorOf(t, m, fatal).Head == root {
			t.Errorf("nv%d: fatal message kept its state change", nv)
		}

		before := flushRoot(t, m)
		msg = baseMsg(sender, idAddr(panics))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		msg.Nonce = 1
		if _, err := e.ApplyMessage(ctx, msg, chainLen); err == nil {
			t.Errorf("nv%d: a panic must reach the client as an error", nv)
		}
		if after := flushRoot(t, m); after != before {
			t.Errorf("nv%d: a panicking message changed the state", nv)
		}

		msg = baseMsg(sender, idAddr(burntFundsActorID))
		msg.GasLimit = 10_000_000
		msg.Nonce = 1 // the panicking message left no trace, nonce included
		if ret, err := e.ApplyMessage(ctx, msg, chainLen); err != nil || ret.Receipt.ExitCode != 0 {
			t.Fatalf("nv%d: machine unusable after failures: %v %+v", nv, err, ret)
		}
		if a := actorOf(t, m, sid); a.Nonce != 2 {
			t.Errorf("nv%d: nonce %d, want 2", nv, a.Nonce)
		}
	}
}

// FuzzApplyMessage feeds arbitrary message bytes to a machine: decoding
// fails or the executor answers (receipt or error); it never panics, and
// the machine stays usable.
func FuzzApplyMessage(f *testing.F) {
	seed := baseMsg(idAddr(100), idAddr(99))
	b, _ := seed.Bytes()
	f.Add(b, uint16(chainLen), false)
	f.Add(b, uint16(0), true)
	f.Fuzz(func(t *testing.T, data []byte, l uint16, v3 bool) {
		msg, err := DecodeMessage(data)
		if err != nil {
			return
		}
		nv := network.Version17
		if v3 {
			nv = network.Version18
		}
		fx := newFixture(t, nv)
		fx.addAccount(secpAddr(t, 1), 1_000_000_000_000)
		m := fx.machine()
		if msg.Value.Int == nil {
			msg.Value = big.Zero()
		}
		_, _ = NewExecutor(m).ApplyMessage(context.Background(), msg, int(l))
		if _, err := m.Flush(context.Background()); err != nil {
			t.Fatalf("flush after a fuzzed message: %v", err)
		}
	})
}
