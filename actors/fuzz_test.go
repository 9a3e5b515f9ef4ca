package actors

import (
	"bytes"
	"context"
	"io"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/filecoin-project/go-state-types/network"
	cbor "github.com/ipfs/go-ipld-cbor"
)

func FuzzDecodeActor(f *testing.F) {
	a := &Actor{Code: EmptyArrayCID, Head: EmptyArrayCID, Nonce: 3, Balance: big.NewInt(10)}
	for _, v := range []uint64{4, 5} {
		raw, _ := encodeActor(a, v)
		f.Add(raw, v == 5)
	}
	f.Fuzz(func(t *testing.T, raw []byte, v5 bool) {
		v := uint64(4)
		if v5 {
			v = 5
		}
		a, err := decodeActor(raw, v)
		if err != nil {
			return
		}
		// Whatever decodes must encode again, and decode to the same record.
		out, err := encodeActor(a, v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		b, err := decodeActor(out, v)
		if err != nil || b.Nonce != a.Nonce || !b.Balance.Equals(a.Balance) || b.Code != a.Code || b.Head != a.Head {
			t.Fatalf("round trip: %+v %v", b, err)
		}
	})
}

func FuzzStateRoot(f *testing.F) {
	var buf bytes.Buffer
	_ = (&StateRoot{Version: 5, Actors: EmptyArrayCID, Info: EmptyArrayCID}).MarshalCBOR(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte{0x83, 0x04})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var s StateRoot
		_ = s.UnmarshalCBOR(bytes.NewReader(raw))
	})
}

func FuzzLoadBundle(f *testing.F) {
	carBytes, _, _ := fakeBundle(f, "system", "init", "account")
	f.Add(carBytes)
	f.Add(tarZst(f, map[string][]byte{"a.car": carBytes}, []string{"a.car"}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		bs := newMemBlocks()
		ms, err := LoadBundle(context.Background(), bytes.NewReader(raw), bs.put)
		if err != nil {
			return
		}
		for _, m := range ms {
			_, _ = NewManifest(m.Data, m.Entries, network.Version17)
			for _, c := range bs.keys() {
				if err := verifyBlock(mustBlock(t, bs, c)); err != nil {
					t.Fatalf("unverified block stored: %v", err)
				}
			}
		}
	})
}

func FuzzManifestData(f *testing.F) {
	var buf bytes.Buffer
	_ = (&manifest.ManifestData{Entries: []manifest.ManifestEntry{{Name: "system", Code: EmptyArrayCID}}}).MarshalCBOR(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		bs := newMemBlocks()
		store := cbor.NewCborStore(bs)
		c, err := store.Put(context.Background(), rawNode(raw))
		if err != nil {
			return
		}
		_, _ = LoadManifest(context.Background(), store, c, network.Version18)
	})
}

type rawNode []byte

func (r rawNode) MarshalCBOR(w io.Writer) error {
	_, err := w.Write(r)
	return err
}

func mustBlock(t *testing.T, bs *memBlocks, c cid.Cid) blocks.Block {
	b, err := bs.Get(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzStateTreeNodes feeds arbitrary bytes as the actors HAMT root node and
// as the init actor's state: loading and lookups must error, never panic.
func FuzzStateTreeNodes(f *testing.F) {
	fx := newFixture(f, network.Version18)
	root, _ := fx.st.Flush()
	var sr StateRoot
	_ = fx.store.Get(context.Background(), root, &sr)
	hamtRoot, _ := fx.bs.Get(context.Background(), sr.Actors)
	f.Add(hamtRoot.RawData(), []byte{0x83, 0x40, 0x00, 0x60})
	f.Add([]byte{0x82, 0x40, 0x80}, []byte{0x80})
	f.Fuzz(func(t *testing.T, node, initState []byte) {
		ctx := context.Background()
		bs := newMemBlocks()
		for c, b := range fx.bs.m {
			bs.m[c] = b
		}
		store := cbor.NewCborStore(bs)
		n, err := store.Put(ctx, rawNode(node))
		if err != nil {
			return
		}
		r, err := store.Put(ctx, &StateRoot{Version: 5, Actors: n, Info: EmptyArrayCID})
		if err != nil {
			return
		}
		st, err := LoadStateTree(ctx, store, r, network.Version18)
		if err != nil {
			return
		}
		for id := abi.ActorID(0); id < 4; id++ {
			_, _ = st.GetActor(id)
		}
		if h, err := store.Put(ctx, rawNode(initState)); err == nil {
			_ = st.SetActor(InitActorID, &Actor{Code: EmptyArrayCID, Head: h, Balance: big.Zero()})
			_, _, _ = st.LookupID(secpAddr(t, "alice"))
			_, _ = st.RegisterNewAddress(secpAddr(t, "zed"))
		}
		_, _ = st.Flush()
	})
}
