package kernel

import (
	"errors"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
)

// The sub-limit leak of fvm 3.6.0–4.0.0 (fvm-abi-next.md §7.3,
// fvm-gas-next.md §1.2): a send with an explicit gas limit that fails the
// depth check returns LimitExceeded without popping the limit it pushed.
// Leaky: nv18–20 as 3.14.1 runs them (Rules.DepthLimitLeak). Fixed: the
// rules of nv21 (4.1.0+; 3.0–3.5 behaved the same).
var (
	leakyRules = rules.MustFor(network.Version19)
	fixedRules = rules.MustFor(network.Version21)
)

// callStack is a call manager reduced to its gas tracker and depth, enough
// for callFrame.
func callStack(r *rules.Rules, limit int64, maxFrames int) *callManager {
	return &callManager{rules: r, gas: gas.NewTracker(gas.NewGas(limit)), maxFrames: maxFrames}
}

func isLimitExceeded(err error) bool { n, ok := errno.Of(err); return ok && n == errno.LimitExceeded }

// fvm-gas-next.md §10 example 27: limit 10,000,000, 6,000,000 used; the actor
// in the deepest allowed frame sends with gas_limit 1,000,000, gets
// LimitExceeded, burns 200,000 and the message ends. Fixed: state after the
// error (10,000,000; 6,000,000), receipt 6,200,000. Leaky: (1,000,000; 0),
// receipt 200,000. Burning 1,200,000 instead: fixed 7,200,000 exit 0; leaky
// out of gas with gas_used 1,000,000.
func TestDepthLimitLeakExample27(t *testing.T) {
	for _, c := range []struct {
		name                 string
		r                    *rules.Rules
		burn                 int64
		limitAfter, usedNext int64 // tracker after the failed send
		receipt              int64
		outOfGas             bool
	}{
		{"fixed", fixedRules, 200_000, 10_000_000, 6_000_000, 6_200_000, false},
		{"leaky", leakyRules, 200_000, 1_000_000, 0, 200_000, false},
		{"fixed/1.2M", fixedRules, 1_200_000, 10_000_000, 6_000_000, 7_200_000, false},
		{"leaky/1.2M", leakyRules, 1_200_000, 1_000_000, 0, 1_000_000, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cm := callStack(c.r, 10_000_000, 1)
			cm.depth = 1 // the deepest allowed frame: any send fails the depth check
			if err := cm.gas.ChargeMilli("earlier", gas.NewGas(6_000_000)); err != nil {
				t.Fatal(err)
			}
			limit := gas.NewGas(1_000_000)
			ran := false
			_, err := cm.callFrame(&limit, func() (callResult, error) { ran = true; return callResult{}, nil })
			if !isLimitExceeded(err) || ran {
				t.Fatalf("send: %v (child ran: %v), want LimitExceeded", err, ran)
			}
			if cm.gas.Limit() != gas.NewGas(c.limitAfter) || cm.gas.Used() != gas.NewGas(c.usedNext) {
				t.Fatalf("after the error: (%d; %d) milligas", cm.gas.Limit(), cm.gas.Used())
			}
			err = cm.gas.ChargeMilli("burn", gas.NewGas(c.burn))
			if c.outOfGas != errors.Is(err, gas.ErrOutOfGas) {
				t.Fatalf("burn: %v", err)
			}
			// The executor's receipt reads the current level (fvm-gas-next.md §1.2).
			if got := cm.gas.Used().RoundUp(); got != c.receipt {
				t.Fatalf("receipt gas_used %d, want %d", got, c.receipt)
			}
		})
	}
}

