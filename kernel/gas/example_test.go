package gas_test

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel/gas"
)

// The same send costs differently before and after Hygge.
func ExampleByName() {
	for _, name := range []string{"skyr", "hygge"} {
		p, _ := gas.ByName(name)
		inv, _ := p.OnMethodInvocation(big.NewInt(1), 2)
		fmt.Printf("%s: inclusion(100 bytes) %d gas, invoke with value %d gas\n",
			p.Name, p.OnChainMessage(100).Total().RoundUp(), inv.Total().RoundUp())
	}
	// Output:
	// skyr: inclusion(100 bytes) 215663 gas, invoke with value 51356 gas
	// hygge: inclusion(100 bytes) 690663 gas, invoke with value 75000 gas
}

func ExampleComputeGasOutputs() {
	out, _ := gas.ComputeGasOutputs(100, 200, big.NewInt(10), big.NewInt(20), big.NewInt(5))
	fmt.Println(out.BaseFeeBurn, out.OverEstimationBurn, out.MinerTip, out.Refund, out.GasRefund, out.GasBurned)
	// Output: 1000 900 1000 1100 10 90
}

func ExampleAccessTracker() {
	p := gas.Hygge()
	t := gas.NewAccessTracker(p.PreloadedActors)
	charge := func(id uint64) {
		if t.Actor(abi.ActorID(id)) < gas.AccessRead {
			fmt.Println("charge", p.OnActorLookup().Name, "for", id)
		}
		t.RecordRead(abi.ActorID(id))
	}
	t.Begin()
	charge(1)    // init: preloaded, free
	charge(1000) // charged
	charge(1000) // already read
	_ = t.End(true)
	charge(1000) // the revert forgot the read
	// Output:
	// charge OnActorLookup for 1000
	// charge OnActorLookup for 1000
}
