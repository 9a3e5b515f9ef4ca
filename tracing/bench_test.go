package tracing_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// BenchmarkMessageHooks applies messages that make a nested send (Alice →
// Tester1 → Tester2, about 40 trace events each) with no hooks, with an
// empty Hooks{} (every field nil: the cost of the checks alone) and with a
// Recorder, to show what the kernel's hook checks cost on the hot path.
func BenchmarkMessageHooks(b *testing.B) {
	ctx := context.Background()
	eng, err := kernel.NewWasmEngine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer kernel.CloseEngine(ctx, eng)
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		g, err := testactors.NewGenesis(ctx, nv)
		if err != nil {
			b.Fatal(err)
		}
		params := testactors.Params{A: testactors.MethodReturn, B: 5, To: g.Tester2}.Encode()
		for _, mode := range []string{"nil", "empty", "recorder"} {
			b.Run(fmt.Sprintf("%s/nv%d", mode, nv), func(b *testing.B) {
				var rec tracing.Recorder
				var opts []kernel.Option
				switch mode {
				case "empty":
					opts = append(opts, kernel.WithHooks(&tracing.Hooks{}))
				case "recorder":
					opts = append(opts, kernel.WithHooks(rec.Hooks()))
				}
				opts = append(opts, kernel.WithEngine(eng), kernel.WithEpoch(1000), kernel.WithTimestamp(30_000),
					kernel.WithBaseFee(big.NewInt(100)), kernel.WithCirculatingSupply(big.NewInt(1e18)))
				m, err := kernel.NewMachine(ctx, g.Store.Copy(), g.Root, nv, opts...)
				if err != nil {
					b.Fatal(err)
				}
				ex := kernel.NewExecutor(m)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					rec.Reset()
					msg := &kernel.Message{From: g.Alice, To: g.Tester1, Nonce: uint64(i), Method: testactors.MethodSend,
						Value: big.Zero(), Params: params, GasLimit: 1_000_000_000,
						GasFeeCap: big.NewInt(200), GasPremium: big.NewInt(10)}
					ret, err := ex.ApplyMessage(ctx, msg, 120)
					if err != nil || ret.Receipt.ExitCode != 0 {
						b.Fatalf("apply: %v %+v", err, ret)
					}
				}
				b.ReportMetric(float64(len(rec.Events)), "events/msg")
			})
		}
	}
}