// fvm-gas-next.md §10 example 28, maximum depth 5: 1,000,000 used before the
// top frame runs (limit 10,000,000); every frame uses 10,000, sends with
// gas_limit 5,000,000, then uses 5,000; the frame at depth 5 gets
// LimitExceeded. Fixed: used 1,075,000, no snapshot left. Leaky: used 65,000
// with one snapshot (10,000,000; 1,010,000) left, which the receipt loses.
func TestDepthLimitLeakExample28(t *testing.T) {
	for _, leaky := range []bool{false, true} {
		t.Run(fmt.Sprintf("leaky=%v", leaky), func(t *testing.T) {
			r := fixedRules
			if leaky {
				r = leakyRules
			}
			cm := callStack(r, 10_000_000, 5)
			if err := cm.gas.ChargeMilli("before", gas.NewGas(1_000_000)); err != nil {
				t.Fatal(err)
			}
			failed := 0
			var frame func() (callResult, error)
			frame = func() (callResult, error) {
				if err := cm.gas.ChargeMilli("work", gas.NewGas(10_000)); err != nil {
					return callResult{}, err
				}
				limit := gas.NewGas(5_000_000)
				switch _, err := cm.callFrame(&limit, frame); {
				case isLimitExceeded(err):
					failed++ // a syscall error: the frame goes on
				case err != nil:
					return callResult{}, err
				}
				return callResult{}, cm.gas.ChargeMilli("after", gas.NewGas(5_000))
			}
			if _, err := cm.callFrame(nil, frame); err != nil || failed != 1 || cm.depth != 0 {
				t.Fatalf("message: %v, %d depth failures, depth %d", err, failed, cm.depth)
			}
			if !leaky {
				if cm.gas.Used() != gas.NewGas(1_075_000) || cm.gas.TotalUsed() != cm.gas.Used() {
					t.Fatalf("used %d, total %d milligas", cm.gas.Used(), cm.gas.TotalUsed())
				}
				return
			}
			if cm.gas.Used() != gas.NewGas(65_000) || cm.gas.Limit() != gas.NewGas(5_000_000) {
				t.Fatalf("receipt level (%d; %d) milligas, want (5,000,000; 65,000) gas", cm.gas.Limit(), cm.gas.Used())
			}
			// The snapshot left on the stack is (10,000,000; 1,010,000).
			cm.gas.PopLimit()
			if cm.gas.Limit() != gas.NewGas(10_000_000) || cm.gas.Used() != gas.NewGas(1_010_000+65_000) {
				t.Fatalf("snapshot (%d; %d − 65,000 gas) milligas", cm.gas.Limit(), cm.gas.Used())
			}
		})
	}
}

// The leak in a whole message at the real depth (1024 frames at nv19): an
// actor sends to itself without a limit until the depth check fails, then
// the deepest frame sends with gas_limit 1,000,000 (LimitExceeded again,
// leaking the limit) and burns 300,000. Nothing is charged after that on the
// way out, so the leaky receipt is exactly 300,000 (everything before the
// leaked level is lost); with the fixed rules it is the whole message. If the
// deepest frame burns 1,000,001 instead, the leaked level runs out of gas:
// the enclosing sends see no gas left, so the message ends exit 7 with
// gas_used 1,000,000, not the message's limit.
func TestDepthLimitLeakMessage(t *testing.T) {
	const limit = 5_000_000_000
	for _, c := range []struct {
		name    string
		leaky   bool
		burn    int64
		exit    exitcode.ExitCode
		receipt int64 // 0: more than the frames' invocation charges
	}{
		{"leaky", true, 300_000, 0, 300_000},
		{"fixed", false, 300_000, 0, 0},
		{"leaky/oog", true, 1_000_001, exitcode.SysErrOutOfGas, 1_000_000},
		{"fixed/no-oog", false, 1_000_001, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, network.Version19)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000_000)
			var self uint64
			frames := 0
			a := f.addActor("deep", 0, func(k *invocationKernel, _ uint32) Outcome {
				frames++
				_, err := k.Send(k.ctx, idAddr(k.receiver), 2, 0, big.Zero(), nil, 0)
				switch {
				case errors.Is(err, gas.ErrOutOfGas):
					return Outcome{Kind: OutOfGas}
				case err == nil:
					return Outcome{Kind: Returned}
				case !isLimitExceeded(err):
					return Outcome{Kind: Fatal, Err: err}
				}
				// The deepest frame.
				l := uint64(1_000_000)
				if _, err := k.Send(k.ctx, idAddr(k.receiver), 2, 0, big.Zero(), &l, 0); !isLimitExceeded(err) {
					return Outcome{Kind: Fatal, Err: fmt.Errorf("limited send: %v", err)}
				}
				if err := k.ChargeGas("burn", c.burn); err != nil {
					return Outcome{Kind: OutOfGas}
				}
				return Outcome{Kind: Returned}
			})
			self = uint64(a)
			m := f.machine()
			if !c.leaky {
				r := *m.rules
				r.DepthLimitLeak = false
				m.rules = &r
			}
			msg := baseMsg(sender, idAddr(a))
			msg.Method = 2
			msg.GasLimit = limit
			msg.GasFeeCap = big.NewInt(1)
			msg.GasPremium = big.NewInt(1)
			ret := apply(t, m, msg)
			if ret.Receipt.ExitCode != c.exit || frames != 1024 {
				t.Fatalf("actor %d: exit %d after %d frames (%s)", self, ret.Receipt.ExitCode, frames, ret.FailureInfo)
			}
			switch {
			case c.receipt != 0 && ret.Receipt.GasUsed != c.receipt:
				t.Fatalf("gas_used %d, want %d", ret.Receipt.GasUsed, c.receipt)
			case c.receipt == 0 && ret.Receipt.GasUsed <= 1024*75_000:
				t.Fatalf("gas_used %d lost the frames' charges", ret.Receipt.GasUsed)
			}
		})
	}
}
