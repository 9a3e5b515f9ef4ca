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

// Method numbers (builtin-actors actors/init and actors/multisig Method;
// the same in every version the book runs).
const (
	methodSend                abi.MethodNum = 0
	initExec                  abi.MethodNum = 2
	msigPropose               abi.MethodNum = 2
	msigApprove               abi.MethodNum = 3
	msigCancel                abi.MethodNum = 4
	msigAddSigner             abi.MethodNum = 5
	msigRemoveSigner          abi.MethodNum = 6
	msigChangeNumApprovalsThr abi.MethodNum = 8
)

// Multisig: a 2-of-3 multisig created through the init actor's Exec,
// proposals applied on the second approval, a cancel, and signer and
// threshold changes proposed and approved through the multisig itself
// (builtin-actors actors/multisig/src/lib.rs; integration_tests
// multisig_test.rs).
var Multisig = &scenario.Scenario{
	Name:    "multisig",
	Summary: "multisig create via init Exec, propose/approve/cancel, add/remove signer, threshold changes",
	Run:     runMultisig,
}

func runMultisig(t *scenario.T) {
	alice, bob, carol := t.W.Accounts[Alice], t.W.Accounts[Bob], t.W.Accounts[Carol]
	payee := scenario.NewAccount("payee", keys.Secp256k1("multisig/payee"))
	v := t.V

	t.Group("create")
	ctor, err := v.MultisigConstructorParams([]address.Address{alice.Addr, bob.Addr, carol.Addr}, 2, 0, 0)
	t.Must(err, "constructor params")
	exec, err := v.ExecParams(t.W.Codes["multisig"], ctor)
	t.Must(err, "exec params")
	next := initState(t).NextID
	r := t.Send("init Exec multisig", scenario.Msg{From: alice, To: scenario.ID(genesis.InitID), Method: initExec, Params: exec, Value: FIL(100)}).OK()
	idAddr, robust, err := v.ExecReturn(r.Return())
	t.Must(err, "exec return")
	t.Equal("multisig id", idAddr, scenario.ID(next))
	t.Equal("robust address protocol", robust.Protocol(), address.Actor)
	msig := idAddr
	t.Equal("robust address resolves to", scenario.ID(t.IDOf(robust)), msig)
	t.CodeIs(msig, "multisig")
	t.EqualAmount("multisig balance", t.Balance(msig), FIL(100))
	st := msigState(t, msig)
	// Signers are stored as id addresses, in order (constructor resolves
	// each).
	t.Equal("signers", st.Signers, []address.Address{scenario.ID(alice.ID), scenario.ID(bob.ID), scenario.ID(carol.ID)})
	t.Equal("threshold", st.Threshold, uint64(2))
	t.Equal("next txn id", st.NextTxnID, int64(0))
	t.Equal("pending", len(st.Pending), 0)

	t.Group("propose-approve")
	prop, err := v.ProposeParams(payee.Addr, FIL(10), methodSend, nil)
	t.Must(err, "propose params")
	r = t.Send("alice proposes paying 10 FIL", scenario.Msg{From: alice, To: msig, Method: msigPropose, Params: prop}).OK()
	pr, err := v.ProposeReturn(r.Return())
	t.Must(err, "propose return")
	t.Equal("txn id", pr.TxnID, int64(0))
	t.Equal("applied", pr.Applied, false)
	st = msigState(t, msig)
	txn, ok := st.Pending[0]
	t.Check(ok, "no pending txn 0")
	t.Equal("txn approvals", txn.Approved, []address.Address{scenario.ID(alice.ID)})
	t.EqualAmount("txn value", txn.Value, FIL(10))
	t.Check(t.Actor(payee.Addr) == nil, "paid before the threshold")

	hash, err := v.ProposalHash(scenario.ID(alice.ID), payee.Addr, FIL(10), methodSend, nil)
	t.Must(err, "proposal hash")
	badHash := append([]byte(nil), hash...)
	badHash[0] ^= 1
	appr, err := v.TxnIDParams(0, badHash)
	t.Must(err, "approve params")
	t.Send("bob approves with a wrong proposal hash", scenario.Msg{From: bob, To: msig, Method: msigApprove, Params: appr}).
		Expect(exitcode.ErrIllegalArgument)
	appr, err = v.TxnIDParams(0, hash)
	t.Must(err, "approve params")
	t.Send("alice cannot approve twice", scenario.Msg{From: alice, To: msig, Method: msigApprove, Params: appr}).
		Expect(exitcode.ErrForbidden)
	r = t.Send("bob approves", scenario.Msg{From: bob, To: msig, Method: msigApprove, Params: appr}).OK()
	ar, err := v.ApproveReturn(r.Return())
	t.Must(err, "approve return")
	t.Equal("applied", ar.Applied, true)
	t.Equal("applied exit code", ar.Code, exitcode.Ok)
	t.EqualAmount("payee balance", t.Balance(payee.Addr), FIL(10))
	t.EqualAmount("multisig balance", t.Balance(msig), FIL(90))
	st = msigState(t, msig)
	t.Equal("pending after apply", len(st.Pending), 0)
	t.Equal("next txn id", st.NextTxnID, int64(1))

	outsider := t.W.Accounts[Dave]
	t.Send("a non-signer cannot propose", scenario.Msg{From: outsider, To: msig, Method: msigPropose, Params: prop}).
		Expect(exitcode.ErrForbidden)

	t.Group("cancel")
	r = t.Send("carol proposes", scenario.Msg{From: carol, To: msig, Method: msigPropose, Params: prop}).OK()
	pr, err = v.ProposeReturn(r.Return())
	t.Must(err, "propose return")
	t.Equal("txn id", pr.TxnID, int64(1))
	canc, err := v.TxnIDParams(1, nil)
	t.Must(err, "cancel params")
	t.Send("bob cannot cancel carol's proposal", scenario.Msg{From: bob, To: msig, Method: msigCancel, Params: canc}).
		Expect(exitcode.ErrForbidden)
	t.Send("carol cancels", scenario.Msg{From: carol, To: msig, Method: msigCancel, Params: canc}).OK()
	st = msigState(t, msig)
	t.Equal("pending after cancel", len(st.Pending), 0)
	t.EqualAmount("multisig balance", t.Balance(msig), FIL(90))
	appr1, err := v.TxnIDParams(1, nil)
	t.Must(err, "approve params")
	t.Send("approving a cancelled txn", scenario.Msg{From: alice, To: msig, Method: msigApprove, Params: appr1}).
		Expect(exitcode.ErrNotFound)

	t.Group("signers-threshold")
	// Only the multisig itself may change its signers: a direct call fails.
	dave := t.W.Accounts[Dave]
	add, err := v.AddSignerParams(dave.Addr, true)
	t.Must(err, "add signer params")
	t.Send("direct AddSigner is refused", scenario.Msg{From: alice, To: msig, Method: msigAddSigner, Params: add}).
		Expect(exitcode.ErrForbidden)
	approveNext(t, msig, alice, bob, msigAddSigner, add)
	st = msigState(t, msig)
	t.Equal("signers", len(st.Signers), 4)
	t.Equal("last signer", st.Signers[3], scenario.ID(dave.ID))
	t.Equal("threshold after add with increase", st.Threshold, uint64(3))

	thr, err := v.ChangeThresholdParams(2)
	t.Must(err, "threshold params")
	// Three approvals are needed now: the proposal waits after two.
	id := approveNext(t, msig, alice, bob, msigChangeNumApprovalsThr, thr)
	st = msigState(t, msig)
	t.Equal("threshold before the third approval", st.Threshold, uint64(3))
	apprN, err := v.TxnIDParams(id, nil)
	t.Must(err, "approve params")
	r = t.Send("dave gives the third approval", scenario.Msg{From: dave, To: msig, Method: msigApprove, Params: apprN}).OK()
	ar, err = v.ApproveReturn(r.Return())
	t.Must(err, "approve return")
	t.Check(ar.Applied && ar.Code == exitcode.Ok, "third approval did not apply: %+v", ar)
	st = msigState(t, msig)
	t.Equal("threshold", st.Threshold, uint64(2))

	rm, err := v.RemoveSignerParams(carol.Addr, false)
	t.Must(err, "remove signer params")
	approveNext(t, msig, bob, dave, msigRemoveSigner, rm)
	st = msigState(t, msig)
	t.Equal("signers after remove", st.Signers, []address.Address{scenario.ID(alice.ID), scenario.ID(bob.ID), scenario.ID(dave.ID)})
	t.Equal("threshold after remove", st.Threshold, uint64(2))
	t.Send("a removed signer cannot propose", scenario.Msg{From: carol, To: msig, Method: msigPropose, Params: prop}).
		Expect(exitcode.ErrForbidden)
	t.EqualAmount("multisig balance", t.Balance(msig), FIL(90))
}

