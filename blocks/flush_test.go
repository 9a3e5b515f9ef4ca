package blocks

import (
	"context"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/codecs"
)

func TestFlushWritesOnlyReachable(t *testing.T) {
	// ref-fvm buffered.rs tests, restated: a root reaching a DAG-CBOR child,
	// a raw block, a commitment, an identity CID; an unconnected block stays
	// in the buffer only.
	ctx := context.Background()
	for _, mode := range []FlushMode{V2, V3} {
		b, ds := newStore(t, mode)
		raw := blk(0x55, []byte("code"))
		leaf := blk(0x71, []byte{0x82, 0x01, 0x02})
		commR := cidOf(codecs.FilCommitmentSealed, 0xb401, make([]byte, 32))
		commD := cidOf(codecs.FilCommitmentUnsealed, 0x1012, make([]byte, 32))
		ident := cidOf(0x55, mh.IDENTITY, []byte{0})
		mid := blk(0x71, list(leaf.Cid(), commR, commD, ident))
		root := blk(0x71, list(mid.Cid(), raw.Cid()))
		unconnected := blk(0x71, []byte{0x18, 27})
		put(t, b, raw, leaf, mid, root, unconnected)

		if err := b.Flush(ctx, root.Cid()); err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		for _, c := range []cid.Cid{raw.Cid(), leaf.Cid(), mid.Cid(), root.Cid()} {
			if !inDatastore(t, ds, c) {
				t.Errorf("mode %d: %s not written", mode, c)
			}
		}
		if inDatastore(t, ds, unconnected.Cid()) {
			t.Errorf("mode %d: unconnected block written", mode)
		}
		// v2 clears the write buffer after a flush (fvm-abi.md §4.3); 3.6.0+
		// takes out what it wrote and keeps the rest (fvm-abi-next.md §4.7).
		wantLen := map[FlushMode]int{V2: 0, V3: 1}[mode]
		if b.Len() != wantLen {
			t.Errorf("mode %d: %d blocks buffered after flush, want %d", mode, b.Len(), wantLen)
		}
		if _, err := b.Get(ctx, unconnected.Cid()); (err == nil) != (mode == V3) {
			t.Errorf("mode %d: unconnected readable after flush: %v", mode, err)
		}
	}
}

