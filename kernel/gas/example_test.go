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

// The kernel calls the same method on every list; the list decides the
// price, the split and whether anything is charged (fvm-gas-next.md §10
// examples 9 and 19).
func ExamplePriceList_OnBlockOpen() {
	for _, name := range []string{"hygge", "watermelon"} {
		p, _ := gas.ByName(name)
		// block_open of an 88-byte DAG-CBOR block whose scan read 4 fields and 2 CIDs, 2 of them links.
		total := p.OnBlockOpenBase().Total()
		if m, err := p.NewScanMeter(gas.NewGas(1_000_000)); err == nil {
			for i := 0; i < 4; i++ {
				_ = m.Field()
			}
			_, _ = m.CID(), m.CID()
			total = total.Add(m.Charge().Total())
		}
		open := p.OnBlockOpen(88, 2)
		total = total.Add(open.Total())
		_, rootCharged := p.OnActorGetRoot()
		fmt.Printf("%s: %s, block_open %d gas, self.root charged: %v\n", p.Name, open.Name, total.RoundUp(), rootCharged)
	}
	// Output:
	// hygge: OnBlockOpenPerByte, block_open 188320 gas, self.root charged: false
	// watermelon: OnBlockOpen, block_open 189560 gas, self.root charged: true
}

// From WATERMELON, randomness for a future epoch looks back a negative
// number of epochs, which the price reads as unsigned: the charge saturates
// and runs out of gas (fvm-gas-next.md §4.2).
func ExamplePriceList_OnGetRandomnessLookback() {
	p := gas.Watermelon()
	t := gas.NewTrackerFor(p, gas.NewGas(10_000_000))
	fmt.Println(t.Apply(p.OnGetRandomnessLookback(0, 900)), t.Used().RoundUp())
	fmt.Println(t.Apply(p.OnGetRandomnessLookback(0, -1)), t.Used().RoundUp())
	// Output:
	// <nil> 213700
	// out of gas 10000000
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
