package kernel

import (
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
)

// BenchmarkApplyMethodZero applies value transfers on one machine: the
// executor, preflight, gas outputs and state-tree cache without wasm.
func BenchmarkApplyMethodZero(b *testing.B) {
	for _, nv := range bothVersions {
		b.Run(fmt.Sprintf("nv%d", nv), func(b *testing.B) {
			f := newFixture(b, nv)
			sender := secpAddr(b, 1)
			f.addAccount(sender, 1_000_000_000_000_000)
			rid := f.addAccount(secpAddr(b, 2), 0)
			m := f.machine()
			e := NewExecutor(m)
			msg := baseMsg(sender, idAddr(rid))
			msg.GasLimit = 2_000_000
			msg.Value = big.NewInt(1)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				msg.Nonce = uint64(i)
				ret, err := e.ApplyMessage(context.Background(), msg, chainLen)
				if err != nil || ret.Receipt.ExitCode != 0 {
					b.Fatalf("%v %+v", err, ret)
				}
			}
		})
	}
}

// BenchmarkApplyNestedCalls measures the call manager: a Go actor that
// sends to a second one, per message.
func BenchmarkApplyNestedCalls(b *testing.B) {
	f := newFixture(b, 18)
	sender := secpAddr(b, 1)
	f.addAccount(sender, 1_000_000_000_000_000)
	leaf := f.addActor("leaf", 0, func(*invocationKernel, uint32) Outcome { return Outcome{Kind: Returned} })
	top := f.addActor("top", 0, func(k *invocationKernel, _ uint32) Outcome {
		if _, err := k.Send(context.Background(), idAddr(leaf), 2, 0, big.Zero(), nil, 0); err != nil {
			return Outcome{Kind: Fatal, Err: err}
		}
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	e := NewExecutor(m)
	msg := baseMsg(sender, idAddr(top))
	msg.Method = 2
	msg.GasLimit = 10_000_000
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		msg.Nonce = uint64(i)
		if ret, err := e.ApplyMessage(context.Background(), msg, chainLen); err != nil || ret.Receipt.ExitCode != 0 {
			b.Fatalf("%v %+v", err, ret)
		}
	}
}
