package blocks_test

import (
	"context"
	"fmt"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/codecs"
)

func ExampleRegistry() {
	r := blocks.NewRegistry(codecs.SetOf(codecs.DagCBOR)) // FVM v2's registry

	id, _ := r.Put(blocks.Block{Codec: 0x71, Data: []byte{0x80}})
	st, _ := r.Stat(id)
	_, err := r.Put(blocks.Block{Codec: 0x55}) // FVM v2 holds no raw blocks
	fmt.Println(id, st.Codec, st.Size)
	fmt.Println(err)
	// Output:
	// 1 113 1
	// IllegalCodec: invalid or forbidden ipld codec 0x55
}

func ExampleBuffered_Flush() {
	ctx := context.Background()
	mk := func(data []byte) blockformat.Block {
		m, _ := mh.Sum(data, mh.BLAKE2B_MIN+31, -1)
		b, _ := blockformat.NewBlockWithCid(data, cid.NewCidV1(0x71, m))
		return b
	}
	leaf := mk([]byte{0x01})
	root := mk(append([]byte{0x81, 0xd8, 0x2a, 0x58, 0x27, 0x00}, leaf.Cid().Bytes()...))
	garbage := mk([]byte{0x02})

	bs := blocks.NewBuffered(nil, blocks.V3)
	for _, b := range []blockformat.Block{leaf, root, garbage} {
		_ = bs.Put(ctx, b)
	}
	fmt.Println(bs.Flush(ctx, root.Cid()))
	for _, b := range []blockformat.Block{leaf, root, garbage} {
		ok, _ := bs.Datastore().Has(ctx, blocks.DsKey(b.Cid()))
		fmt.Println(ok)
	}
	// Output:
	// <nil>
	// true
	// true
	// false
}
