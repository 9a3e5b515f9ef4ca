package vectors

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	"github.com/ipld/go-ipld-prime/datamodel"

	"github.com/gofvm/gofvm/actors"
)

// Bundles holds the builtin-actors bundles' blocks (manifests and wasm) that
// every vector needs beside its own CAR (conformance.md §1.6). After loading
// it is read-only and shared by all vectors. Loading is actors.LoadBundle's
// (CAR, tar, lotus .tar.zst; every block hash-verified).
type Bundles struct {
	store     *MemBlockstore
	Manifests []actors.BundleManifest

	// OpenBundles' lazy mode (bundleindex.go).
	lazy    bool
	mu      sync.Mutex // guards Manifests and the index while lazy
	sources []*bundleSource
	tars    []string // tar files not indexed yet
}

// NewBundles returns an empty set.
func NewBundles() *Bundles { return &Bundles{store: NewMemBlockstore()} }

// Blockstore is the read-only view of every loaded block.
func (b *Bundles) Blockstore() Blockstore { return readOnly{b.store} }

// Has reports whether a block (typically actor code) was loaded.
func (b *Bundles) Has(c cid.Cid) bool { return b.store.Has(c) }

// Len is the number of distinct blocks loaded.
func (b *Bundles) Len() int { return b.store.Len() }

// LoadBundles loads bundles from paths: a CAR, a lotus .tar.zst (or .tar)
// holding CARs, or a directory searched recursively for them (in lexical
// order).
func LoadBundles(paths ...string) (*Bundles, error) {
	b := NewBundles()
	for _, p := range paths {
		if err := b.LoadPath(p); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// loadBundleFile and loadBundleDir are the loaders LoadPath uses.
var (
	loadBundleFile = actors.LoadBundleFile
	loadBundleDir  = actors.LoadBundleDir
)

// LoadPath adds one path (see LoadBundles).
func (b *Bundles) LoadPath(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // "bundles: PATH: cause", the path said once
			err = pe.Err
		}
		return fmt.Errorf("bundles: %s: %w", path, err)
	}
	put := func(blk blocks.Block) error { return b.store.Put(context.Background(), blk) }
	var ms []actors.BundleManifest
	if st.IsDir() {
		ms, err = loadBundleDir(context.Background(), path, put)
		if err == nil && len(ms) == 0 {
			err = fmt.Errorf("no .car, .tar or .tar.zst bundle under %s", path)
		}
	} else {
		ms, err = loadBundleFile(context.Background(), path, put)
	}
	if err != nil {
		return fmt.Errorf("bundles: %w", err)
	}
	b.Manifests = append(b.Manifests, ms...)
	return nil
}

// manifestEntry is one [name, code] pair of a manifest data block.
type manifestEntry struct {
	Name string
	Code cid.Cid
}

// readManifestData decodes a manifest data block generically: the vector's
// own copy is read, so it need not come from a loaded bundle.
func readManifestData(r treeReader, data cid.Cid) ([]manifestEntry, error) {
	n, err := r.node(data)
	if err != nil {
		return nil, fmt.Errorf("manifest data: %w", err)
	}
	if n.Kind() != datamodel.Kind_List {
		return nil, errors.New("manifest data is not a list")
	}
	var out []manifestEntry
	it := n.ListIterator()
	for !it.Done() {
		_, e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if e.Kind() != datamodel.Kind_List || e.Length() != 2 {
			return nil, errors.New("manifest entry is not [name, code]")
		}
		nn, _ := e.LookupByIndex(0)
		name, err := nn.AsString()
		if err != nil {
			return nil, errors.New("manifest entry name is not a string")
		}
		code, err := linkAt(e, 1)
		if err != nil {
			return nil, fmt.Errorf("manifest entry %q code: %w", name, err)
		}
		out = append(out, manifestEntry{Name: name, Code: code})
	}
	return out, nil
}

type readOnly struct{ s *MemBlockstore }

func (r readOnly) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) { return r.s.Get(ctx, c) }
func (r readOnly) Put(context.Context, blocks.Block) error {
	return errors.New("the bundle store is read-only")
}

// CheckCode reports the first actor code a vector needs that neither the
// bundles nor the vector's own CAR holds: every code of the manifest the
// pre-state's system actor names (conformance.md §1.6), then the code of the
// message's sender and receiver. Without it the driver would fail later
// with a less clear error. With OpenBundles, it first loads the bundle of
// that manifest.
//
// The actors are found by typed lookups in the actors HAMT (package
// actors), one path each; an actor the partial CAR does not hold, or does
// not reach, is left to the driver, and costs no error value here.
func (b *Bundles) CheckCode(ctx context.Context, v *Vector) error {
	top := NewMemBlockstore()
	for _, blk := range v.Blocks {
		top.blocks[blk.Cid()] = blk
	}
	bs := &overlay{top: top, below: b.Blockstore()}
	r := newTreeReader(ctx, bs)
	have := func(c cid.Cid) bool { return top.Has(c) || b.Has(c) }
	hint := func() string {
		h := fmt.Sprintf("pass --bundles with the builtin-actors mainnet bundle for nv%d", v.NetworkVersion)
		if b.empty() {
			h = "no bundle was given: " + h
		}
		return h
	}

	sr, err := r.stateRoot(v.PreRoot)
	if err != nil {
		return fmt.Errorf("pre-state: %w", err)
	}
	if sys, found, err := r.hamtFind(sr.Actors, idAddressKey(0)); err == nil && found {
		if a, err := decodeActor(sys); err == nil {
			if st, err := r.node(a.Head); err == nil && st.Kind() == datamodel.Kind_List && st.Length() >= 1 {
				if data, err := linkAt(st, 0); err == nil {
					if _, err := b.ensure(ctx, data); err != nil {
						return err
					}
					entries, err := readManifestData(r, data)
					if err != nil {
						return fmt.Errorf("builtin-actors manifest %s named by the system actor: %w; %s", data, err, hint())
					}
					for _, e := range entries {
						if !have(e.Code) {
							return fmt.Errorf("actor code %s (%s, manifest %s) is in no loaded bundle; %s", e.Code, e.Name, data, hint())
						}
					}
				}
			}
		}
	}

	// The sender and the receiver, through the typed state tree. A tree
	// the actors package cannot open (a network version it does not run)
	// is the driver's to report.
	st, err := actors.LoadStateTree(ctx, cbor.NewCborStore(ipldStore{bs}), v.PreRoot, network.Version(v.NetworkVersion))
	if err != nil {
		return nil
	}
	for _, addr := range []address.Address{v.Message.From, v.Message.To} {
		id, found, err := st.LookupID(addr)
		if err != nil || !found {
			continue
		}
		a, err := st.GetActor(id)
		if err != nil || a == nil {
			continue
		}
		if !have(a.Code) {
			return fmt.Errorf("actor code %s (actor %s) is in no loaded bundle; %s", a.Code, addr, hint())
		}
	}
	return nil
}

// empty reports whether no bundle was given (none loaded, none indexed).
func (b *Bundles) empty() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.Manifests) == 0 && len(b.sources) == 0 && len(b.tars) == 0
}

// ipldStore adapts a Blockstore to the IPLD block store the actors package
// reads through (the same two methods).
type ipldStore struct{ bs Blockstore }

func (s ipldStore) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) { return s.bs.Get(ctx, c) }
func (s ipldStore) Put(ctx context.Context, b blocks.Block) error            { return s.bs.Put(ctx, b) }
