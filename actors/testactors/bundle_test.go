package testactors

import (
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
)

// The bundle loads through the actors package's bundle loader (every block
// hash-verified), its manifest has the names the kernel requires at each
// network version (fvm-abi.md §8.1) with distinct code CIDs, and its bytes
// are stable.
func TestBundleLoads(t *testing.T) {
	for _, nv := range []network.Version{network.Version16, network.Version17, network.Version18,
		network.Version19, network.Version20, network.Version21, network.Version25, network.Version28} {
		b, err := NewBundle(nv)
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := NewBundle(nv)
		if !bytes.Equal(b.CAR(), b2.CAR()) {
			t.Fatalf("nv%d: bundle CAR is not deterministic", nv)
		}
		store := NewMemStore()
		put := func(blk blocks.Block) error { return store.Put(context.Background(), blk) }
		ms, err := actors.LoadBundle(context.Background(), bytes.NewReader(b.CAR()), put)
		if err != nil {
			t.Fatalf("nv%d: %v", nv, err)
		}
		if len(ms) != 1 || ms[0].Root != b.Root {
			t.Fatalf("nv%d: manifests %+v, want root %s", nv, ms, b.Root)
		}
		m, err := actors.LoadManifest(context.Background(), cbor.NewCborStore(store), b.Data, nv)
		if err != nil {
			t.Fatalf("nv%d: %v", nv, err)
		}
		seen := map[string]bool{}
		for _, name := range Names(nv) {
			c, ok := m.CodeByName(name)
			if !ok || c != b.Codes[name] || seen[c.String()] {
				t.Fatalf("nv%d: %s code %s (found %v, duplicate %v)", nv, name, c, ok, seen[c.String()])
			}
			seen[c.String()] = true
		}
	}
	// One bundle per engine line: nv16 = nv17, nv19 = nv20 = nv18,
	// nv22 … nv28 = nv21.
	for _, pair := range [][2]network.Version{{16, 17}, {19, 18}, {20, 18}, {22, 21}, {25, 21}, {28, 21}} {
		a, _ := NewBundle(pair[0])
		b, _ := NewBundle(pair[1])
		if a.Root != b.Root {
			t.Errorf("nv%d and nv%d bundles differ", pair[0], pair[1])
		}
	}
	for _, pair := range [][2]network.Version{{17, 18}, {20, 21}} {
		a, _ := NewBundle(pair[0])
		b, _ := NewBundle(pair[1])
		if a.Root == b.Root {
			t.Errorf("nv%d and nv%d bundles are the same", pair[0], pair[1])
		}
	}
	for _, nv := range []network.Version{network.Version15, network.Version29} {
		if _, err := NewBundle(nv); err == nil {
			t.Errorf("nv%d bundle built", nv)
		}
	}
}

// The genesis is a loadable state tree of the version's StateRoot format
// (v4 at nv16–17, v5 at nv18–28, fvm-abi.md §8.2, fvm-abi-next.md §7.11)
// whose init actor resolves every genesis address to the documented id.
func TestGenesis(t *testing.T) {
	for _, c := range []struct {
		nv      network.Version
		version uint64
	}{{network.Version16, 4}, {network.Version17, 4}, {network.Version18, 5}, {network.Version19, 5}, {network.Version20, 5},
		{network.Version21, 5}, {network.Version24, 5}, {network.Version25, 5}, {network.Version28, 5}} {
		g, err := NewGenesis(context.Background(), c.nv)
		if err != nil {
			t.Fatal(err)
		}
		st, err := actors.LoadStateTree(context.Background(), cbor.NewCborStore(g.Store), g.Root, c.nv)
		if err != nil {
			t.Fatal(err)
		}
		if st.Version() != c.version {
			t.Errorf("nv%d: state root version %d, want %d", c.nv, st.Version(), c.version)
		}
		for i, addr := range g.addresses() {
			id, found, err := st.LookupID(addr)
			if err != nil || !found || uint64(id) != uint64(AliceID)+uint64(i) {
				t.Errorf("nv%d: %s → %d, %v, %v; want %d", c.nv, addr, id, found, err, uint64(AliceID)+uint64(i))
			}
		}
	}
}
