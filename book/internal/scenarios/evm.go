package scenarios

import (
	"bytes"
	"encoding/hex"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/builtin"
	"github.com/filecoin-project/go-state-types/exitcode"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// EVM method numbers: the EAM's Method (actors/eam/src/lib.rs) and the
// EVM's InvokeContract, FRC-42 hash of "InvokeEVM" (actors/evm/src/lib.rs).
var (
	eamCreateExternal  abi.MethodNum = 4
	evmInvokeContract                = builtin.MustGenerateFRCMethodNum("InvokeEVM")
	evmContractReverts               = exitcode.ExitCode(33) // EVM_CONTRACT_REVERTED (actors/evm/src/lib.rs)
)

// EVM: contracts written in EVM assembly deployed through the EAM
// (CreateExternal from an f1 account and from an Ethereum account; Create
// and Create2 from a factory contract's CREATE and CREATE2), calls, storage
// across calls, logs as actor events, reverts with data, read-only
// STATICCALLs, value transfers to f4 addresses, and a placeholder becoming
// an Ethereum account when it first sends (FIP-0054, FIP-0055; builtin-
// actors actors/eam, actors/evm; integration_tests evm_test.rs).
var EVM = &scenario.Scenario{
	Name:    "evm",
	Summary: "EAM CreateExternal/Create/Create2, calls, storage, logs as events, reverts, static calls, value to f4, placeholder → Ethereum account",
	Applies: since(10, "the EVM and EAM exist from actors v10 (nv18, FIP-0054)"),
	Run:     runEVM,
}

// evmCall calls contract with calldata and returns the EVM's return data.
func evmCall(t *scenario.T, name string, from *scenario.Account, contract address.Address, calldata []byte, value abi.TokenAmount, want exitcode.ExitCode) []byte {
	p, err := cborBytes(calldata)
	t.Must(err, "calldata")
	r := t.Send(name, scenario.Msg{From: from, To: contract, Method: evmInvokeContract, Params: p, Value: value}).Expect(want)
	if len(r.Return()) == 0 {
		return nil
	}
	out, err := cbg.ReadByteArray(cbg.NewCborReader(bytes.NewReader(r.Return())), 1<<20)
	t.Must(err, "EVM return data")
	return out
}

func cborBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	if err := w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(b))); err != nil {
		return nil, err
	}
	_, err := w.Write(b)
	return buf.Bytes(), err
}

// deployExternal deploys initcode through the EAM's CreateExternal and
// checks the new contract: an EVM actor at the init actor's next id with
// the f410 of wantEth.
func deployExternal(t *scenario.T, name string, from *scenario.Account, initcode []byte, wantEth [20]byte) address.Address {
	p, err := t.V.EAMCreateExternalParams(initcode)
	t.Must(err, "CreateExternal params")
	next := initState(t).NextID
	r := t.Send(name, scenario.Msg{From: from, To: scenario.ID(genesis.EAMID), Method: eamCreateExternal, Params: p}).OK()
	ret, err := t.V.EAMReturn(r.Return())
	t.Must(err, "CreateExternal return")
	t.Equal("contract id", ret.ActorID, next)
	t.Equal("contract eth address", hex.EncodeToString(ret.EthAddress[:]), hex.EncodeToString(wantEth[:]))
	f410 := keys.F410(wantEth)
	t.Equal("f410 resolves to the contract", t.IDOf(f410), next)
	t.CodeIs(f410, "evm")
	act := t.MustActor(f410)
	t.Check(act.DelegatedAddress != nil && *act.DelegatedAddress == f410, "contract delegated address %v", act.DelegatedAddress)
	return f410
}

func evmState(t *scenario.T, a address.Address) *av.EVMState {
	st, err := t.V.EVMState(t.Ctx, t.C.CborStore(), t.Head(a))
	t.Must(err, "EVM state")
	return st
}

