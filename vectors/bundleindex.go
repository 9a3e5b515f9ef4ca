package vectors

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
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
	"github.com/klauspost/compress/zstd"

	"github.com/gofvm/gofvm/actors"
)

// A run needs only the bundles its vectors' pre-states name (the system
// actor's manifest, conformance.md §1.6), but a bundle directory such as
// .conformance/bundles holds eleven versions, each for seven networks and
// twice over (loose CARs and a Lotus tarball): loading it all took 1.3 GB.
// OpenBundles instead indexes what the paths hold, by manifest data CID,
// and CheckCode loads the one bundle each vector needs when it first needs
// it. Loose CARs are indexed up front from their first blocks (a bundle
// CAR begins with its manifest root and data); tarballs, which must be
// decompressed to be read, only when no loose CAR has the manifest asked
// for.

// bundleSource is one bundle that can be loaded: a CAR file, or a CAR
// entry of a tar file.
type bundleSource struct {
	path, entry string  // entry: the tar entry's name; "" for a CAR file
	data        cid.Cid // manifest data CID (undefined: unreadable, skipped)
	loaded      bool
}

// OpenBundles is LoadBundles, but lazy for directories: a file is loaded
// now, as LoadBundles does; a directory is only indexed now (same errors as
// LoadBundles for a missing path or a directory without bundles), and each
// bundle in it is loaded, its blocks hash-verified, when a vector first
// needs it — a broken one then fails the vectors that need it. Manifests
// lists the bundles loaded so far.
func OpenBundles(paths ...string) (*Bundles, error) {
	b := NewBundles()
	b.lazy = true
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("bundles: %s: %w", p, err)
		}
		if !st.IsDir() {
			// A file named on its own is wanted: load it now, so that a
			// broken one is an input error before anything runs.
			if err := b.LoadPath(p); err != nil {
				return nil, err
			}
			continue
		}
		n := 0
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !isBundleFile(f) {
				return nil
			}
			n++
			return b.indexFile(f)
		})
		if err == nil && n == 0 {
			err = fmt.Errorf("no .car, .tar or .tar.zst bundle under %s", p)
		}
		if err != nil {
			return nil, fmt.Errorf("bundles: %w", err)
		}
	}
	return b, nil
}

func isBundleFile(p string) bool {
	return strings.HasSuffix(p, ".car") || strings.HasSuffix(p, ".tar") || strings.HasSuffix(p, ".tar.zst")
}

// indexFile records a CAR with its manifest data CID, or a tar for later.
func (b *Bundles) indexFile(p string) error {
	if !strings.HasSuffix(p, ".car") {
		b.tars = append(b.tars, p)
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	// A file that is not a readable bundle is skipped here; loading it
	// would fail with the full reason if a vector ever needed it.
	data, _ := manifestDataOf(bufio.NewReaderSize(f, 32<<10))
	b.sources = append(b.sources, &bundleSource{path: p, data: data})
	return nil
}

// indexTars decompresses the tarballs not indexed yet and records their
// CAR entries. Called with b.mu held.
func (b *Bundles) indexTars() {
	for _, p := range b.tars {
		_ = b.indexTar(p)
	}
	b.tars = nil
}

func (b *Bundles) indexTar(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 64<<10)
	if strings.HasSuffix(p, ".zst") {
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<25))
		if err != nil {
			return err
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil // io.EOF, or a damaged tar: index what was read
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(path.Base(h.Name), ".car") {
			continue
		}
		data, _ := manifestDataOf(bufio.NewReaderSize(tr, 32<<10))
		b.sources = append(b.sources, &bundleSource{path: p, entry: h.Name, data: data})
	}
}

// manifestDataOf reads a bundle CAR's header and blocks up to its manifest
// root and data (the first two blocks of every real bundle) and returns the
// data CID. Nothing is hashed: this only chooses what to load; loading
// verifies every block.
func manifestDataOf(r *bufio.Reader) (cid.Cid, error) {
	hdr, err := readSection(r)
	if err != nil {
		return cid.Undef, err
	}
	root, err := headerRoot(hdr)
	if err != nil {
		return cid.Undef, err
	}
	for i := 0; i < 1<<16; i++ {
		sec, err := readSection(r)
		if err != nil {
			return cid.Undef, err
		}
		if sec == nil {
			continue // a large block skipped unread
		}
		n, c, err := cid.CidFromBytes(sec)
		if err != nil {
			return cid.Undef, err
		}
		if c.Equals(root) {
			var m manifest.Manifest
			if err := m.UnmarshalCBOR(bytes.NewReader(sec[n:])); err != nil {
				return cid.Undef, err
			}
			return m.Data, nil
		}
	}
	return cid.Undef, errors.New("no manifest root among the first blocks")
}

// readSection reads one length-prefixed CAR section (the header or a block).
func readSection(r *bufio.Reader) ([]byte, error) {
	l, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if l == 0 || l > 64<<20 {
		return nil, fmt.Errorf("CAR section of %d bytes", l)
	}
	if l > 1<<20 { // a wasm module: skip it
		_, err := r.Discard(int(l))
		return nil, err
	}
	buf := make([]byte, l)
	_, err = io.ReadFull(r, buf)
	return buf, err
}

// headerRoot decodes a CARv1 header and returns its single root.
func headerRoot(hdr []byte) (cid.Cid, error) {
	var lp [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(lp[:], uint64(len(hdr)))
	h, err := carHeader(append(lp[:n:n], hdr...))
	if err != nil {
		return cid.Undef, err
	}
	if len(h.Roots) != 1 {
		return cid.Undef, fmt.Errorf("%d roots", len(h.Roots))
	}
	return h.Roots[0], nil
}

// ensure loads the bundle whose manifest data CID is data, unless one is
// loaded already; it reports whether one is now. Safe for concurrent use.
func (b *Bundles) ensure(ctx context.Context, data cid.Cid) (bool, error) {
	if !b.lazy {
		return false, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.Manifests {
		if m.Data.Equals(data) {
			return true, nil
		}
	}
	src := b.source(data)
	if src == nil && len(b.tars) > 0 {
		b.indexTars()
		src = b.source(data)
	}
	if src == nil {
		return false, nil
	}
	put := func(blk blocks.Block) error { return b.store.Put(ctx, blk) }
	var opts []actors.BundleOption
	if src.entry != "" {
		opts = append(opts, actors.WithCarNames(path.Base(src.entry)))
	}
	ms, err := loadBundleFile(ctx, src.path, put, opts...)
	if err != nil {
		return false, fmt.Errorf("bundles: %w", err)
	}
	src.loaded = true
	b.Manifests = append(b.Manifests, ms...)
	return true, nil
}

func (b *Bundles) source(data cid.Cid) *bundleSource {
	for _, s := range b.sources {
		if !s.loaded && s.data.Equals(data) {
			return s
		}
	}
	return nil
}
