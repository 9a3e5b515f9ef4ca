package codecs_test

import (
	"fmt"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/codecs"
)

func ExampleScanLinks() {
	m, _ := mh.Sum([]byte("child"), mh.BLAKE2B_MIN+31, -1)
	child := cid.NewCidV1(codecs.DagCBOR, m)
	// [1, <link>] in DAG-CBOR: array(2), 1, tag 42, bytes(39) = 0x00 ++ cid.
	block := append([]byte{0x82, 0x01, 0xd8, 0x2a, 0x58, 0x27, 0x00}, child.Bytes()...)
	_ = codecs.ScanLinks(block, func(c cid.Cid) error {
		fmt.Println(c.Equals(child))
		return nil
	})
	// Output: true
}

func ExampleReadCid() {
	m, _ := mh.Sum([]byte("state"), mh.BLAKE2B_MIN+31, -1)
	c := cid.NewCidV1(codecs.DagCBOR, m)
	memory := append(c.Bytes(), 0xff, 0xff) // whatever follows is ignored
	got, n, err := codecs.ReadCid(memory)
	fmt.Println(got.Equals(c), n, err)
	// Output: true 38 <nil>
}

func ExampleSet() {
	fvm2 := codecs.SetOf(codecs.DagCBOR)
	fvm3 := codecs.SetOf(codecs.DagCBOR, codecs.CBOR, codecs.Raw)
	fmt.Println(fvm2.Has(codecs.Raw), fvm3.Has(codecs.Raw), fvm3)
	// Output: false true {0x71 0x51 0x55}
}
