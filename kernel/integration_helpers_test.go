package kernel_test

import (
	"context"
	"sync"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
	cbor "github.com/ipfs/go-ipld-cbor"
)

// The integration tests apply messages to the test-actors genesis
// (package actors/testactors) through the full kernel: executor, call
// manager, syscalls, instrumentation and wazero, for nv17 and nv18, with
// wazero's compiler and its interpreter.

var bothNVs = []network.Version{network.Version17, network.Version18}

// Fee parameters of every test message: base fee 100, fee cap 200,
// premium 10 attoFIL/gas.
var (
	testBaseFee = big.NewInt(100)
	testFeeCap  = big.NewInt(200)
	testPremium = big.NewInt(10)
)

// chainLen is the chain length the tests pass for every explicit message
// (a client-supplied input, fvm-abi.md §7.1 step 2).
const chainLen = 120

type engineKind string

const (
	compilerEngine    engineKind = "compiler"
	interpreterEngine engineKind = "interpreter"
)

var engineKinds = []engineKind{compilerEngine, interpreterEngine}

var (
	enginesMu sync.Mutex
	engines   = map[engineKind]kernel.Engine{}
	genesisMu sync.Mutex
	geneses   = map[network.Version]*testactors.Genesis{}
)

func testEngine(t testing.TB, k engineKind) kernel.Engine {
	t.Helper()
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if e, ok := engines[k]; ok {
		return e
	}
	var opts []engine.Option
	if k == interpreterEngine {
		opts = append(opts, engine.WithInterpreter())
	}
	e, err := kernel.NewWasmEngine(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	engines[k] = e
	return e
}

func testGenesis(t testing.TB, nv network.Version) *testactors.Genesis {
	t.Helper()
	genesisMu.Lock()
	defer genesisMu.Unlock()
	if g, ok := geneses[nv]; ok {
		return g
	}
	g, err := testactors.NewGenesis(context.Background(), nv)
	if err != nil {
		t.Fatal(err)
	}
	geneses[nv] = g
	return g
}

// world is one machine on a private copy of the genesis store.
type world struct {
	t     testing.TB
	nv    network.Version
	g     *testactors.Genesis
	store *testactors.MemStore
	m     *kernel.Machine
	e     *kernel.Executor
	nonce map[address.Address]uint64
}

func newWorld(t testing.TB, nv network.Version, k engineKind, opts ...kernel.Option) *world {
	t.Helper()
	g := testGenesis(t, nv)
	w := &world{t: t, nv: nv, g: g, store: g.Store.Copy(), nonce: map[address.Address]uint64{}}
	var err error
	opts = append([]kernel.Option{kernel.WithEngine(testEngine(t, k)), kernel.WithEpoch(1000), kernel.WithTimestamp(30_000),
		kernel.WithBaseFee(testBaseFee), kernel.WithCirculatingSupply(big.NewInt(1e18))}, opts...)
	w.m, err = kernel.NewMachine(context.Background(), w.store, g.Root, nv, opts...)
	if err != nil {
		t.Fatal(err)
	}
	w.e = kernel.NewExecutor(w.m)
	return w
}

func idAddr(id abi.ActorID) address.Address {
	a, _ := address.NewIDAddress(uint64(id))
	return a
}

// msg is an explicit message from `from` with its next nonce.
func (w *world) msg(from, to address.Address, method abi.MethodNum, value int64, params []byte, gasLimit int64) *kernel.Message {
	return &kernel.Message{From: from, To: to, Nonce: w.nonce[from], Method: method, Value: big.NewInt(value),
		Params: params, GasLimit: gasLimit, GasFeeCap: testFeeCap, GasPremium: testPremium}
}

// apply applies an explicit message and advances the sender's nonce when
// preflight passed (exit codes 1, 2 and the inclusion OOG leave it alone).
func (w *world) apply(m *kernel.Message) *kernel.ApplyRet {
	w.t.Helper()
	ret, err := w.e.ApplyMessage(context.Background(), m, chainLen)
	if err != nil {
		w.t.Fatalf("apply: %v", err)
	}
	if ret.Receipt.GasUsed > 0 {
		w.nonce[m.From]++
	}
	return ret
}

func (w *world) implicit(m *kernel.Message) *kernel.ApplyRet {
	w.t.Helper()
	ret, err := w.e.ApplyImplicitMessage(context.Background(), m)
	if err != nil {
		w.t.Fatalf("apply implicit: %v", err)
	}
	return ret
}

func (w *world) flush() string {
	w.t.Helper()
	root, err := w.m.Flush(context.Background())
	if err != nil {
		w.t.Fatalf("flush: %v", err)
	}
	return root.String()
}

// actor reads an actor from the flushed state (nil if missing).
func (w *world) actor(id abi.ActorID) *actors.Actor {
	w.t.Helper()
	root, err := w.m.Flush(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := actors.LoadStateTree(context.Background(), cbor.NewCborStore(w.store), root, w.nv)
	if err != nil {
		w.t.Fatal(err)
	}
	a, err := st.GetActor(id)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) lookup(a address.Address) (abi.ActorID, bool) {
	w.t.Helper()
	root, err := w.m.Flush(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := actors.LoadStateTree(context.Background(), cbor.NewCborStore(w.store), root, w.nv)
	if err != nil {
		w.t.Fatal(err)
	}
	id, ok, err := st.LookupID(a)
	if err != nil {
		w.t.Fatal(err)
	}
	return id, ok
}

func abiID(x uint64) abi.ActorID  { return abi.ActorID(x) }
func abiM(x uint64) abi.MethodNum { return abi.MethodNum(x) }
