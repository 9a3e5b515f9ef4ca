package kernel_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel"
)

// Messages travel as CBOR 10-tuples (fvm-abi.md §8.8).
func ExampleDecodeMessage() {
	to, _ := address.NewIDAddress(99)
	from, _ := address.NewIDAddress(100)
	msg := &kernel.Message{To: to, From: from, Nonce: 7, Value: big.NewInt(1), GasLimit: 1_000_000,
		GasFeeCap: big.NewInt(100), GasPremium: big.NewInt(1)}
	b, _ := msg.Bytes()
	back, err := kernel.DecodeMessage(b)
	fmt.Println(len(b), back.To, back.Nonce, err)
	_, err = kernel.DecodeMessage(b[:10])
	fmt.Println(errors.Is(err, kernel.ErrMessageEncoding))
	// Output:
	// 25 f099 7 <nil>
	// true
}

// A chain client builds a VM per tipset, applies messages and flushes.
// nv16–28 are supported.
func ExampleNewVM() {
	// nv29 is beyond what the sheets specify.
	_, err := kernel.NewVM(context.Background(), nil, cid.Undef, network.Version29)
	fmt.Println(errors.Is(err, kernel.ErrUnsupportedNetworkVersion))
	// Output: true
}
