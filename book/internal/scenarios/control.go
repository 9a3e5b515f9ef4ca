package scenarios

import (
	"bytes"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
)

// Method numbers (actors/miner/src/lib.rs Method).
const (
	minerChangeMultiaddrs    abi.MethodNum = 18
	minerChangeOwnerAddress  abi.MethodNum = 23
	minerConfirmWorkerChange abi.MethodNum = 21 // ConfirmUpdateWorkerKey (v8–v9), ConfirmChangeWorkerAddress (v10+)
)

// workerKeyChangeDelay is the wait before a new worker takes over
// (runtime/src/runtime/policy.rs WORKER_KEY_CHANGE_DELAY = CHAIN_FINALITY).
const workerKeyChangeDelay abi.ChainEpoch = 900

// MinerControl: a miner's addresses and funds — peer id and multiaddrs,
// control addresses at once and a new worker after the key-change delay,
// a two-step owner change, and owner withdrawals of the available balance
// (builtin-actors actors/miner; integration_tests change_owner_test.rs,
// withdraw_balance_test.rs).
var MinerControl = &scenario.Scenario{
	Name:    "miner-control",
	Summary: "peer id, multiaddrs, control addresses, worker change after the delay, owner change, balance withdrawal",
	Run:     runMinerControl,
}

