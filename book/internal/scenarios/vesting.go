package scenarios

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Vesting: a multisig whose balance unlocks linearly (the genesis
// multisigs' schedule): a 1-of-2 wallet can only spend what has unlocked,
// locked = ceil(initial × remaining / duration) (actors/multisig/src/
// state.rs amount_locked, check_available).
var Vesting = &scenario.Scenario{
	Name:    "vesting",
	Summary: "a vesting multisig spends only its unlocked balance as time passes",
	Run:     runVesting,
}

func runVesting(t *scenario.T) {
	alice, bob := t.W.Accounts[Alice], t.W.Accounts[Bob]
	payee := scenario.NewAccount("payee", keys.Secp256k1("vesting/payee"))
	const duration = abi.ChainEpoch(1000)
	initial := FIL(100)

	t.Group("create")
	start := t.Epoch()
	ctor, err := t.V.MultisigConstructorParams([]address.Address{alice.Addr, bob.Addr}, 1, duration, start)
	t.Must(err, "constructor params")
	exec, err := t.V.ExecParams(t.W.Codes["multisig"], ctor)
	t.Must(err, "exec params")
	r := t.Send("init Exec a vesting multisig", scenario.Msg{From: alice, To: scenario.ID(genesis.InitID), Method: initExec, Params: exec, Value: initial}).OK()
	msig, _, err := t.V.ExecReturn(r.Return())
	t.Must(err, "exec return")
	st := msigState(t, msig)
	t.EqualAmount("initial balance", st.InitialBalance, initial)
	t.Equal("start epoch", st.StartEpoch, start)
	t.Equal("unlock duration", st.UnlockDuration, duration)

	locked := func(elapsed abi.ChainEpoch) abi.TokenAmount {
		if elapsed >= duration {
			return big.Zero()
		}
		num := big.Mul(initial, big.NewInt(int64(duration-elapsed)))
		q, rem := big.Div(num, big.NewInt(int64(duration))), big.Mod(num, big.NewInt(int64(duration)))
		if rem.Sign() > 0 {
			q = big.Add(q, big.NewInt(1))
		}
		return q
	}
	spend := func(name string, amount abi.TokenAmount, want exitcode.ExitCode) {
		p, err := t.V.ProposeParams(payee.Addr, amount, methodSend, nil)
		t.Must(err, "propose params")
		r := t.Send(name, scenario.Msg{From: bob, To: msig, Method: msigPropose, Params: p}).Expect(want)
		if want == exitcode.Ok {
			pr, err := t.V.ProposeReturn(r.Return())
			t.Must(err, "propose return")
			t.Check(pr.Applied && pr.Code == exitcode.Ok, "the spend did not apply: %+v", pr)
		}
	}

	t.Group("early")
	t.AdvanceTo(start + 100)
	// locked(100) = 90 FIL: 10 FIL are spendable.
	t.EqualAmount("locked at 10%", locked(100), FIL(90))
	spend("spend 20 FIL of 10 unlocked", FIL(20), exitcode.ErrInsufficientFunds)
	spend("spend 5 FIL", FIL(5), exitcode.Ok)
	t.EqualAmount("payee", t.Balance(payee.Addr), FIL(5))

	t.Group("late")
	t.AdvanceTo(start + 901)
	// locked(901) = ceil(100 × 99 / 1000) FIL; the rest of the 95 left is spendable.
	avail := big.Sub(t.Balance(msig), locked(901))
	spend("spend one attoFIL more than unlocked", big.Add(avail, big.NewInt(1)), exitcode.ErrInsufficientFunds)
	spend("spend all that is unlocked", avail, exitcode.Ok)
	t.EqualAmount("multisig balance = still locked", t.Balance(msig), locked(901))

	t.Group("unlocked")
	t.AdvanceTo(start + duration)
	spend("spend the rest", locked(901), exitcode.Ok)
	t.EqualAmount("multisig balance", t.Balance(msig), big.Zero())
	t.EqualAmount("payee", t.Balance(payee.Addr), initial)
}
