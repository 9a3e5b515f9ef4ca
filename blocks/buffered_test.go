package blocks

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/ipfs/boxo/datastore/dshelp"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

func TestBufferedReadsFallThrough(t *testing.T) {
	ctx := context.Background()
	b, ds := newStore(t, V3)
	inBase := blk(0x71, []byte{0x01})
	inBuf := blk(0x71, []byte{0x02})
	if err := ds.Put(ctx, DsKey(inBase.Cid()), inBase.RawData()); err != nil {
		t.Fatal(err)
	}
	put(t, b, inBuf)
	for _, x := range []struct {
		c    cid.Cid
		data []byte
	}{{inBase.Cid(), []byte{1}}, {inBuf.Cid(), []byte{2}}} {
		got, err := b.Get(ctx, x.c)
		if err != nil || !bytes.Equal(got.RawData(), x.data) || !got.Cid().Equals(x.c) {
			t.Fatalf("Get(%s) = %v, %v", x.c, got, err)
		}
		if ok, err := b.Has(ctx, x.c); !ok || err != nil {
			t.Fatalf("Has(%s) = %v, %v", x.c, ok, err)
		}
		if err := b.View(x.c, func(d []byte) error {
			if !bytes.Equal(d, x.data) {
				t.Fatal("View bytes")
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if inDatastore(t, ds, inBuf.Cid()) {
		t.Fatal("Put wrote through to the datastore")
	}
	missing := blk(0x71, []byte{0x03}).Cid()
	if _, err := b.Get(ctx, missing); !format.IsNotFound(err) {
		t.Fatalf("Get(missing) = %v, want format.ErrNotFound", err)
	}
	if ok, err := b.Has(ctx, missing); ok || err != nil {
		t.Fatalf("Has(missing) = %v, %v", ok, err)
	}
	var nf format.ErrNotFound
	if err := b.View(missing, func([]byte) error { return nil }); !errors.As(err, &nf) {
		t.Fatalf("View(missing) = %v", err)
	}
}

func TestBufferedIdentity(t *testing.T) {
	// An identity CID carries its block (Lotus WrapIDStore; fvm-abi.md §14).
	ctx := context.Background()
	b, _ := newStore(t, V3)
	c := cidOf(0x55, mh.IDENTITY, []byte("inline"))
	got, err := b.Get(ctx, c)
	if err != nil || string(got.RawData()) != "inline" {
		t.Fatalf("Get(identity) = %v, %v", got, err)
	}
	if ok, _ := b.Has(ctx, c); !ok {
		t.Fatal("Has(identity) = false")
	}
	ro := NewReadOnly(b.Datastore())
	if got, err := ro.Get(ctx, c); err != nil || string(got.RawData()) != "inline" {
		t.Fatalf("ReadOnly.Get(identity) = %v, %v", got, err)
	}
}

func TestPutRawRejectsUndef(t *testing.T) {
	b, _ := newStore(t, V3)
	if err := b.PutRaw(cid.Undef, nil); err == nil {
		t.Fatal("PutRaw(Undef) accepted")
	}
}

func TestDsKeyMatchesDshelp(t *testing.T) {
	digest := bytes.Repeat([]byte{7}, 32)
	for _, c := range []cid.Cid{
		blk(0x71, []byte{1}).Cid(),
		blk(0x55, []byte{1}).Cid(),
		cidOf(0xf101, mh.SHA2_256, digest),         // three-byte codec
		cidOf(0x1234567, mh.SHA2_256, digest),      // four-byte codec: slow path
		cid.NewCidV0(mustMh(digest)),               // v0
		cidOf(0x55, mh.IDENTITY, []byte("inline")), // identity
	} {
		if got, want := DsKey(c), dshelp.MultihashToDsKey(c.Hash()); got != want {
			t.Errorf("DsKey(%s) = %s, want %s", c, got, want)
		}
	}
	c := blk(0x71, []byte{1}).Cid()
	if a := testing.AllocsPerRun(100, func() { DsKey(c) }); a > 1 {
		t.Errorf("DsKey allocates %v times", a)
	}
}

func TestBufferedConcurrent(t *testing.T) {
	ctx := context.Background()
	b, _ := newStore(t, V3)
	done := make(chan struct{})
	var all []cid.Cid
	for g := 0; g < 4; g++ {
		blks := make([]cid.Cid, 0, 200)
		for i := 0; i < 200; i++ {
			x := blk(0x71, []byte{0x19, byte(g + 1), byte(i)})
			blks = append(blks, x.Cid())
		}
		all = append(all, blks...)
		go func(g int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				x := blk(0x71, []byte{0x19, byte(g + 1), byte(i)})
				if err := b.Put(ctx, x); err != nil {
					t.Error(err)
				}
				if _, err := b.Get(ctx, x.Cid()); err != nil {
					t.Error(err)
				}
				if i%50 == 0 {
					if err := b.Flush(ctx, x.Cid()); err != nil {
						t.Error(err)
					}
				}
			}
		}(g)
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	for _, c := range all {
		if ok, _ := b.Has(ctx, c); !ok {
			t.Fatalf("%s lost", c)
		}
	}
}
