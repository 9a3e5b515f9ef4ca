package kernel_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// scenarioOptions are the machine options the scenarios run with beyond
// newWorld's: the scenario externs (randomness digests, no tipset CIDs), and
// proofs trusted, as by every vector runner (the post-* scenarios verify a
// Window PoSt).
var scenarioOptions = []kernel.Option{kernel.WithExterns(testactors.Externs{}),
	kernel.WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly())}

// outcome is what one scenario produced on one engine.
type outcome struct {
	receipt kernel.Receipt
	root    string
}

// scenarioNVs are one version of each FVM line, and TEEP's first.
var scenarioNVs = []network.Version{network.Version17, network.Version18, network.Version21, network.Version25}

// Every scenario of actors/testactors, at scenarioNVs, on both engines:
// the exit code the fact sheets predict (each scenario names its rule), the
// expected return data, gas_used where it was computed by hand (arithmetic
// in actors/testactors/scenarios.go), and identical receipts and state roots
// from the compiler and the interpreter. After each scenario the same
// machine applies a plain transfer, which must succeed with its hand gas:
// the machine stays usable after every failure.
func TestIntegrationScenarios(t *testing.T) {
	for _, nv := range scenarioNVs {
		g := testGenesis(t, nv)
		for _, sc := range testactors.Scenarios(g) {
			sc := sc
			t.Run(fmt.Sprintf("nv%d/%s", nv, sc.Name), func(t *testing.T) {
				var got []outcome
				for _, k := range engineKinds {
					w := newWorld(t, nv, k, scenarioOptions...)
					m := &kernel.Message{From: sc.From, To: sc.To, Nonce: sc.Nonce, Method: sc.Method, Value: sc.Value,
						Params: sc.Params, GasLimit: sc.Limit(chainLen), GasFeeCap: sc.GasFeeCap, GasPremium: sc.GasPremium}
					ret := w.apply(m)
					r := ret.Receipt
					if uint32(r.ExitCode) != sc.Exit {
						t.Fatalf("%s: exit %d, want %d (%s); %s", k, r.ExitCode, sc.Exit, sc.Source, ret.FailureInfo)
					}
					if sc.CheckReturn && !bytes.Equal(r.Return, sc.Return) {
						t.Errorf("%s: return %x, want %x", k, r.Return, sc.Return)
					}
					if sc.HandGas != nil {
						if want := sc.HandGas(chainLen); r.GasUsed != want {
							t.Errorf("%s: gas_used %d, want %d (by hand)", k, r.GasUsed, want)
						}
					}
					got = append(got, outcome{receipt: r, root: w.flush()})
					w.followUp()
				}
				a, b := got[0], got[1]
				if a.receipt.ExitCode != b.receipt.ExitCode || a.receipt.GasUsed != b.receipt.GasUsed ||
					!bytes.Equal(a.receipt.Return, b.receipt.Return) || a.root != b.root ||
					(a.receipt.EventsRoot == nil) != (b.receipt.EventsRoot == nil) {
					t.Errorf("engines disagree: compiler %+v %s, interpreter %+v %s", a.receipt, a.root, b.receipt, b.root)
				}
			})
		}
	}
}

// followUp applies Bob → Alice, method 0, value 1 and checks exit 0 and its
// hand gas: nv17 inclusion + OnMethodInvocation(value, method 0) 216,405;
// nv18 inclusion + OnValueTransfer 6,000 + OnActorUpdate(Alice) 475,000
// (Alice, the receiver, is pre-marked read only; fvm-abi.md §6.10).
func (w *world) followUp() {
	w.t.Helper()
	ret := w.apply(w.msg(w.g.Bob, idAddr(testactors.AliceID), 0, 1, nil, 10_000_000))
	want := int64(85_663 + 1_300*chainLen + 216_405)
	if w.nv >= 18 {
		want = 560_663 + 1_300*chainLen + 6_000 + 475_000
	}
	if ret.Receipt.ExitCode != exitcode.Ok || ret.Receipt.GasUsed != want {
		w.t.Errorf("follow-up transfer: exit %d gas %d, want 0 and %d; %s", ret.Receipt.ExitCode,
			ret.Receipt.GasUsed, want, ret.FailureInfo)
	}
}
