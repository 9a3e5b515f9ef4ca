package reachability_test

import (
	"fmt"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/reachability"
)

// An invocation in strict mode: the state root is reachable, a CID out of
// nowhere is not.
func Example() {
	m, _ := mh.Sum([]byte("state"), mh.BLAKE2B_MIN+31, -1)
	root := cid.NewCidV1(0x71, m)
	m2, _ := mh.Sum([]byte("elsewhere"), mh.BLAKE2B_MIN+31, -1)
	stranger := cid.NewCidV1(0x71, m2)

	set := reachability.NewSet(reachability.Strict)
	set.AddRoot(root)
	fmt.Println(set.CanOpen(root))
	n, _ := errno.Of(set.CanOpen(stranger))
	fmt.Println(n)
	// Output:
	// <nil>
	// NotFound
}