func TestFlushTraversalRules(t *testing.T) {
	child := blk(0x71, []byte{0x01})
	rawChild := blk(0x55, []byte("raw"))
	cborBlk := blk(0x51, list(child.Cid())) // CBOR is written but never scanned
	digest := make([]byte, 32)
	tests := []struct {
		name    string
		links   []cid.Cid // what the root links to
		root    []byte    // the root's bytes instead of list(links...)
		extra   []cid.Cid // extra blocks expected written besides root
		absent  []cid.Cid // buffered blocks that must not be written
		failsV2 bool
		failsV3 bool
	}{
		{name: "dag-cbor child", links: []cid.Cid{child.Cid()}, extra: []cid.Cid{child.Cid()}},
		{name: "raw child", links: []cid.Cid{rawChild.Cid()}, extra: []cid.Cid{rawChild.Cid()}},
		{name: "unbuffered child assumed present", links: []cid.Cid{blk(0x71, []byte{9}).Cid()}},
		{name: "raw identity ignored", links: []cid.Cid{cidOf(0x55, mh.IDENTITY, []byte("x"))}},
		{name: "dag-cbor identity scanned inline", links: []cid.Cid{cidOf(0x71, mh.IDENTITY, list(child.Cid()))},
			extra: []cid.Cid{child.Cid()}},
		{name: "dag-cbor identity with bad bytes", links: []cid.Cid{cidOf(0x71, mh.IDENTITY, []byte{0x1c})},
			failsV2: true, failsV3: true},
		{name: "commitments ignored whatever the hash", links: []cid.Cid{
			cidOf(0xf101, mh.SHA2_256, digest[:5]), cidOf(0xf102, mh.IDENTITY, nil)}},
		{name: "cbor child", links: []cid.Cid{cborBlk.Cid()}, extra: []cid.Cid{cborBlk.Cid()},
			absent: []cid.Cid{child.Cid()}, failsV2: true},
		// 3.6.0 allows identity CIDs of CBOR (skipped, not scanned).
		{name: "cbor identity", links: []cid.Cid{cidOf(0x51, mh.IDENTITY, []byte{1})}, failsV2: true},
		{name: "cbor identity holding a link is not followed", links: []cid.Cid{cidOf(0x51, mh.IDENTITY, list(child.Cid()))},
			absent: []cid.Cid{child.Cid()}, failsV2: true},
		// The 3.6.0 scanner drops the minimal-encoding rule and the 100-byte
		// limit but checks the 0x00 prefix (fvm-abi-next.md §4.7).
		{name: "non-minimal array header", root: append([]byte{0x98, 1}, link(child.Cid())...),
			extra: []cid.Cid{child.Cid()}, failsV2: true},
		{name: "cid string with 70 trailing bytes", root: append(append([]byte{0xd8, 42, 0x58, byte(1 + len(child.Cid().Bytes()) + 70), 0},
			child.Cid().Bytes()...), make([]byte, 70)...), extra: []cid.Cid{child.Cid()}, failsV2: true},
		{name: "cid without the 0x00 prefix", root: append([]byte{0xd8, 42, 0x58, byte(1 + len(child.Cid().Bytes())), 0x01},
			child.Cid().Bytes()...), extra: []cid.Cid{child.Cid()}, failsV3: true},
		{name: "dag-cbor identity with a non-minimal header", links: []cid.Cid{cidOf(0x71, mh.IDENTITY, append([]byte{0x98, 1}, link(child.Cid())...))},
			extra: []cid.Cid{child.Cid()}, failsV2: true},
		{name: "sha2-256 dag-cbor", links: []cid.Cid{cidOf(0x71, mh.SHA2_256, digest)}, failsV2: true, failsV3: true},
		{name: "truncated blake2b", links: []cid.Cid{cidOf(0x71, mh.BLAKE2B_MIN+31, digest[:20])}, failsV2: true, failsV3: true},
		{name: "blake2b-512", links: []cid.Cid{cidOf(0x71, mh.BLAKE2B_MAX, append(digest, digest...))}, failsV2: true, failsV3: true},
		{name: "cidv0", links: []cid.Cid{cid.NewCidV0(mustMh(digest))}, failsV2: true, failsV3: true},
		{name: "dag-pb", links: []cid.Cid{cidOf(0x70, mh.BLAKE2B_MIN+31, digest)}, failsV2: true, failsV3: true},
		{name: "raw identity holding garbage ignored", links: []cid.Cid{cidOf(0x55, mh.IDENTITY, []byte{0xff})}},
	}
	for _, tt := range tests {
		for _, mode := range []FlushMode{V2, V3} {
			b, ds := newStore(t, mode)
			data := tt.root
			if data == nil {
				data = list(tt.links...)
			}
			root := blk(0x71, data)
			put(t, b, child, rawChild, cborBlk, root)
			err := b.Flush(context.Background(), root.Cid())
			fails := map[FlushMode]bool{V2: tt.failsV2, V3: tt.failsV3}[mode]
			if fails {
				var fe *FlushError
				if !errors.As(err, &fe) {
					t.Errorf("%s, mode %d: err %v, want *FlushError", tt.name, mode, err)
				}
				if inDatastore(t, ds, root.Cid()) {
					t.Errorf("%s, mode %d: failed flush wrote the root", tt.name, mode)
				}
				if b.Len() != 4 {
					t.Errorf("%s, mode %d: failed flush changed the buffer", tt.name, mode)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s, mode %d: %v", tt.name, mode, err)
				continue
			}
			for _, c := range append([]cid.Cid{root.Cid()}, tt.extra...) {
				if !inDatastore(t, ds, c) {
					t.Errorf("%s, mode %d: %s not written", tt.name, mode, c)
				}
			}
			for _, c := range tt.absent {
				if inDatastore(t, ds, c) {
					t.Errorf("%s, mode %d: %s written", tt.name, mode, c)
				}
			}
		}
	}
}

func mustMh(digest []byte) mh.Multihash {
	m, err := mh.Encode(digest, mh.SHA2_256)
	if err != nil {
		panic(err)
	}
	return m
}

func TestFlushRootShapes(t *testing.T) {
	ctx := context.Background()
	b, ds := newStore(t, V3)
	// A root that is not buffered: nothing to do.
	if err := b.Flush(ctx, blk(0x71, []byte{1}).Cid()); err != nil {
		t.Fatal(err)
	}
	// The root itself goes through the shape check.
	if err := b.Flush(ctx, cidOf(0x71, mh.SHA2_256, make([]byte, 32))); err == nil {
		t.Fatal("sha2-256 root accepted")
	}
	if err := b.Flush(ctx, cid.Undef); err == nil {
		t.Fatal("undefined root accepted")
	}
	// A raw root is written and not scanned.
	raw := blk(0x55, list(blk(0x71, []byte{2}).Cid()))
	put(t, b, raw)
	if err := b.Flush(ctx, raw.Cid()); err != nil || !inDatastore(t, ds, raw.Cid()) {
		t.Fatalf("raw root: %v", err)
	}
}

func TestFlushMalformedBlockFails(t *testing.T) {
	ctx := context.Background()
	b, ds := newStore(t, V3)
	ok := blk(0x71, []byte{0x01})
	bad := blk(0x71, append(list(ok.Cid()), 0)[:10]) // truncated link
	root := blk(0x71, list(ok.Cid(), bad.Cid()))
	put(t, b, ok, bad, root)
	err := b.Flush(ctx, root.Cid())
	var fe *FlushError
	var se *codecs.ScanError
	if !errors.As(err, &fe) || !errors.As(err, &se) || !fe.Cid.Equals(bad.Cid()) {
		t.Fatalf("err %v", err)
	}
	if inDatastore(t, ds, ok.Cid()) {
		t.Fatal("failed flush wrote a block")
	}
}

func TestFlushSelfLinkTerminates(t *testing.T) {
	// A buffered block whose (lying) CID it links to itself: the reference
	// recurses forever; gofvm visits it once.
	ctx := context.Background()
	b, ds := newStore(t, V3)
	c := blk(0x71, []byte{0x01}).Cid()
	if err := b.PutRaw(c, list(c, c)); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(ctx, c); err != nil || !inDatastore(t, ds, c) {
		t.Fatalf("self link: %v", err)
	}
}

func TestFlushDeepChain(t *testing.T) {
	ctx := context.Background()
	b, ds := newStore(t, V3)
	prev := blk(0x71, []byte{0x01})
	put(t, b, prev)
	for i := 0; i < 50000; i++ {
		next := blk(0x71, list(prev.Cid()))
		put(t, b, next)
		prev = next
	}
	n, _ := b.Reachable(prev.Cid())
	if err := b.Flush(ctx, prev.Cid()); err != nil {
		t.Fatal(err)
	}
	if len(n) != 50001 || !inDatastore(t, ds, prev.Cid()) || b.Len() != 0 {
		t.Fatalf("%d reachable, %d left buffered", len(n), b.Len())
	}
}