// approveNext has a propose a self-call (method, params) and b approve it,
// returning the txn id; with a threshold of two it applies.
func approveNext(t *scenario.T, msig address.Address, a, b *scenario.Account, method abi.MethodNum, params []byte) int64 {
	prop, err := t.V.ProposeParams(msig, big.Zero(), method, params)
	t.Must(err, "propose params")
	r := t.Send("propose a self-call", scenario.Msg{From: a, To: msig, Method: msigPropose, Params: prop}).OK()
	pr, err := t.V.ProposeReturn(r.Return())
	t.Must(err, "propose return")
	appr, err := t.V.TxnIDParams(pr.TxnID, nil)
	t.Must(err, "approve params")
	r = t.Send("approve the self-call", scenario.Msg{From: b, To: msig, Method: msigApprove, Params: appr}).OK()
	ar, err := t.V.ApproveReturn(r.Return())
	t.Must(err, "approve return")
	st := msigState(t, msig)
	if ar.Applied {
		t.Equal("self-call exit code", ar.Code, exitcode.Ok)
		_, pending := st.Pending[pr.TxnID]
		t.Check(!pending, "applied txn %d still pending", pr.TxnID)
	}
	return pr.TxnID
}

func msigState(t *scenario.T, msig address.Address) *av.MultisigState {
	st, err := t.V.MultisigState(t.Ctx, t.C.CborStore(), t.Head(msig))
	t.Must(err, "multisig state")
	return st
}
