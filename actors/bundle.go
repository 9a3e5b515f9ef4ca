package actors

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/filecoin-project/go-state-types/manifest"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	car "github.com/ipld/go-car"
	"github.com/klauspost/compress/zstd"
)

// BundleManifest is one builtin-actors bundle found while loading: its CAR
// root is the manifest [version=1, data CID], the data block the
// [name, code CID] list (conformance.md §1.6).
type BundleManifest struct {
	Source  string // tar entry or file the CAR came from ("" for a bare CAR stream)
	Root    cid.Cid
	Version uint64
	Data    cid.Cid
	Entries []manifest.ManifestEntry
}

// MainnetCar is the mainnet bundle's name inside a Lotus actors tarball.
const MainnetCar = "builtin-actors-mainnet.car"

type bundleOptions struct {
	names map[string]bool // tar entry base names to load; nil = all
}

// BundleOption configures LoadBundle.
type BundleOption func(*bundleOptions)

// WithCarNames loads only the tar entries whose base name is listed (e.g.
// MainnetCar); a Lotus tarball holds one CAR per network.
func WithCarNames(names ...string) BundleOption {
	return func(o *bundleOptions) {
		if o.names == nil {
			o.names = map[string]bool{}
		}
		for _, n := range names {
			o.names[n] = true
		}
	}
}

// Limits on untrusted bundle input: a bundle holds a few dozen blocks of at
// most a few MiB (the largest v10 actor is 1.5 MB).
const (
	maxBundleBlocks = 1 << 16
	maxZstdWindow   = 1 << 25 // Lotus bundles use an 8 MiB window (windowLog 23)
	maxZstdMemory   = 1 << 30 // a whole Lotus tarball decompresses to well under 200 MB
)

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// LoadBundle reads a builtin-actors bundle: a CARv1, or a tar (optionally
// zstd-compressed, as Lotus ships build/actors/vN.tar.zst) whose .car entries
// are CARs. Every block's hash is verified, then handed to put. It returns
// the manifests found, in input order.
func LoadBundle(ctx context.Context, r io.Reader, put func(blocks.Block) error, opts ...BundleOption) ([]BundleManifest, error) {
	var o bundleOptions
	for _, f := range opts {
		f(&o)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(262)
	switch {
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow), zstd.WithDecoderMaxMemory(maxZstdMemory))
		if err != nil {
			return nil, fmt.Errorf("actors: zstd: %w", err)
		}
		defer zr.Close()
		return loadTar(ctx, zr, put, &o)
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return loadTar(ctx, br, put, &o)
	default:
		m, err := loadCar(ctx, br, put)
		if err != nil {
			return nil, err
		}
		return []BundleManifest{m}, nil
	}
}

func loadTar(ctx context.Context, r io.Reader, put func(blocks.Block) error, o *bundleOptions) ([]BundleManifest, error) {
	tr := tar.NewReader(r)
	var out []BundleManifest
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("actors: tar: %w", err)
		}
		base := path.Base(h.Name)
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(base, ".car") {
			continue
		}
		if o.names != nil && !o.names[base] {
			continue
		}
		m, err := loadCar(ctx, tr, put)
		if err != nil {
			return nil, fmt.Errorf("actors: %s: %w", h.Name, err)
		}
		m.Source = h.Name
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("actors: no matching CAR in tar")
	}
	return out, nil
}

func loadCar(ctx context.Context, r io.Reader, put func(blocks.Block) error) (bm BundleManifest, err error) {
	defer recoverTo(&err)
	cr, err := car.NewCarReader(r)
	if err != nil {
		return bm, fmt.Errorf("actors: car header: %w", err)
	}
	if len(cr.Header.Roots) != 1 {
		return bm, fmt.Errorf("actors: bundle CAR must have one root, has %d", len(cr.Header.Roots))
	}
	// Keep the structured (non-raw) blocks to decode the manifest.
	small := map[cid.Cid][]byte{}
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return bm, err
		}
		if n > maxBundleBlocks {
			return bm, fmt.Errorf("actors: bundle has more than %d blocks", maxBundleBlocks)
		}
		b, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bm, fmt.Errorf("actors: car block: %w", err)
		}
		if err := verifyBlock(b); err != nil {
			return bm, err
		}
		if b.Cid().Prefix().Codec != cid.Raw {
			small[b.Cid()] = b.RawData()
		}
		if put != nil {
			if err := put(b); err != nil {
				return bm, err
			}
		}
	}
	root := cr.Header.Roots[0]
	raw, ok := small[root]
	if !ok {
		return bm, fmt.Errorf("actors: bundle root %s not in the CAR", root)
	}
	var m manifest.Manifest
	if err := m.UnmarshalCBOR(bytes.NewReader(raw)); err != nil {
		return bm, fmt.Errorf("actors: bundle root %s is not a manifest: %w", root, err)
	}
	if m.Version != 1 {
		return bm, fmt.Errorf("actors: manifest version %d, only 1 exists", m.Version)
	}
	data, ok := small[m.Data]
	if !ok {
		return bm, fmt.Errorf("actors: manifest data %s not in the CAR", m.Data)
	}
	var d manifest.ManifestData
	if err := d.UnmarshalCBOR(bytes.NewReader(data)); err != nil {
		return bm, fmt.Errorf("actors: manifest data %s: %w", m.Data, err)
	}
	return BundleManifest{Root: root, Version: m.Version, Data: m.Data, Entries: d.Entries}, nil
}

