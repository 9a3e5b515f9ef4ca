package kernel

import (
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// self_destruct(burn_funds) of FVM v4 (Rules.SelfDestructBurn,
// fvm-abi-next.md §3.3, §12 item 12): a balance without burn is
// IllegalOperation and changes nothing; with burn the balance moves to f099
// and the actor is deleted; a second call on the deleted actor succeeds and
// does nothing; a failure of the burn's transfer — here running out of gas
// on the actor's first update (475,000 gas) — is fatal, not out of gas.
func TestSelfDestructBurn(t *testing.T) {
	for _, c := range []struct {
		name    string
		balance int64
		run     func(k *invocationKernel) []error
		want    []string // per call: "ok", an errno name, or "fatal"
		exit    uint32
		gone    bool
		burnt   int64
	}{
		{"unspent", 5, func(k *invocationKernel) []error { return []error{k.SelfDestructBurn(false)} },
			[]string{"IllegalOperation"}, 0, false, 0},
		{"burn", 5, func(k *invocationKernel) []error {
			return []error{k.SelfDestructBurn(true), k.SelfDestructBurn(true), k.SelfDestructBurn(false)}
		}, []string{"ok", "ok", "ok"}, 0, true, 5},
		{"no-balance", 0, func(k *invocationKernel) []error { return []error{k.SelfDestructBurn(false)} },
			[]string{"ok"}, 0, true, 0},
		{"burn-out-of-gas", 5, func(k *invocationKernel) []error {
			// Leave 100,000 gas: enough for OnDeleteActor (0) and the balance
			// read, not for the transfer's update of this actor.
			left := k.cm.gas.Available() - gas.NewGas(100_000)
			if err := k.cm.charge(gas.Charge{Name: "burn", Compute: left}); err != nil {
				return []error{err}
			}
			return []error{k.SelfDestructBurn(true)}
		}, []string{"fatal"}, 10, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, network.Version21)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var errs []error
			id := f.addActor("multisig", c.balance, func(k *invocationKernel, _ uint32) Outcome {
				errs = c.run(k)
				for _, err := range errs {
					if err != nil && errors.Is(err, errFatal) {
						return Outcome{Kind: Fatal, Err: err}
					}
				}
				return Outcome{Kind: Returned}
			})
			m := f.machine()
			before := actorOf(t, m, burntFundsActorID).Balance
			msg := baseMsg(sender, idAddr(id))
			msg.Method, msg.GasLimit = 2, 100_000_000
			ret := apply(t, m, msg)
			if uint32(ret.Receipt.ExitCode) != c.exit {
				t.Fatalf("exit %d, want %d (%s)", ret.Receipt.ExitCode, c.exit, ret.FailureInfo)
			}
			if c.exit == 10 && ret.Receipt.GasUsed != msg.GasLimit {
				t.Errorf("gas used %d, want the limit", ret.Receipt.GasUsed)
			}
			if len(errs) != len(c.want) {
				t.Fatalf("%d results, want %d", len(errs), len(c.want))
			}
			for i, err := range errs {
				got := "ok"
				if n, ok := errno.Of(err); ok {
					got = n.String()
				} else if err != nil && errors.Is(err, errFatal) && !errors.Is(err, gas.ErrOutOfGas) {
					got = "fatal"
				} else if err != nil {
					got = err.Error()
				}
				if got != c.want[i] {
					t.Errorf("call %d: %s, want %s", i, got, c.want[i])
				}
			}
			if c.exit != 0 {
				return
			}
			a := actorOf(t, m, id)
			if (a == nil) != c.gone {
				t.Errorf("actor deleted = %v, want %v", a == nil, c.gone)
			}
			burns := ret.BaseFeeBurn.Int64() + ret.OverEstimationBurn.Int64()
			if got := actorOf(t, m, burntFundsActorID).Balance.Int64() - before.Int64() - burns; got != c.burnt {
				t.Errorf("f099 received %d attoFIL besides the gas burns, want %d", got, c.burnt)
			}
		})
	}
}
