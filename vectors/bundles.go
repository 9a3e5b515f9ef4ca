package vectors

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
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
// pre-state's system actor names (conformance.md §1.6), then the code of
// every actor record the CAR holds. Without it the driver would fail later
// with a less clear error.
func (b *Bundles) CheckCode(ctx context.Context, v *Vector) error {
	top := NewMemBlockstore()
	for _, blk := range v.Blocks {
		top.blocks[blk.Cid()] = blk
	}
	bs := &overlay{top: top, below: b.Blockstore()}
	r := newTreeReader(ctx, bs)
	have := func(c cid.Cid) bool { return top.Has(c) || b.Has(c) }
	hint := fmt.Sprintf("pass --bundles with the builtin-actors mainnet bundle for nv%d", v.NetworkVersion)
	if len(b.Manifests) == 0 {
		hint = "no bundle was given: " + hint
	}

	sr, err := r.stateRoot(v.PreRoot)
	if err != nil {
		return fmt.Errorf("pre-state: %w", err)
	}
	if sys, found, err := r.hamtFind(sr.Actors, idAddressKey(0)); err == nil && found {
		if a, err := decodeActor(sys); err == nil {
			if st, err := r.node(a.Head); err == nil && st.Kind() == datamodel.Kind_List && st.Length() >= 1 {
				if data, err := linkAt(st, 0); err == nil {
					entries, err := readManifestData(r, data)
					if err != nil {
						return fmt.Errorf("builtin-actors manifest %s named by the system actor: %w; %s", data, err, hint)
					}
					for _, e := range entries {
						if !have(e.Code) {
							return fmt.Errorf("actor code %s (%s, manifest %s) is in no loaded bundle; %s", e.Code, e.Name, data, hint)
						}
					}
				}
			}
		}
	}

	all := map[string]datamodel.Node{}
	if _, err := r.hamtCollect(linkNode(sr.Actors), all, 0); err != nil {
		return fmt.Errorf("pre-state actors HAMT: %w", err)
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a, err := decodeActor(all[k])
		if err != nil {
			continue // the driver will meet it, if the message touches it
		}
		if !have(a.Code) {
			return fmt.Errorf("actor code %s (actor %s) is in no loaded bundle; %s", a.Code, keyName(k), hint)
		}
	}
	return nil
}
