package kernel

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/builtin"
	init9 "github.com/filecoin-project/go-state-types/builtin/v9/init"
	"github.com/filecoin-project/go-state-types/builtin/v9/util/adt"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	mh "github.com/multiformats/go-multihash"
	"github.com/tetratelabs/wazero/api"

	cbg "github.com/whyrusleeping/cbor-gen"
)

// goActor is test actor code written in Go: it gets the kernel of its
// invocation and the params block id, and ends like invoke would.
type goActor func(k *invocationKernel, params uint32) Outcome

// goEngine runs goActors instead of wasm, so call-manager rules can be
// tested without an instrumented module. Every module reports 17 pages of
// minimum memory (the real bundles' usual size) for the v3 init charge.
type goEngine struct {
	actors map[cid.Cid]goActor
}

type goModule struct{ a goActor }

func (goModule) MinMemoryBytes() (uint64, bool) { return 17 * 65536, true }
func (goModule) TableExport() (uint64, bool)    { return 0, false }

type goInstance struct{ a goActor }

func (goInstance) Memory() api.Memory           { return nil }
func (goInstance) GasGlobal() api.MutableGlobal { return nil }
func (goInstance) Close(context.Context) error  { return nil }

func (e *goEngine) Load(_ context.Context, code cid.Cid, _ []byte, _ network.Version) (Module, error) {
	a, ok := e.actors[code]
	if !ok {
		return nil, errNotFound
	}
	return goModule{a}, nil
}

func (e *goEngine) Instantiate(_ context.Context, m Module, _ *CallStackMemory) (Instance, error) {
	return goInstance{m.(goModule).a}, nil
}

func (e *goEngine) Run(_ context.Context, k *invocationKernel, inst Instance, params uint32) Outcome {
	return inst.(goInstance).a(k, params)
}

