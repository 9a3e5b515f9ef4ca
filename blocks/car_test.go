package blocks

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
)

// carV1 writes a CARv1 by hand (ipld.io/specs/transport/car/carv1): a
// varint-prefixed DAG-CBOR header {roots, version: 1}, then varint-prefixed
// sections of CID bytes + block bytes.
func carV1(roots []cid.Cid, sections ...[]byte) []byte {
	hdr := []byte{0xa2, 0x65, 'r', 'o', 'o', 't', 's', 0x80 | byte(len(roots))}
	for _, r := range roots {
		hdr = append(hdr, link(r)...)
	}
	hdr = append(hdr, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x01)
	out := binary.AppendUvarint(nil, uint64(len(hdr)))
	out = append(out, hdr...)
	for _, s := range sections {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

func section(b blockformat.Block) []byte {
	return append(b.Cid().Bytes(), b.RawData()...)
}

func TestLoadCAR(t *testing.T) {
	ctx := context.Background()
	leaf := blk(0x55, []byte("wasm"))
	root := blk(0x71, list(leaf.Cid()))
	data := carV1([]cid.Cid{root.Cid()}, section(root), section(leaf))

	var got []cid.Cid
	roots, err := LoadCAR(ctx, bytes.NewReader(data), func(b blockformat.Block) error {
		got = append(got, b.Cid())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 1 || !roots[0].Equals(root.Cid()) {
		t.Fatalf("roots %v", roots)
	}
	if len(got) != 2 || !got[0].Equals(root.Cid()) || !got[1].Equals(leaf.Cid()) {
		t.Fatalf("blocks %v", got)
	}

	// Into a datastore, then read back through a read-only view.
	ds := dssync.MutexWrap(datastore.NewMapDatastore())
	if _, err := LoadCARToDatastore(ctx, bytes.NewReader(data), ds); err != nil {
		t.Fatal(err)
	}
	ro := NewReadOnly(ds)
	b, err := ro.Get(ctx, leaf.Cid())
	if err != nil || string(b.RawData()) != "wasm" {
		t.Fatalf("ReadOnly.Get = %v, %v", b, err)
	}
	if ok, _ := ro.Has(ctx, root.Cid()); !ok {
		t.Fatal("root missing")
	}
	if err := ro.Put(ctx, leaf); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("ReadOnly.Put = %v", err)
	}
}

func TestLoadCARBadHash(t *testing.T) {
	good := blk(0x71, []byte{0x01})
	tampered := append(good.Cid().Bytes(), 0x02)
	data := carV1([]cid.Cid{good.Cid()}, tampered)
	_, err := LoadCAR(context.Background(), bytes.NewReader(data), func(blockformat.Block) error { return nil })
	if !errors.Is(err, ErrBadBlockHash) {
		t.Fatalf("err %v, want ErrBadBlockHash", err)
	}
}

func TestLoadCARTruncatedAndPutError(t *testing.T) {
	b := blk(0x71, []byte{0x01})
	data := carV1([]cid.Cid{b.Cid()}, section(b))
	for cut := 1; cut < len(data); cut += 7 {
		if _, err := LoadCAR(context.Background(), bytes.NewReader(data[:len(data)-cut]), func(blockformat.Block) error { return nil }); err == nil {
			t.Fatalf("truncated by %d accepted", cut)
		}
	}
	stop := errors.New("stop")
	if _, err := LoadCAR(context.Background(), bytes.NewReader(data), func(blockformat.Block) error { return stop }); err != stop {
		t.Fatalf("put error lost: %v", err)
	}
}

// TestLoadRealBundles loads the mainnet builtin-actors bundles when the local
// conformance data is present (never committed; skipped otherwise).
func TestLoadRealBundles(t *testing.T) {
	for _, v := range []string{"v9", "v10"} {
		path := filepath.Join("..", ".conformance", "bundles", v, "builtin-actors-mainnet.car")
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("no local bundle: %v", err)
		}
		n := 0
		roots, err := LoadCAR(context.Background(), f, func(blockformat.Block) error { n++; return nil })
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if len(roots) != 1 || n < 10 {
			t.Fatalf("%s: %d roots, %d blocks", v, len(roots), n)
		}
		t.Logf("%s: root %s, %d blocks verified", v, roots[0], n)
	}
}
