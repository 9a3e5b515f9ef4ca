package vectors

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipld/go-ipld-prime/datamodel"
	"github.com/klauspost/compress/zstd"
)

// Bundles holds the builtin-actors bundles' blocks (manifests and wasm) that
// every vector needs beside its own CAR (conformance.md §1.6). After loading
// it is read-only and shared by all vectors.
type Bundles struct {
	store     *MemBlockstore
	Manifests []Manifest
}

// Manifest is one loaded bundle: its root [version, data] and the
// (name, code CID) pairs of its data block (conformance.md §1.6).
type Manifest struct {
	Source string // file, or file:entry for a tarball member
	Root   cid.Cid
	Data   cid.Cid
	Actors []ManifestEntry
}

// ManifestEntry is one actor of a manifest.
type ManifestEntry struct {
	Name string
	Code cid.Cid
}

// NewBundles returns an empty set.
func NewBundles() *Bundles { return &Bundles{store: NewMemBlockstore()} }

// Blockstore is the read-only view of every loaded block.
func (b *Bundles) Blockstore() Blockstore { return readOnly{b.store} }

// Has reports whether a block (typically actor code) was loaded.
func (b *Bundles) Has(c cid.Cid) bool { return b.store.Has(c) }

// Len is the number of distinct blocks loaded.
func (b *Bundles) Len() int { return b.store.Len() }

// LoadBundles loads bundles from paths: a CAR, a lotus .tar.zst holding CARs,
// or a directory searched recursively for both (in lexical order).
func LoadBundles(paths ...string) (*Bundles, error) {
	b := NewBundles()
	for _, p := range paths {
		if err := b.LoadPath(p); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// LoadPath adds one path (see LoadBundles).
func (b *Bundles) LoadPath(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("bundles: %w", err)
	}
	if !st.IsDir() {
		return b.loadFile(path)
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && isBundleFile(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bundles: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("bundles: no .car or .tar.zst file under %s", path)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := b.loadFile(f); err != nil {
			return err
		}
	}
	return nil
}

func isBundleFile(p string) bool {
	return strings.HasSuffix(p, ".car") || strings.HasSuffix(p, ".tar.zst")
}

func (b *Bundles) loadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("bundles: %w", err)
	}
	defer f.Close()
	if strings.HasSuffix(path, ".tar.zst") {
		return b.loadTarZst(path, f)
	}
	return b.loadCAR(path, f)
}

// loadTarZst reads every *.car member of a lotus actors tarball.
func (b *Bundles) loadTarZst(path string, r io.Reader) error {
	zr, err := zstd.NewReader(r)
	if err != nil {
		return fmt.Errorf("bundles: %s: zstd: %w", path, err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	found := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("bundles: %s: tar: %w", path, err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".car") {
			continue
		}
		if err := b.loadCAR(path+":"+h.Name, tr); err != nil {
			return err
		}
		found++
	}
	if found == 0 {
		return fmt.Errorf("bundles: %s: no .car member", path)
	}
	return nil
}

// loadCAR reads one bundle CAR, hash-verifying every block, and records its
// manifest.
func (b *Bundles) loadCAR(source string, r io.Reader) error {
	roots, blks, err := ReadCAR(r)
	if err != nil {
		return fmt.Errorf("bundles: %s: %w", source, err)
	}
	if len(roots) != 1 {
		return fmt.Errorf("bundles: %s: %d roots, a bundle has exactly 1 (the manifest)", source, len(roots))
	}
	local := NewMemBlockstore()
	for _, blk := range blks {
		local.blocks[blk.Cid()] = blk
	}
	m, err := readManifest(local, roots[0])
	if err != nil {
		return fmt.Errorf("bundles: %s: %w", source, err)
	}
	m.Source = source
	for _, blk := range blks {
		b.store.blocks[blk.Cid()] = blk
	}
	b.Manifests = append(b.Manifests, *m)
	return nil
}

// readManifest decodes [1, data] and the data block's [name, code] pairs.
func readManifest(bs Blockstore, root cid.Cid) (*Manifest, error) {
	r := treeReader{ctx: context.Background(), bs: bs}
	n, err := r.node(root)
	if err != nil {
		return nil, fmt.Errorf("manifest root: %w", err)
	}
	if n.Kind() != datamodel.Kind_List || n.Length() != 2 {
		return nil, errors.New("not a builtin-actors bundle: root is not [version, data]")
	}
	vn, _ := n.LookupByIndex(0)
	if v, err := vn.AsInt(); err != nil || v != 1 {
		return nil, errors.New("not a builtin-actors bundle: manifest version is not 1")
	}
	data, err := linkAt(n, 1)
	if err != nil {
		return nil, fmt.Errorf("manifest data link: %w", err)
	}
	entries, err := readManifestData(r, data)
	if err != nil {
		return nil, err
	}
	return &Manifest{Root: root, Data: data, Actors: entries}, nil
}

func readManifestData(r treeReader, data cid.Cid) ([]ManifestEntry, error) {
	n, err := r.node(data)
	if err != nil {
		return nil, fmt.Errorf("manifest data: %w", err)
	}
	if n.Kind() != datamodel.Kind_List {
		return nil, errors.New("manifest data is not a list")
	}
	var out []ManifestEntry
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
		out = append(out, ManifestEntry{Name: name, Code: code})
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
	r := treeReader{ctx: ctx, bs: bs}
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
