package testactors_test

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
)

// A genesis over the test bundle, and the scenarios run on it.
func ExampleNewGenesis() {
	g, err := testactors.NewGenesis(context.Background(), network.Version18)
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Bundle.Names)
	fmt.Println(g.Bundle.Types[testactors.Account], len(testactors.Scenarios(g)) > 0)
	// Output:
	// [system init account placeholder eam ethaccount tester tiny badptr charge retblk exitdata destruct avail reach sealer postv1p1 postmixed tipset leaker]
	// 3 true
}

// The tester's params and result encodings.
func ExampleParams() {
	p := testactors.Params{A: testactors.MethodReturn, B: 5}
	fmt.Printf("%x\n", p.Encode()[:10])
	fmt.Printf("%x\n", testactors.Result(20, 0))
	// Output:
	// 582c0200000005000000
	// 481400000000000000
}

// The probe's params: op, arguments (u64le from byte 8) and data (from
// ProbeData). Here get_chain_randomness(epoch 100): no data.
func ExampleProbeParams() {
	p := testactors.ProbeParams(testactors.ProbeChainRandomness, nil, 100)
	fmt.Println(len(p), p[0], p[8])
	// A 132-byte probe return: error number 0, then the output area.
	errno, out := testactors.ProbeResult(make([]byte, 132))
	fmt.Println(errno, len(out))
	// Output:
	// 72 2 100
	// 0 128
}
