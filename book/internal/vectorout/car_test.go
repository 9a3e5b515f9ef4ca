package vectorout

import (
	"bytes"
	"context"
	"testing"

	commcid "github.com/filecoin-project/go-fil-commcid"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/vectors"
)

func put(t *testing.T, s *chain.Store, codec uint64, data []byte) cid.Cid {
	t.Helper()
	c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := blocks.NewBlockWithCid(data, c)
	if err := s.PutBlock(b); err != nil {
		t.Fatal(err)
	}
	return c
}

// The CAR holds the root and what it reaches through DAG-CBOR and raw
// links: not actor code, not commitment CIDs (which name no block), not
// identity CIDs; it decodes as the vector runner reads CARs.
func TestCAR(t *testing.T) {
	s := chain.NewStore()
	raw := put(t, s, cid.Raw, []byte("bytecode"))
	code := put(t, s, cid.Raw, []byte("wasm"))
	sealed, err := commcid.ReplicaCommitmentV1ToCID(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ident, _ := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.IDENTITY}.Sum([]byte{0x80})
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 4)
	for _, c := range []cid.Cid{raw, code, sealed, ident} {
		if err := cbg.WriteCid(w, c); err != nil {
			t.Fatal(err)
		}
	}
	root := put(t, s, cid.DagCBOR, buf.Bytes())
	vw := &Writer{Store: s, Code: map[cid.Cid]bool{code: true}}
	gz, err := vw.car(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	roots, blks, err := vectors.DecodeGzipCAR(gz)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 1 || roots[0] != root {
		t.Fatalf("roots %v", roots)
	}
	got := map[cid.Cid]bool{}
	for _, b := range blks {
		got[b.Cid()] = true
	}
	if len(blks) != 2 || !got[root] || !got[raw] {
		t.Fatalf("blocks %v", got)
	}
	if _, err := vw.car(context.Background(), put(t, chain.NewStore(), cid.DagCBOR, []byte{0x80})); err == nil {
		t.Fatal("a root missing from the store was written")
	}
}
