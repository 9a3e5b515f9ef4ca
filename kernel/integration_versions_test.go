package kernel_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
)

// nv16 runs nv17's kernel (FVM 2.12.1, SKYR), nv19–20 run nv18's (FVM
// 3.14.1, HYGGE) and nv22–28 nv21's (FVM 4.8.2; WATERMELON to nv24, TEEP
// from nv25, which no sampled scenario tells apart): fvm-abi-next.md §0.1,
// §9; fvm-gas-next.md §2.3. On the test actors, whose
// bundle is the same within a line, a scenario must give the receipt and
// state root of the line's other version, besides its own expected exit
// code and hand gas. A sample of scenarios on the compiler keeps this cheap;
// the embedded suite runs all of them at every version on both engines.
func TestIntegrationOtherVersionsOfALine(t *testing.T) {
	sample := map[string]bool{
		"send-value": true, "noop-method": true, "negative-gas-charge": true, "exit-data-charge": true,
		"autocreate-f1": true, "autocreate-f4-placeholder": true, "nested-send-reverted": true,
		"call-depth": true, "event": true, "event-unhandled-nv17": true, "create-by-init": true,
		"create-singleton": true, "self-destruct-refund": true, "subcall-gas-limit": true, "hostile": true,
		"self-destruct-burn-gas": true, "event-packed-gas": true, "randomness-lookback-gas": true,
		"bls-aggregate-gas": true, "post-v1-gas": true,
	}
	for _, pair := range []struct{ nv, same network.Version }{{16, 17}, {19, 18}, {20, 18}, {22, 21}, {24, 21}, {26, 21}, {28, 21}} {
		g, ref := testGenesis(t, pair.nv), testGenesis(t, pair.same)
		refScenarios := map[string]testactors.Scenario{}
		for _, sc := range testactors.Scenarios(ref) {
			refScenarios[sc.Name] = sc
		}
		n := 0
		for _, sc := range testactors.Scenarios(g) {
			if !sample[sc.Name] {
				continue
			}
			n++
			sc, rsc := sc, refScenarios[sc.Name]
			t.Run(fmt.Sprintf("nv%d/%s", pair.nv, sc.Name), func(t *testing.T) {
				var got []outcome
				for _, v := range []struct {
					nv network.Version
					sc testactors.Scenario
				}{{pair.nv, sc}, {pair.same, rsc}} {
					w := newWorld(t, v.nv, compilerEngine, scenarioOptions...)
					m := &kernel.Message{From: v.sc.From, To: v.sc.To, Nonce: v.sc.Nonce, Method: v.sc.Method,
						Value: v.sc.Value, Params: v.sc.Params, GasLimit: v.sc.Limit(chainLen), GasFeeCap: v.sc.GasFeeCap,
						GasPremium: v.sc.GasPremium}
					ret := w.apply(m)
					got = append(got, outcome{receipt: ret.Receipt, root: w.flush()})
				}
				r := got[0].receipt
				if uint32(r.ExitCode) != sc.Exit {
					t.Fatalf("exit %d, want %d (%s)", r.ExitCode, sc.Exit, sc.Source)
				}
				if sc.CheckReturn && !bytes.Equal(r.Return, sc.Return) {
					t.Errorf("return %x, want %x", r.Return, sc.Return)
				}
				if sc.HandGas != nil {
					if want := sc.HandGas(chainLen); r.GasUsed != want {
						t.Errorf("gas_used %d, want %d (by hand)", r.GasUsed, want)
					}
				}
				a, b := got[0], got[1]
				if a.receipt.ExitCode != b.receipt.ExitCode || a.receipt.GasUsed != b.receipt.GasUsed ||
					!bytes.Equal(a.receipt.Return, b.receipt.Return) || a.root != b.root {
					t.Errorf("nv%d %+v %s, nv%d %+v %s", pair.nv, a.receipt, a.root, pair.same, b.receipt, b.root)
				}
			})
		}
		if n < 10 { // some are one line's only
			t.Errorf("nv%d: only %d sampled scenarios exist", pair.nv, n)
		}
	}
}
