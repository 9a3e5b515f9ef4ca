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

// The fee split of an explicit message (fvm-abi.md §7.4): 1,000 gas used
// out of 1,300 at base fee 100, fee cap 200, premium 5.
func ExampleComputeGasOutputs() {
	o := kernel.ComputeGasOutputs(1000, 1300, big.NewInt(100), big.NewInt(200), big.NewInt(5))
	fmt.Println("burn", o.BaseFeeBurn, "over-burn", o.OverEstimationBurn, "tip", o.MinerTip, "refund", o.Refund)
	fmt.Println("gas refunded", o.GasRefund, "gas burned", o.GasBurned)
	// Output:
	// burn 100000 over-burn 6000 tip 6500 refund 147500
	// gas refunded 240 gas burned 60
}

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

// A chain client builds a VM per tipset, applies messages and flushes. Only
// nv17 and nv18 are supported.
func ExampleNewVM() {
	_, err := kernel.NewVM(context.Background(), nil, cid.Undef, network.Version16)
	fmt.Println(errors.Is(err, kernel.ErrUnsupportedNetworkVersion))
	// Output: true
}