// verifyBlock recomputes a block's CID from its bytes.
func verifyBlock(b blocks.Block) error {
	c, err := b.Cid().Prefix().Sum(b.RawData())
	if err != nil {
		return fmt.Errorf("actors: hash block %s: %w", b.Cid(), err)
	}
	if !c.Equals(b.Cid()) {
		return fmt.Errorf("actors: block %s does not match its hash (%s)", b.Cid(), c)
	}
	return nil
}

// LoadBundleDir loads every .car, .tar and .tar.zst under dir, in lexical
// path order. WithCarNames filters loose .car files by base name as well as
// tar entries.
func LoadBundleDir(ctx context.Context, dir string, put func(blocks.Block) error, opts ...BundleOption) ([]BundleManifest, error) {
	var o bundleOptions
	for _, f := range opts {
		f(&o)
	}
	var out []BundleManifest
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isBundleFile(p) {
			return nil
		}
		if strings.HasSuffix(p, ".car") && o.names != nil && !o.names[filepath.Base(p)] {
			return nil // loose CARs obey WithCarNames too
		}
		ms, err := LoadBundleFile(ctx, p, put, opts...)
		if err != nil {
			return err
		}
		out = append(out, ms...)
		return nil
	})
	return out, err
}

func isBundleFile(p string) bool {
	return strings.HasSuffix(p, ".car") || strings.HasSuffix(p, ".tar") || strings.HasSuffix(p, ".tar.zst")
}

// LoadBundleFile loads one bundle file; a bare CAR's manifest gets the file
// path as Source.
func LoadBundleFile(ctx context.Context, p string, put func(blocks.Block) error, opts ...BundleOption) ([]BundleManifest, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ms, err := LoadBundle(ctx, f, put, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	for i := range ms {
		if ms[i].Source == "" {
			ms[i].Source = p
		} else {
			ms[i].Source = p + ":" + ms[i].Source
		}
	}
	return ms, nil
}

// Bundles collects several bundles: their manifests and the wasm of every
// code CID they name. Only code CIDs present here can run.
type Bundles struct {
	manifests []BundleManifest
	wasm      map[cid.Cid][]byte
	meta      map[cid.Cid][]byte // manifest root and data blocks
}

// NewBundles returns an empty collection.
func NewBundles() *Bundles {
	return &Bundles{wasm: map[cid.Cid][]byte{}, meta: map[cid.Cid][]byte{}}
}

func (b *Bundles) collect(load func(put func(blocks.Block) error) ([]BundleManifest, error)) error {
	seen := map[cid.Cid][]byte{}
	ms, err := load(func(blk blocks.Block) error {
		seen[blk.Cid()] = blk.RawData()
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range ms {
		for _, e := range m.Entries {
			w, ok := seen[e.Code]
			if !ok {
				return fmt.Errorf("actors: bundle %s: code %s (%s) not in the CAR", m.Root, e.Code, e.Name)
			}
			b.wasm[e.Code] = w
		}
		b.meta[m.Root] = seen[m.Root]
		b.meta[m.Data] = seen[m.Data]
		b.manifests = append(b.manifests, m)
	}
	return nil
}

// Load adds the bundles of one stream (see LoadBundle).
func (b *Bundles) Load(ctx context.Context, r io.Reader, opts ...BundleOption) error {
	return b.collect(func(put func(blocks.Block) error) ([]BundleManifest, error) {
		return LoadBundle(ctx, r, put, opts...)
	})
}

// LoadFile adds the bundles of one file.
func (b *Bundles) LoadFile(ctx context.Context, p string, opts ...BundleOption) error {
	return b.collect(func(put func(blocks.Block) error) ([]BundleManifest, error) {
		return LoadBundleFile(ctx, p, put, opts...)
	})
}

// LoadDir adds every bundle file under dir.
func (b *Bundles) LoadDir(ctx context.Context, dir string, opts ...BundleOption) error {
	return b.collect(func(put func(blocks.Block) error) ([]BundleManifest, error) {
		return LoadBundleDir(ctx, dir, put, opts...)
	})
}

// Wasm returns the (uninstrumented) module bytes of a code CID. The slice is
// shared: do not modify it.
func (b *Bundles) Wasm(code cid.Cid) ([]byte, bool) {
	w, ok := b.wasm[code]
	return w, ok
}

// Manifests returns the manifests loaded so far, in load order.
func (b *Bundles) Manifests() []BundleManifest { return append([]BundleManifest(nil), b.manifests...) }

// ByData finds a loaded bundle by its manifest data CID (what the system
// actor's state holds).
func (b *Bundles) ByData(data cid.Cid) (BundleManifest, bool) {
	for _, m := range b.manifests {
		if m.Data == data {
			return m, true
		}
	}
	return BundleManifest{}, false
}

// PutManifestBlocks hands the manifest root and data blocks of every loaded
// bundle to put (in load order), for stores that lack them.
func (b *Bundles) PutManifestBlocks(put func(blocks.Block) error) error {
	for _, m := range b.manifests {
		for _, c := range []cid.Cid{m.Root, m.Data} {
			blk, err := blocks.NewBlockWithCid(b.meta[c], c)
			if err != nil {
				return err
			}
			if err := put(blk); err != nil {
				return err
			}
		}
	}
	return nil
}
