package scenarios

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Method numbers (actors/paych/src/lib.rs Method).
const (
	paychUpdateChannelState abi.MethodNum = 2
	paychSettle             abi.MethodNum = 3
	paychCollect            abi.MethodNum = 4
)

// settleDelay is the wait after Settle (actors/paych/src/lib.rs
// SETTLE_DELAY = 12 hours of epochs).
const settleDelay abi.ChainEpoch = 12 * 120

// Paych: payment channels created through the init actor's Exec, vouchers
// signed with secp256k1 and BLS keys redeemed by the recipient, refused
// vouchers, settlement and collection (builtin-actors actors/paych).
var Paych = &scenario.Scenario{
	Name:    "paych",
	Summary: "payment channels via init Exec, secp256k1 and BLS signed vouchers, settle and collect",
	Run:     runPaych,
}

func runPaych(t *scenario.T) {
	alice, bob, dave := t.W.Accounts[Alice], t.W.Accounts[Bob], t.W.Accounts[Dave]

	t.Group("create")
	frank := newAccount(t, "frank", keys.BLS("paych/frank"), FIL(500))
	open := func(from *scenario.Account, value abi.TokenAmount) address.Address {
		ctor, err := t.V.PaychConstructorParams(from.Addr, bob.Addr)
		t.Must(err, "constructor params")
		p, err := t.V.ExecParams(t.W.Codes["paymentchannel"], ctor)
		t.Must(err, "exec params")
		r := t.Send("init Exec a payment channel", scenario.Msg{From: from, To: scenario.ID(genesis.InitID), Method: initExec, Params: p, Value: value}).OK()
		id, _, err := t.V.ExecReturn(r.Return())
		t.Must(err, "exec return")
		t.CodeIs(id, "paymentchannel")
		t.EqualAmount("channel balance", t.Balance(id), value)
		st := paychState(t, id)
		t.Equal("channel from", st.From, scenario.ID(from.ID))
		t.Equal("channel to", st.To, scenario.ID(bob.ID))
		return id
	}
	secpCh := open(dave, FIL(100))
	blsCh := open(frank, FIL(50))

	voucher := func(ch address.Address, signer *keys.Key, lane, nonce uint64, amt abi.TokenAmount) []byte {
		v := av.Voucher{Channel: ch, Lane: lane, Nonce: nonce, Amount: amt}
		b, err := t.V.VoucherSigningBytes(v)
		t.Must(err, "voucher bytes")
		sig, err := signer.Sign(b)
		t.Must(err, "signing")
		v.Signature = sig
		p, err := t.V.UpdateChannelStateParams(v)
		t.Must(err, "update params")
		return p
	}

	t.Group("vouchers")
	{
		t.Send("bob redeems a voucher signed by dave (secp256k1)", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, dave.Key, 0, 1, FIL(10))}).OK()
		st := paychState(t, secpCh)
		t.EqualAmount("to send", st.ToSend, FIL(10))
		t.Equal("lane 0", st.Lanes[0].Nonce, uint64(1))
		t.EqualAmount("lane 0 redeemed", st.Lanes[0].Redeemed, FIL(10))

		t.Send("a voucher signed by the recipient", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, bob.Key, 0, 2, FIL(20))}).Expect(exitcode.ErrIllegalArgument)
		t.Send("a voucher reusing a nonce", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, dave.Key, 0, 1, FIL(20))}).Expect(exitcode.ErrIllegalArgument)
		t.Send("a voucher worth more than the channel", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, dave.Key, 0, 2, FIL(101))}).Expect(exitcode.ErrIllegalArgument)
		t.Send("a later voucher on the lane", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, dave.Key, 0, 2, FIL(30))}).OK()
		t.Send("a voucher on a second lane", scenario.Msg{From: bob, To: secpCh,
			Method: paychUpdateChannelState, Params: voucher(secpCh, dave.Key, 1, 1, FIL(5))}).OK()
		st = paychState(t, secpCh)
		t.EqualAmount("to send (lanes add up)", st.ToSend, FIL(35))

		t.Send("bob redeems a voucher signed by frank (BLS)", scenario.Msg{From: bob, To: blsCh,
			Method: paychUpdateChannelState, Params: voucher(blsCh, frank.Key, 0, 1, FIL(7))}).OK()
		t.EqualAmount("BLS channel to send", paychState(t, blsCh).ToSend, FIL(7))
	}

	t.Group("settle-collect")
	{
		t.Send("collect before settling", scenario.Msg{From: bob, To: secpCh, Method: paychCollect}).Expect(exitcode.ErrForbidden)
		at := t.Epoch()
		t.Send("dave settles", scenario.Msg{From: dave, To: secpCh, Method: paychSettle}).OK()
		t.Equal("settling at", paychState(t, secpCh).SettlingAt, at+settleDelay)
		t.Send("a stranger cannot collect", scenario.Msg{From: alice, To: secpCh, Method: paychCollect}).Expect(exitcode.ErrForbidden)
		t.AdvanceTo(at + settleDelay)
		bb, db := t.Balance(bob.Addr), t.Balance(dave.Addr)
		r := t.Send("bob collects", scenario.Msg{From: bob, To: secpCh, Method: paychCollect}).OK()
		t.EqualAmount("bob balance", t.Balance(bob.Addr), big.Sub(big.Add(bb, FIL(35)), r.Fee))
		// The rest returns to the sender and the channel is gone.
		t.EqualAmount("dave balance", t.Balance(dave.Addr), big.Add(db, FIL(65)))
		t.Check(t.Actor(secpCh) == nil, "the collected channel still exists")
	}
}

func paychState(t *scenario.T, ch address.Address) *av.PaychState {
	st, err := t.V.PaychState(t.Ctx, t.C.CborStore(), t.Head(ch))
	t.Must(err, "payment channel state")
	return st
}
