package scenarios

import (
	"errors"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/kernel"
)

// Sends: value sends that create f1 and f3 accounts (and, from actors v10,
// an f410 placeholder), transfers between them, and the refusals of the
// executor's preflight and of the top-level send (fvm-abi.md §7.1, §7.3).
var Sends = &scenario.Scenario{
	Name:    "sends",
	Summary: "value sends creating f1/f3/f4 accounts, transfers, preflight and send refusals",
	Run:     runSends,
}

// newAccountAt checks that a send of value to a's key address created an
// account actor with that address at the init actor's next id.
func createAccount(t *scenario.T, from *scenario.Account, to *scenario.Account, value abi.TokenAmount) {
	initBefore := initState(t)
	fromBefore := t.Balance(from.Addr)
	nonceBefore := t.Nonce(from.Addr)
	r := t.Send("send to a new "+to.Addr.String()[:2]+" address", scenario.Msg{From: from, To: to.Addr, Value: value}).OK()
	id, ok := t.Lookup(to.Addr)
	t.Check(ok, "no actor for %s", to.Addr)
	t.Equal("new account id", id, initBefore.NextID)
	t.Equal("init next id", initState(t).NextID, initBefore.NextID+1)
	t.CodeIs(to.Addr, "account")
	t.EqualAmount("new account balance", t.Balance(to.Addr), value)
	if t.V != nil {
		a, err := t.V.AccountAddress(t.Ctx, t.C.CborStore(), t.Head(to.Addr))
		t.Must(err, "account state")
		t.Equal("account state address", a, to.Addr)
	}
	t.EqualAmount("sender balance", t.Balance(from.Addr), big.Sub(fromBefore, big.Add(value, r.Fee)))
	t.Equal("sender nonce", t.Nonce(from.Addr), nonceBefore+1)
	to.ID = id
}

func initState(t *scenario.T) *initView {
	st, err := t.V.InitState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.InitID)))
	t.Must(err, "init state")
	return &initView{NextID: st.NextID}
}

type initView struct{ NextID abi.ActorID }

