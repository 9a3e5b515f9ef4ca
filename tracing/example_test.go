package tracing_test

import (
	"fmt"
	"os"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/tracing"
)

// A Recorder's hooks collect the events; BuildLotusTrace nests them. Here
// the events are fed by hand as the kernel would emit them for a message
// to f0100 whose actor sends to f04.
func ExampleBuildLotusTrace() {
	var rec tracing.Recorder
	h := rec.Hooks()
	to, _ := address.NewIDAddress(100)
	power, _ := address.NewIDAddress(4)
	h.OnMessageStart(tracing.MessageStart{To: to, Value: big.Zero()})
	h.OnGasCharge(tracing.GasCharge{Name: "OnChainMessage", ComputeMilli: 38_863_000, OtherMilli: 156_000_000})
	h.OnCall(tracing.Call{From: 101, To: to, Method: 2, Value: big.Zero()})
	h.OnInvokeActor(tracing.InvokeActor{ID: 100})
	h.OnGasCharge(tracing.GasCharge{Name: "wasm_exec", ComputeMilli: 1_500_500})
	h.OnCall(tracing.Call{From: 100, To: power, Method: 9, Value: big.Zero()})
	h.OnGasCharge(tracing.GasCharge{Name: "OnMethodInvocation", ComputeMilli: 23_856_000})
	h.OnCallReturn(tracing.CallReturn{})
	h.OnCallReturn(tracing.CallReturn{})
	h.OnMessageEnd(tracing.MessageEnd{GasUsed: 220_220})

	t, err := tracing.BuildLotusTrace(rec.Events)
	if err != nil {
		panic(err)
	}
	var show func(t *tracing.ExecutionTrace, indent string)
	show = func(t *tracing.ExecutionTrace, indent string) {
		fmt.Printf("%s%s → %s m%d exit %d\n", indent, t.Msg.From, t.Msg.To, t.Msg.Method, t.MsgRct.ExitCode)
		for _, c := range t.GasCharges {
			fmt.Printf("%s  %s %d gas\n", indent, c.Name, c.TotalGas)
		}
		for i := range t.Subcalls {
			show(&t.Subcalls[i], indent+"  ")
		}
	}
	show(t, "")
	// Output:
	// f0101 → f0100 m2 exit 0
	//   OnChainMessage 194863 gas
	//   wasm_exec 1501 gas
	//   f0100 → f04 m9 exit 0
	//     OnMethodInvocation 23856 gas
}

// A GasProfile merges the calls of a trace by actor and method; written as
// folded stacks, each line is a path of frames down to a charge and its
// gas. (WriteFlameGraph and WritePprof draw the same tree.)
func ExampleGasProfile_WriteFolded() {
	var rec tracing.Recorder
	h := rec.Hooks()
	miner, _ := address.NewIDAddress(1000)
	market, _ := address.NewIDAddress(5)
	h.OnMessageStart(tracing.MessageStart{To: miner, Value: big.Zero()})
	h.OnGasCharge(tracing.GasCharge{Name: "OnChainMessage", ComputeMilli: 38_863_000, OtherMilli: 156_000_000})
	h.OnCall(tracing.Call{From: 101, To: miner, Method: 26, Value: big.Zero()})
	for i := 0; i < 3; i++ { // three calls to the market's method 6: one frame
		h.OnCall(tracing.Call{From: 1000, To: market, Method: 6, Value: big.Zero()})
		h.OnGasCharge(tracing.GasCharge{Name: "wasm_exec", ComputeMilli: 2_000_000})
		h.OnCallReturn(tracing.CallReturn{})
	}
	h.OnCallReturn(tracing.CallReturn{})
	h.OnMessageEnd(tracing.MessageEnd{})

	t, err := tracing.BuildLotusTrace(rec.Events)
	if err != nil {
		panic(err)
	}
	names := func(t *tracing.ExecutionTrace) string {
		return map[string]string{"f01000": "storageminer", "f05": "storagemarket"}[t.Msg.To.String()]
	}
	p := tracing.NewGasProfile(t, names)
	fmt.Println(p.Calls, "calls,", p.Total, "gas")
	if err := p.WriteFolded(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// 4 calls, 200863 gas
	// storageminer m26;OnChainMessage 194863
	// storageminer m26;storagemarket m6;wasm_exec 6000
}