func runMinerControl(t *scenario.T) {
	alice, bob, carol, dave := t.W.Accounts[Alice], t.W.Accounts[Bob], t.W.Accounts[Carol], t.W.Accounts[Dave]
	f := factsFor(t.W.ActorsVersion)

	t.Group("setup")
	m := createMiner(t, alice, carol, FIL(1_000))
	frank := newAccount(t, "frank", keys.BLS("control/frank"), FIL(100))

	t.Group("peer-multiaddrs")
	{
		p, err := t.V.ChangePeerIDParams([]byte("new-peer"))
		t.Must(err, "params")
		t.Send("a stranger cannot change the peer id", scenario.Msg{From: dave, To: m.addr, Method: minerChangePeerID, Params: p}).
			Expect(exitcode.ErrForbidden)
		t.Send("worker changes the peer id", scenario.Msg{From: carol, To: m.addr, Method: minerChangePeerID, Params: p}).OK()
		t.Equal("peer id", string(m.state().PeerID), "new-peer")
		p, err = t.V.ChangeMultiaddrsParams([][]byte{[]byte("/ip4/10.0.0.1/tcp/2"), []byte("/ip4/10.0.0.2/tcp/3")})
		t.Must(err, "params")
		t.Send("owner changes the multiaddrs", scenario.Msg{From: alice, To: m.addr, Method: minerChangeMultiaddrs, Params: p}).OK()
		mas := m.state().Multiaddrs
		t.Check(len(mas) == 2 && bytes.Equal(mas[1], []byte("/ip4/10.0.0.2/tcp/3")), "multiaddrs %q", mas)
	}

	t.Group("worker-control")
	{
		p, err := t.V.ChangeWorkerAddressParams(frank.Addr, []address.Address{dave.Addr})
		t.Must(err, "params")
		t.Send("the worker cannot change the worker", scenario.Msg{From: carol, To: m.addr, Method: minerChangeWorkerAddress, Params: p}).
			Expect(exitcode.ErrForbidden)
		at := t.Epoch()
		t.Send("owner asks for a new worker and a control address", scenario.Msg{From: alice, To: m.addr, Method: minerChangeWorkerAddress, Params: p}).OK()
		st := m.state()
		// Control addresses change at once; the worker after the delay.
		t.Equal("control addresses", st.ControlAddresses, []address.Address{scenario.ID(dave.ID)})
		t.Equal("worker before the delay", st.Worker, scenario.ID(carol.ID))
		t.Equal("pending worker", st.PendingWorker, scenario.ID(frank.ID))
		t.Equal("pending worker effective at", st.PendingWorkerAt, at+workerKeyChangeDelay)
		// A control address may act for the miner.
		p, err = t.V.ChangePeerIDParams([]byte("by-control"))
		t.Must(err, "params")
		t.Send("control address changes the peer id", scenario.Msg{From: dave, To: m.addr, Method: minerChangePeerID, Params: p}).OK()
		// Confirming early does nothing (actors/miner/src/lib.rs
		// process_pending_worker: not yet effective).
		t.Send("confirm before the delay", scenario.Msg{From: alice, To: m.addr, Method: minerConfirmWorkerChange}).OK()
		t.Equal("worker after an early confirmation", m.state().Worker, scenario.ID(carol.ID))
		t.AdvanceTo(at + workerKeyChangeDelay)
		t.Send("owner confirms the new worker", scenario.Msg{From: alice, To: m.addr, Method: minerConfirmWorkerChange}).OK()
		st = m.state()
		t.Equal("worker", st.Worker, scenario.ID(frank.ID))
		t.Equal("pending worker", st.PendingWorker, address.Undef)
	}

	t.Group("withdraw")
	{
		p, err := t.V.WithdrawBalanceParams(FIL(300))
		t.Must(err, "params")
		t.Send("the worker cannot withdraw", scenario.Msg{From: frank, To: m.addr, Method: minerWithdrawBalance, Params: p}).
			Expect(exitcode.ErrForbidden)
		ab, mb := t.Balance(alice.Addr), t.Balance(m.addr)
		avail := m.availableBalance(m.state())
		r := t.Send("owner withdraws 300 FIL", scenario.Msg{From: alice, To: m.addr, Method: minerWithdrawBalance, Params: p}).OK()
		t.EqualAmount("miner balance", t.Balance(m.addr), big.Sub(mb, FIL(300)))
		t.EqualAmount("owner balance", t.Balance(alice.Addr), big.Sub(big.Add(ab, FIL(300)), r.Fee))
		// Asking for more than is available withdraws what is available.
		avail = big.Sub(avail, FIL(300))
		p, err = t.V.WithdrawBalanceParams(FIL(1_000_000))
		t.Must(err, "params")
		ab = t.Balance(alice.Addr)
		r = t.Send("owner withdraws more than available", scenario.Msg{From: alice, To: m.addr, Method: minerWithdrawBalance, Params: p}).OK()
		t.EqualAmount("owner balance", t.Balance(alice.Addr), big.Sub(big.Add(ab, avail), r.Fee))
		t.EqualAmount("miner available balance", m.availableBalance(m.state()), big.Zero())
	}

	t.Group("owner")
	{
		// The new owner is named by its id address (actors/miner/src/lib.rs
		// change_owner_address: "owner address must be an ID address").
		keyOwner, err := enc(bob.Addr)
		t.Must(err, "params")
		t.Send("proposing a key address as owner", scenario.Msg{From: alice, To: m.addr, Method: minerChangeOwnerAddress, Params: keyOwner}).
			Expect(exitcode.ErrIllegalArgument)
		newOwner, err := enc(scenario.ID(bob.ID))
		t.Must(err, "params")
		t.Send("owner proposes bob", scenario.Msg{From: alice, To: m.addr, Method: minerChangeOwnerAddress, Params: newOwner}).OK()
		t.Equal("owner before confirmation", m.state().Owner, scenario.ID(alice.ID))
		t.Send("a third party cannot confirm", scenario.Msg{From: dave, To: m.addr, Method: minerChangeOwnerAddress, Params: newOwner}).
			Expect(exitcode.ErrForbidden)
		t.Send("bob confirms", scenario.Msg{From: bob, To: m.addr, Method: minerChangeOwnerAddress, Params: newOwner}).OK()
		t.Equal("owner", m.state().Owner, scenario.ID(bob.ID))
		wp, err := t.V.WithdrawBalanceParams(FIL(1))
		t.Must(err, "params")
		t.Send("the old owner cannot withdraw", scenario.Msg{From: alice, To: m.addr, Method: minerWithdrawBalance, Params: wp}).
			Expect(exitcode.ErrForbidden)
	}
	_ = f
}

// enc is an address's CBOR.
func enc(a address.Address) ([]byte, error) {
	var b bytes.Buffer
	err := a.MarshalCBOR(&b)
	return b.Bytes(), err
}
