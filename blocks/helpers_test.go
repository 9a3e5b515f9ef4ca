package blocks

import (
	"context"
	"testing"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	mh "github.com/multiformats/go-multihash"
)

// blk builds a block whose CID really hashes its data (blake2b-256, CIDv1).
func blk(codec uint64, data []byte) blockformat.Block {
	m, err := mh.Sum(data, mh.BLAKE2B_MIN+31, -1)
	if err != nil {
		panic(err)
	}
	b, err := blockformat.NewBlockWithCid(data, cid.NewCidV1(codec, m))
	if err != nil {
		panic(err)
	}
	return b
}

// link is the DAG-CBOR encoding of a link to c (tag 42, 0x00 prefix).
func link(c cid.Cid) []byte {
	raw := c.Bytes()
	out := []byte{0xd8, 42}
	if n := len(raw) + 1; n < 24 {
		out = append(out, 0x40|byte(n))
	} else {
		out = append(out, 0x58, byte(n))
	}
	return append(append(out, 0), raw...)
}

// list is a DAG-CBOR array of links (fewer than 24).
func list(cs ...cid.Cid) []byte {
	out := []byte{0x80 | byte(len(cs))}
	for _, c := range cs {
		out = append(out, link(c)...)
	}
	return out
}

func cidOf(codec, hash uint64, digest []byte) cid.Cid {
	m, err := mh.Encode(digest, hash)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(codec, m)
}

func newStore(t testing.TB, mode FlushMode) (*Buffered, datastore.Batching) {
	ds := dssync.MutexWrap(datastore.NewMapDatastore())
	return NewBuffered(ds, mode), ds
}

func put(t testing.TB, b *Buffered, bs ...blockformat.Block) {
	for _, x := range bs {
		if err := b.Put(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
}

func inDatastore(t testing.TB, ds datastore.Read, c cid.Cid) bool {
	ok, err := ds.Has(context.Background(), DsKey(c))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}
