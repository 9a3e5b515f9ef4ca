package vectorout_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/book/internal/testworld"
	"github.com/gofvm/gofvm/book/internal/vectorout"
	"github.com/gofvm/gofvm/vectors"
)

// The vectors written from a scenario's messages replay in the test-vector
// runner: same exit codes, return values, gas and post-state roots, with
// the randomness they drew (including a failed message and an event).
func TestWrittenVectorsReplay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var paths []string
	for _, nv := range []network.Version{17, 18} {
		w, _, err := testworld.New(ctx, nv, true)
		if err != nil {
			t.Fatal(err)
		}
		res := scenario.Run(ctx, w, &scenario.Scenario{Name: "replay", Run: func(t *scenario.T) {
			alice, bob := t.W.Accounts["alice"], t.W.Accounts["bob"]
			t.Group("g")
			t.Send("pay", scenario.Msg{From: alice, To: bob.Addr, Value: big.NewInt(5)}).OK()
			t.Advance(3)
			t.Send("randomness", scenario.Msg{From: alice, To: scenario.ID(testactors.Tester1ID),
				Method: testactors.MethodRandomness, Params: testactors.Params{A: 1, B: 2}.Encode()}).OK()
			t.Send("exit 20", scenario.Msg{From: bob, To: scenario.ID(testactors.Tester1ID),
				Method: testactors.MethodExit, Params: testactors.Params{Code: 20, WithData: nv >= 18}.Encode()}).Expect(20)
			t.Send("missing", scenario.Msg{From: bob, To: scenario.ID(5555)}).Expect(exitcode.SysErrInvalidReceiver)
			if nv >= 18 {
				t.Send("event", scenario.Msg{From: alice, To: scenario.ID(testactors.Tester1ID), Method: testactors.MethodEvent}).OK()
			}
		}})
		if res.Status != scenario.Pass {
			t.Fatal(res.Failures())
		}
		code := map[cid.Cid]bool{}
		for _, c := range w.Codes {
			code[c] = true
		}
		vw := &vectorout.Writer{Dir: dir, Store: res.Store, Code: code, Version: "test"}
		ps, err := vw.WriteAll(ctx, res.Scenario, res.Records)
		if err != nil {
			t.Fatal(err)
		}
		if want := 4 + int(nv-17); len(ps) != want {
			t.Fatalf("nv%d: %d vectors, want %d", nv, len(ps), want)
		}
		paths = append(paths, ps...)
	}

	bundles, err := vectors.SuiteBundles()
	if err != nil {
		t.Fatal(err)
	}
	driver, err := vectors.DefaultDriver(vectors.DriverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	outs := vectors.RunAll(ctx, vectors.Config{Driver: driver, Bundles: bundles, Jobs: 2,
		Reachability: vectors.ReachabilityStrict, Engine: vectors.EngineCompiler}, paths)
	for _, o := range outs {
		if o.Status != vectors.Pass {
			t.Errorf("%s: %s %s\n%s", o.Path, o.Status, o.Reason, o.Detail)
		}
	}

	// _meta says what was asserted and what recorded; the randomness is
	// there; actor code stays out of the CAR (the vector still loads it from
	// the bundles, above).
	raw, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Meta struct {
			ID       string   `json:"id"`
			Asserted []string `json:"asserted"`
			Recorded []string `json:"recorded"`
		} `json:"_meta"`
		Randomness []json.RawMessage `json:"randomness"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if v.Meta.ID != "book/nv17/replay/002" || len(v.Meta.Asserted) != 1 || len(v.Meta.Recorded) != 3 || len(v.Randomness) != 1 {
		t.Errorf("vector %s: %+v, %d randomness entries", paths[1], v.Meta, len(v.Randomness))
	}
	if got := vectorout.FileName(0, "a b/c:d"); got != "001-a-b-c-d.json" {
		t.Errorf("file name %q", got)
	}
}
