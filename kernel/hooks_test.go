package kernel

import (
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/tracing"
)

// Tracing hooks see every call closed exactly once, and the gas charges
// they see add up to the receipt's gas_used.
func TestHooks(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000)
		b := f.addActor("callee", 0, func(*invocationKernel, uint32) Outcome { return Outcome{Kind: Aborted, Code: 18} })
		a := f.addActor("caller", 0, func(k *invocationKernel, _ uint32) Outcome {
			_, _ = k.Send(context.Background(), idAddr(b), 2, 0, big.Zero(), nil, 0)
			_, _ = k.Send(context.Background(), idAddr(4242), 2, 0, big.Zero(), nil, 0) // NotFound
			return Outcome{Kind: Returned}
		})
		var calls, returns, errs, starts, ends, invokes int
		var total gas.Gas
		h := &tracing.Hooks{
			OnMessageStart: func(tracing.MessageStart) { starts++ },
			OnMessageEnd:   func(tracing.MessageEnd) { ends++ },
			OnCall:         func(tracing.Call) { calls++ },
			OnCallReturn:   func(tracing.CallReturn) { returns++ },
			OnCallError:    func(tracing.CallError) { errs++ },
			OnInvokeActor:  func(tracing.InvokeActor) { invokes++ },
			OnGasCharge:    func(c tracing.GasCharge) { total = total.Add(gas.Milli(c.TotalMilli())) },
		}
		m := f.machine(WithHooks(h))
		msg := baseMsg(sender, idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		ret := apply(t, m, msg)
		if starts != 1 || ends != 1 || calls != 3 || returns != 2 || errs != 1 || invokes != 2 {
			t.Errorf("nv%d: start %d end %d call %d return %d error %d invoke %d; want 1 1 3 2 1 2",
				nv, starts, ends, calls, returns, errs, invokes)
		}
		if total.RoundUp() != ret.Receipt.GasUsed {
			t.Errorf("nv%d: charges sum to %d gas, receipt says %d", nv, total.RoundUp(), ret.Receipt.GasUsed)
		}
	}
}
