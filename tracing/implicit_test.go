package tracing_test

import (
	"context"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// Criteria (a) and (b) for implicit and explicit messages through the
// kernel directly, on the test-actors genesis: Tester1 sends to Tester2's
// MethodReturn. An implicit message has no inclusion charge: ref-fvm
// charges GasCharge("none", 0, 0) in its place, so that is the first
// charge traced (fvm-abi.md §7.2; fvm-gas.md §1 for the accounting).
func TestImplicitAndExplicitTraces(t *testing.T) {
	ctx := context.Background()
	eng, err := kernel.NewWasmEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer kernel.CloseEngine(ctx, eng)
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		g, err := testactors.NewGenesis(ctx, nv)
		if err != nil {
			t.Fatal(err)
		}
		for _, implicit := range []bool{false, true} {
			var rec tracing.Recorder
			m, err := kernel.NewMachine(ctx, g.Store.Copy(), g.Root, nv, kernel.WithEngine(eng),
				kernel.WithEpoch(1000), kernel.WithTimestamp(30_000), kernel.WithBaseFee(big.NewInt(100)),
				kernel.WithCirculatingSupply(big.NewInt(1e18)), kernel.WithHooks(rec.Hooks()))
			if err != nil {
				t.Fatal(err)
			}
			params := testactors.Params{A: testactors.MethodReturn, B: 5, To: g.Tester2}.Encode()
			msg := &kernel.Message{From: g.Alice, To: g.Tester1, Method: testactors.MethodSend,
				Value: big.Zero(), Params: params, GasLimit: 1_000_000_000,
				GasFeeCap: big.NewInt(200), GasPremium: big.NewInt(10)}
			var ret *kernel.ApplyRet
			if implicit {
				msg.From, _ = address.NewIDAddress(0) // the system actor, as cron and reward ticks
				ret, err = kernel.NewExecutor(m).ApplyImplicitMessage(ctx, msg)
			} else {
				ret, err = kernel.NewExecutor(m).ApplyMessage(ctx, msg, 120)
			}
			if err != nil {
				t.Fatal(err)
			}
			name := map[bool]string{false: "explicit", true: "implicit"}[implicit]
			if ret.Receipt.ExitCode != 0 {
				t.Fatalf("nv%d %s: exit %d (%s)", nv, name, ret.Receipt.ExitCode, ret.FailureInfo)
			}
			events, end := messageEvents(t, name, rec.Events)
			if events[0].MessageStart.Kind.String() != name {
				t.Errorf("nv%d: MessageStart kind %s, want %s", nv, events[0].MessageStart.Kind, name)
			}
			first := events[1].GasCharge
			switch {
			case first == nil:
				t.Errorf("nv%d %s: the first event after MessageStart is %s, want the inclusion charge", nv, name, events[1].Kind())
			case implicit && (first.Name != "none" || first.TotalMilli() != 0):
				t.Errorf("nv%d implicit: first charge %+v, want none/0", nv, *first)
			case !implicit && first.Name != "OnChainMessage":
				t.Errorf("nv%d explicit: first charge %+v, want OnChainMessage", nv, *first)
			}
			if end.GasUsed != ret.Receipt.GasUsed {
				t.Errorf("nv%d %s: MessageEnd gas %d, receipt %d", nv, name, end.GasUsed, ret.Receipt.GasUsed)
			}
			checkGas(t, name, events, end, msg.GasLimit)
			checkCalls(t, name, events)
			if n := countCalls(events); n != 2 {
				t.Errorf("nv%d %s: %d Calls, want 2 (the message and Tester1's send)", nv, name, n)
			}
		}
	}
}
