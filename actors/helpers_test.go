package actors

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/filecoin-project/go-address"
	hamt "github.com/filecoin-project/go-hamt-ipld/v3"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	"github.com/multiformats/go-multihash"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// memBlocks is a map blockstore for tests; a missing block is an error.
type memBlocks struct{ m map[cid.Cid]blocks.Block }

func newMemBlocks() *memBlocks { return &memBlocks{m: map[cid.Cid]blocks.Block{}} }

func (b *memBlocks) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	blk, ok := b.m[c]
	if !ok {
		return nil, fmt.Errorf("block %s not found", c)
	}
	return blk, nil
}

func (b *memBlocks) Put(_ context.Context, blk blocks.Block) error {
	b.m[blk.Cid()] = blk
	return nil
}

func (b *memBlocks) put(blk blocks.Block) error { return b.Put(context.Background(), blk) }

// keys returns the stored CIDs in sorted string order.
func (b *memBlocks) keys() []cid.Cid {
	out := make([]cid.Cid, 0, len(b.m))
	for c := range b.m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].KeyString() < out[j].KeyString() })
	return out
}

// rawCid is a fake code CID (raw codec, identity hash of the name), like the
// reference's test manifests.
func rawCid(t testing.TB, name string) cid.Cid {
	t.Helper()
	c, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: multihash.IDENTITY, MhLength: -1}.Sum([]byte(name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type fixture struct {
	bs    *memBlocks
	store cbor.IpldStore
	st    *StateTree
	codes map[string]cid.Cid
}

func idAddr(t testing.TB, id uint64) address.Address {
	t.Helper()
	a, err := address.NewIDAddress(id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func secpAddr(t testing.TB, seed string) address.Address {
	t.Helper()
	a, err := address.NewSecp256k1Address([]byte(seed))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newFixture builds a small state tree of our own: system (0, with a
// manifest), init (1, next id 102, two mapped addresses), burnt funds (99)
// and accounts 100 and 101.
func newFixture(t testing.TB, nv network.Version) *fixture {
	t.Helper()
	ctx := context.Background()
	bs := newMemBlocks()
	store := cbor.NewCborStore(bs)
	st, err := NewStateTree(ctx, store, nv)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"system", "init", "cron", "account", "storagepower", "storageminer",
		"storagemarket", "paymentchannel", "multisig", "reward", "verifiedregistry", "datacap"}
	if nv >= network.Version18 {
		names = append(names, "placeholder", "evm", "eam", "ethaccount")
	}
	codes := map[string]cid.Cid{}
	var data manifest.ManifestData
	for _, n := range names {
		codes[n] = rawCid(t, "fil/test/"+n)
		data.Entries = append(data.Entries, manifest.ManifestEntry{Name: n, Code: codes[n]})
	}
	dataCid, err := store.Put(ctx, &data)
	if err != nil {
		t.Fatal(err)
	}
	sysHead, err := store.Put(ctx, &systemState{BuiltinActors: dataCid})
	if err != nil {
		t.Fatal(err)
	}
	amap, err := hamt.NewNode(store, hamtOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []address.Address{secpAddr(t, "alice"), secpAddr(t, "bob")} {
		if err := amap.Set(ctx, string(a.Bytes()), cbg.CborInt(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	amapRoot, err := amap.Write(ctx)
	if err != nil {
		t.Fatal(err)
	}
	initHead, err := store.Put(ctx, &InitState{AddressMap: amapRoot, NextID: 102, NetworkName: "gofvm-test"})
	if err != nil {
		t.Fatal(err)
	}
	set := func(id abi.ActorID, a *Actor) {
		if err := st.SetActor(id, a); err != nil {
			t.Fatal(err)
		}
	}
	set(SystemActorID, &Actor{Code: codes["system"], Head: sysHead, Balance: big.Zero()})
	set(InitActorID, &Actor{Code: codes["init"], Head: initHead, Balance: big.Zero()})
	set(BurntFundsActorID, &Actor{Code: codes["account"], Head: EmptyArrayCID, Balance: big.NewInt(1_000_000)})
	set(100, &Actor{Code: codes["account"], Head: EmptyArrayCID, Nonce: 7, Balance: big.NewInt(5000)})
	set(101, &Actor{Code: codes["account"], Head: EmptyArrayCID, Balance: big.NewInt(0)})
	return &fixture{bs: bs, store: store, st: st, codes: codes}
}