func runEVM(t *scenario.T) {
	alice, bob := t.W.Accounts[Alice], t.W.Accounts[Bob]

	t.Group("deploy")
	// From an f1 account the EAM derives a stable Ethereum address from
	// the key address and applies CREATE's rule with the message nonce.
	counterEth := createAddress(ethOfAccount(alice.Addr), t.Nonce(alice.Addr))
	counter := deployExternal(t, "CreateExternal a counter from an f1 account", alice, counterInit(), counterEth)
	{
		st := evmState(t, counter)
		t.Equal("bytecode hash", hex.EncodeToString(st.BytecodeHash[:]), hex.EncodeToString(keccakBytes(counterRuntime())))
		// Contracts start at nonce 1 (EIP-161).
		t.Equal("contract nonce", st.Nonce, uint64(1))
		out := evmCall(t, "read the constructor's storage", bob, counter, []byte{cmdGet}, big.Zero(), exitcode.Ok)
		t.Check(wordEq(out, counterStart), "slot 0 after the constructor is %x, want %d", out, counterStart)
	}

	t.Group("calls-storage-logs")
	for i := uint64(1); i <= 3; i++ {
		p, err := cborBytes([]byte{cmdIncrement})
		t.Must(err, "calldata")
		r := t.Send("increment", scenario.Msg{From: bob, To: counter, Method: evmInvokeContract, Params: p}).OK()
		out, err := cbg.ReadByteArray(cbg.NewCborReader(bytes.NewReader(r.Return())), 64)
		t.Must(err, "return")
		t.Check(wordEq(out, counterStart+i), "increment %d returned %x", i, out)
		// LOG1 becomes an actor event: t1 = the topic, d = the data, both
		// raw and indexed (actors/evm/src/interpreter/instructions/
		// log_event.rs).
		evs := r.Events()
		t.Equal("events", len(evs), 1)
		if len(evs) == 1 {
			ev := evs[0]
			t.Equal("event emitter", ev.Emitter, t.IDOf(counter))
			t.Equal("event entries", len(ev.Entries), 2)
			topic, _ := ev.Value("t1")
			data, _ := ev.Value("d")
			t.Check(bytes.Equal(topic, counterTopic[:]), "topic %x", topic)
			t.Check(wordEq(data, counterStart+i), "log data %x", data)
			for _, e := range ev.Entries {
				t.Equal("entry flags", e.Flags, uint64(3))
				t.Equal("entry codec", e.Codec, uint64(0x55))
			}
		}
	}
	out := evmCall(t, "storage persists across calls", alice, counter, []byte{cmdGet}, big.Zero(), exitcode.Ok)
	t.Check(wordEq(out, counterStart+3), "slot 0 is %x, want %d", out, counterStart+3)

	t.Group("revert")
	{
		out := evmCall(t, "a call that reverts", bob, counter, []byte{cmdRevert}, big.Zero(), evmContractReverts)
		// From nv18 a failed call's receipt carries its data (fvm-abi.md
		// §7.3): the revert payload.
		t.Equal("revert data", string(out), "nope")
		evmCall(t, "an unknown command reverts without data", bob, counter, []byte{0x77}, big.Zero(), evmContractReverts)
		out = evmCall(t, "storage unchanged by reverts", alice, counter, []byte{cmdGet}, big.Zero(), exitcode.Ok)
		t.Check(wordEq(out, counterStart+3), "slot 0 is %x", out)
	}

	t.Group("static-calls")
	{
		// A STATICCALL is a read-only send: the increment inside it cannot
		// write storage or log, so the call fails (flag 0)...
		out := evmCall(t, "STATICCALL of an increment", bob, counter, []byte{cmdStaticIncr}, big.Zero(), exitcode.Ok)
		t.Check(wordEq(out, 0), "static increment succeeded: %x", out)
		// ...while a read through STATICCALL works.
		out = evmCall(t, "STATICCALL of a read", bob, counter, []byte{cmdStaticGet}, big.Zero(), exitcode.Ok)
		t.Check(len(out) == 64 && wordEq(out[:32], counterStart+3) && wordEq(out[32:], 1), "static read returned %x", out)
	}

	t.Group("create-create2")
	factoryEth := createAddress(ethOfAccount(bob.Addr), t.Nonce(bob.Addr))
	factory := deployExternal(t, "CreateExternal the factory", bob, factoryInit(), factoryEth)
	{
		// CREATE from a contract: the EAM's Create with the contract's nonce.
		out := evmCall(t, "factory CREATE", alice, factory, []byte{cmdCreate}, big.Zero(), exitcode.Ok)
		want := createAddress(factoryEth, 1)
		t.Check(bytes.Equal(out, addressWord(want)), "CREATE returned %x, want %x", out, want)
		child := keys.F410(want)
		t.CodeIs(child, "evm")
		t.Equal("factory nonce after CREATE", evmState(t, factory).Nonce, uint64(2))
		got := evmCall(t, "the created counter's storage", alice, child, []byte{cmdGet}, big.Zero(), exitcode.Ok)
		t.Check(wordEq(got, counterStart), "child slot 0 is %x", got)

		// CREATE2: the address depends on the salt and the init code only.
		var salt [32]byte
		copy(salt[:], "book salt")
		out = evmCall(t, "factory CREATE2", alice, factory, append([]byte{cmdCreate2}, salt[:]...), big.Zero(), exitcode.Ok)
		want2 := create2Address(factoryEth, salt, counterInit())
		t.Check(bytes.Equal(out, addressWord(want2)), "CREATE2 returned %x, want %x", out, want2)
		t.CodeIs(keys.F410(want2), "evm")
		// The same salt again collides: CREATE2 pushes 0.
		out = evmCall(t, "CREATE2 with a used salt", alice, factory, append([]byte{cmdCreate2}, salt[:]...), big.Zero(), exitcode.Ok)
		t.Check(wordEq(out, 0), "second CREATE2 returned %x", out)
	}

	t.Group("value-to-f4")
	eth := keys.Secp256k1("evm/eth")
	ethAddr, err := eth.EthAddress()
	t.Must(err, "eth address")
	f410 := keys.F410(ethAddr)
	{
		cb := t.Balance(counter)
		out := evmCall(t, "contract CALL with 5 FIL to a new Ethereum address", alice, counter,
			append([]byte{cmdPay}, ethAddr[:]...), FIL(5), exitcode.Ok)
		t.Check(wordEq(out, 1), "CALL failed: %x", out)
		// The send made a placeholder holding the value.
		t.CodeIs(f410, "placeholder")
		t.EqualAmount("placeholder balance", t.Balance(f410), FIL(5))
		t.EqualAmount("counter balance", t.Balance(counter), cb)
	}

	t.Group("placeholder-to-ethaccount")
	{
		// Its first message turns the placeholder into an Ethereum account
		// (fvm-abi.md §7.1 step 6); deploying from it follows Ethereum's
		// CREATE rule with its own address and nonce.
		ea := &scenario.Account{Name: "eth", Key: eth, Addr: f410}
		want := createAddress(ethAddr, 0)
		deployExternal(t, "the placeholder deploys a counter", ea, counterInit(), want)
		t.CodeIs(f410, "ethaccount")
		t.Equal("Ethereum account nonce", t.Nonce(f410), uint64(1))
		act := t.MustActor(f410)
		t.Check(act.DelegatedAddress != nil && *act.DelegatedAddress == f410, "delegated address lost")
		// And it can call contracts like any account.
		out := evmCall(t, "the Ethereum account calls the counter", ea, counter, []byte{cmdGet}, big.Zero(), exitcode.Ok)
		t.Check(wordEq(out, counterStart+3), "slot 0 is %x", out)
	}
}

func keccakBytes(b []byte) []byte {
	h := keccak(b)
	return h[:]
}