// codeCID is a raw blake2b-256 CID like the real code CIDs.
func codeCID(t testing.TB, name string) cid.Cid {
	c, err := cid.V1Builder{Codec: cid.Raw, MhType: mh.BLAKE2B_MIN + 31}.Sum([]byte(name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixture is a small state tree built from scratch: system, init, reward,
// burnt funds, and whatever actors a test adds.
type fixture struct {
	t      testing.TB
	nv     network.Version
	bs     *memBlockstore
	store  adt.Store
	tree   *builtin.ActorTree
	init   *init9.State
	codes  map[string]cid.Cid
	engine *goEngine
	empty  cid.Cid
	// manifest is the list of [name, code] entries, test actors included.
	manifest []cbg.CBORMarshaler
}

var fixtureActorNames = []string{"system", "init", "cron", "account", "storagepower", "storageminer",
	"storagemarket", "paymentchannel", "multisig", "reward", "verifiedregistry", "datacap",
	"placeholder", "evm", "eam", "ethaccount"}

func newFixture(t testing.TB, nv network.Version) *fixture {
	t.Helper()
	return newFixtureNames(t, nv, fixtureActorNames)
}

// newFixtureNames is newFixture with the given builtin manifest (it must
// name system, init, account and reward).
func newFixtureNames(t testing.TB, nv network.Version, names []string) *fixture {
	t.Helper()
	ctx := context.Background()
	bs := newMemBlockstore()
	store := adt.WrapStore(ctx, cbor.NewCborStore(bs))
	f := &fixture{t: t, nv: nv, bs: bs, store: store, codes: map[string]cid.Cid{},
		engine: &goEngine{actors: map[cid.Cid]goActor{}}}
	empty, err := emptyArrayBlock()
	if err != nil {
		t.Fatal(err)
	}
	_ = bs.Put(ctx, empty)
	f.empty = empty.Cid()
	// manifest entries (code blocks present); the manifest itself is
	// written by machine(), so that test actors join it (v2 only runs
	// manifest code).
	for _, n := range names {
		c := codeCID(t, n)
		f.codes[n] = c
		f.manifest = append(f.manifest, &manifestEntryT{name: n, code: c})
		// every code runs a do-nothing actor unless a test replaces it
		f.engine.actors[c] = func(*invocationKernel, uint32) Outcome { return Outcome{Kind: Returned} }
		f.putRaw(c)
	}
	if f.init, err = init9.ConstructState(store, "gofvm-test"); err != nil {
		t.Fatal(err)
	}
	if f.tree, err = builtin.NewTree(store); err != nil {
		t.Fatal(err)
	}
	f.setActor(rewardActorID, &ActorState{Code: f.codes["reward"], Head: empty.Cid(), Balance: big.Zero()})
	f.setActor(burntFundsActorID, &ActorState{Code: f.codes["account"], Head: empty.Cid(), Balance: big.Zero()})
	return f
}

func (f *fixture) v3() bool { return f.nv >= network.Version18 }

// putRaw stores the do-nothing test actor (testdata/actor_ok.wasm) under
// c: a real engine preloads every manifest code, so each must be valid wasm
// (the block store does not check that the bytes hash to c).
func (f *fixture) putRaw(c cid.Cid) {
	wasm, err := os.ReadFile(filepath.Join("testdata", "actor_ok.wasm"))
	if err != nil {
		f.t.Fatal(err)
	}
	blk, _ := newBlockWithCid(wasm, c)
	_ = f.bs.Put(context.Background(), blk)
}

func (f *fixture) setActor(id abi.ActorID, a *ActorState) {
	f.t.Helper()
	addr, _ := address.NewIDAddress(uint64(id))
	var err error
	if f.v3() {
		err = f.tree.SetActorV5(addr, &builtin.ActorV5{Code: a.Code, Head: a.Head, CallSeqNum: a.Nonce,
			Balance: a.Balance, DelegatedAddress: a.DelegatedAddress})
	} else {
		err = f.tree.SetActorV4(addr, &builtin.ActorV4{Code: a.Code, Head: a.Head, CallSeqNum: a.Nonce, Balance: a.Balance})
	}
	if err != nil {
		f.t.Fatal(err)
	}
}

// addAccount creates an account with a key address, registered in init.
func (f *fixture) addAccount(key address.Address, balance int64) abi.ActorID {
	f.t.Helper()
	idAddr, err := f.init.MapAddressToNewID(f.store, key)
	if err != nil {
		f.t.Fatal(err)
	}
	id, _ := address.IDFromAddress(idAddr)
	// account state: the CBOR 1-tuple [key address]
	head, err := f.store.Put(context.Background(), &cborArray{[]cbg.CBORMarshaler{&key}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.setActor(abi.ActorID(id), &ActorState{Code: f.codes["account"], Head: head, Balance: big.NewInt(balance)})
	return abi.ActorID(id)
}

// addActor creates an actor at the next id without an address.
func (f *fixture) addActor(code string, balance int64, run goActor) abi.ActorID {
	f.t.Helper()
	id := f.init.NextID
	f.init.NextID++
	c := f.codes[code]
	if run != nil {
		name := fmt.Sprintf("%s-%d", code, len(f.engine.actors))
		c = codeCID(f.t, name)
		f.engine.actors[c] = run
		f.putRaw(c)
		f.manifest = append(f.manifest, &manifestEntryT{name: name, code: c})
	}
	f.setActor(id, &ActorState{Code: c, Head: f.empty, Balance: big.NewInt(balance)})
	return id
}

// machine flushes the fixture state and builds a machine over it.
func (f *fixture) machine(opts ...Option) *Machine {
	f.t.Helper()
	root := f.stateRoot()
	opts = append([]Option{WithEngine(f.engine), WithBaseFee(big.NewInt(100)), WithEpoch(1000)}, opts...)
	m, err := NewMachine(context.Background(), f.bs, root, f.nv, opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

// writeSystemAndInit writes the manifest (test actors included), the
// system actor pointing at it and the init actor's state.
func (f *fixture) writeSystemAndInit() {
	f.t.Helper()
	ctx := context.Background()
	data, err := f.store.Put(ctx, &cborArray{f.manifest})
	if err != nil {
		f.t.Fatal(err)
	}
	sysHead, err := f.store.Put(ctx, &cborArray{[]cbg.CBORMarshaler{&cbgCid{data}}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.setActor(systemActorID, &ActorState{Code: f.codes["system"], Head: sysHead, Balance: big.Zero()})
	initHead, err := f.store.Put(ctx, f.init)
	if err != nil {
		f.t.Fatal(err)
	}
	f.setActor(initActorID, &ActorState{Code: f.codes["init"], Head: initHead, Balance: big.Zero()})
}