func runSends(t *scenario.T) {
	alice, bob := t.W.Accounts[Alice], t.W.Accounts[Bob]
	dave := scenario.NewAccount("dave2", keys.Secp256k1("sends/dave"))
	erin := scenario.NewAccount("erin", keys.BLS("sends/erin"))

	t.Group("create-f1")
	createAccount(t, alice, dave, FIL(100))

	t.Group("create-f3")
	createAccount(t, alice, erin, FIL(50))

	t.Group("transfer")
	{
		db, eb := t.Balance(dave.Addr), t.Balance(erin.Addr)
		r := t.Send("new f1 account pays an f3 account", scenario.Msg{From: dave, To: erin.Addr, Value: FIL(10)}).OK()
		t.EqualAmount("payer balance", t.Balance(dave.Addr), big.Sub(db, big.Add(FIL(10), r.Fee)))
		t.EqualAmount("payee balance", t.Balance(erin.Addr), big.Add(eb, FIL(10)))
		t.Equal("payer nonce", t.Nonce(dave.Addr), uint64(1))

		// By id address, and from a BLS sender.
		bb, eb := t.Balance(bob.Addr), t.Balance(erin.Addr)
		r = t.Send("f3 account pays by id address", scenario.Msg{From: erin, To: scenario.ID(bob.ID), Value: FIL(3)}).OK()
		t.EqualAmount("payee balance", t.Balance(bob.Addr), big.Add(bb, FIL(3)))
		t.EqualAmount("payer balance", t.Balance(erin.Addr), big.Sub(eb, big.Add(FIL(3), r.Fee)))

		// A zero-value send to oneself only pays gas.
		ab := t.Balance(alice.Addr)
		r = t.Send("self send", scenario.Msg{From: alice, To: alice.Addr, Value: FIL(1)}).OK()
		t.EqualAmount("self-sender balance", t.Balance(alice.Addr), big.Sub(ab, r.Fee))
	}

	t.Group("refusals")
	{
		// The receiver does not exist: the top-level send fails with
		// NotFound → SYS_INVALID_RECEIVER; the sender pays gas, its nonce
		// moves, no value moves (fvm-abi.md §7.3).
		db, n := t.Balance(dave.Addr), t.Nonce(dave.Addr)
		r := t.Send("send to a missing id address", scenario.Msg{From: dave, To: scenario.ID(99_999), Value: FIL(1)}).
			Expect(exitcode.SysErrInvalidReceiver)
		t.EqualAmount("sender balance", t.Balance(dave.Addr), big.Sub(db, r.Fee))
		t.Equal("sender nonce", t.Nonce(dave.Addr), n+1)

		// More value than the balance: InsufficientFunds → exit 6.
		db = t.Balance(dave.Addr)
		r = t.Send("send more than the balance", scenario.Msg{From: dave, To: alice.Addr, Value: FIL(1000)}).
			Expect(exitcode.SysErrInsufficientFunds)
		t.EqualAmount("sender balance", t.Balance(dave.Addr), big.Sub(db, r.Fee))

		// Preflight refusals change nothing (fvm-abi.md §7.1 steps 4–8).
		db, n = t.Balance(dave.Addr), t.Nonce(dave.Addr)
		t.Send("nonce from the future", scenario.Msg{From: dave, To: alice.Addr, Value: FIL(1), Nonce: n + 5, SetNonce: true}).
			Expect(exitcode.SysErrSenderStateInvalid)
		t.Send("nonce already used", scenario.Msg{From: dave, To: alice.Addr, Value: FIL(1), Nonce: n - 1, SetNonce: true}).
			Expect(exitcode.SysErrSenderStateInvalid)
		t.Send("gas cost above the balance", scenario.Msg{From: dave, To: alice.Addr, GasLimit: 1 << 62}).
			Expect(exitcode.SysErrSenderStateInvalid)
		t.EqualAmount("refused sender balance", t.Balance(dave.Addr), db)
		t.Equal("refused sender nonce", t.Nonce(dave.Addr), n)

		ghost := scenario.NewAccount("ghost", keys.Secp256k1("sends/ghost"))
		t.Send("sender without an actor", scenario.Msg{From: ghost, To: alice.Addr, SetNonce: true}).
			Expect(exitcode.SysErrSenderInvalid)
		t.Check(t.Actor(ghost.Addr) == nil, "a refused sender was created")

		// A non-account actor cannot send: the reward actor.
		reward := &scenario.Account{Name: "reward", Addr: scenario.ID(genesis.RewardID)}
		t.Send("actor that is not an account", scenario.Msg{From: reward, To: alice.Addr, SetNonce: true}).
			Expect(exitcode.SysErrSenderInvalid)
	}

	t.Group("f4")
	eth := keys.Secp256k1("sends/eth")
	ethAddr, err := eth.EthAddress()
	t.Must(err, "eth address")
	f410 := keys.F410(ethAddr)
	if t.W.ActorsVersion < 10 {
		// Before nv18 (actors v10) f4 addresses do not exist: the machine
		// refuses the message itself (FIP-0048; fvm-abi.md §7.1 step 1).
		_, err := t.TrySend("send to an f410 address", scenario.Msg{From: alice, To: f410, Value: FIL(1)})
		t.Check(errors.Is(err, kernel.ErrInvalidMessage), "an f4 receiver before nv18 gave %v, want an invalid message", err)
		return
	}
	ab := t.Balance(alice.Addr)
	next := initState(t).NextID
	r := t.Send("send to an f410 address", scenario.Msg{From: alice, To: f410, Value: FIL(7)}).OK()
	// The send made a placeholder with the f410 as its delegated address
	// (builtin-actors init map_addresses_to_id; fvm-abi.md §6.11).
	id, ok := t.Lookup(f410)
	t.Check(ok, "no actor for %s", f410)
	t.Equal("placeholder id", id, next)
	t.CodeIs(f410, "placeholder")
	act := t.MustActor(f410)
	t.Check(act.DelegatedAddress != nil && *act.DelegatedAddress == f410, "placeholder delegated address %v", act.DelegatedAddress)
	t.EqualAmount("placeholder balance", act.Balance, FIL(7))
	t.EqualAmount("sender balance", t.Balance(alice.Addr), big.Sub(ab, big.Add(FIL(7), r.Fee)))

	// A second send to it reaches the same actor.
	t.Send("send to the placeholder again", scenario.Msg{From: bob, To: f410, Value: FIL(1)}).OK()
	t.EqualAmount("placeholder balance", t.Balance(f410), FIL(8))

	// Only f4 addresses in the EAM's namespace are created on send: any
	// other is NotFound → SYS_INVALID_RECEIVER (ref-fvm 3.14.1
	// call_manager/default.rs, Payload::Delegated with namespace 10).
	other, err := address.NewDelegatedAddress(32, []byte("book"))
	t.Must(err, "f432 address")
	ab = t.Balance(alice.Addr)
	r = t.Send("send to an f4 in another namespace", scenario.Msg{From: alice, To: other, Value: FIL(1)}).
		Expect(exitcode.SysErrInvalidReceiver)
	t.Check(t.Actor(other) == nil, "an f432 receiver was created")
	t.EqualAmount("sender balance", t.Balance(alice.Addr), big.Sub(ab, r.Fee))
}
