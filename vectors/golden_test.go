package vectors_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestDiffGolden pins the whole failure text of a vector that gets
// everything wrong: receipt fields, the sender (a BLS key address resolved
// through the init actor), the receiver, a system actor whose state is a
// different shape (rendered whole, as DAG-JSON) and the HAMT entries. Every
// CID is a blake2b-256 of deterministic bytes, so the text is stable.
func TestDiffGolden(t *testing.T) {
	s := newScenario(t, 18, address.BLS)
	wrong := append([]vectortest.Actor(nil), s.PostActors...)
	wrong[1].Head = s.State.Tuple(uint64(1), "not the init state")
	wrong[3].Nonce--
	wrong[4].Balance -= 12_345
	wrong = append(wrong, vectortest.Actor{ID: 102, Code: s.Bundle.Codes["account"], Head: s.State.EmptyArray()})
	root, written, err := s.StateWith(wrong)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range s.State.Blocks() { // the new init head lives in State
		written.Put(vectortest.DagCBOR, b.RawData())
	}
	res := vectors.Result{ExitCode: 16, Return: []byte{0x82, 0x01, 0x63, 'a', 'b', 'c'}, GasUsed: 220_100, PostRoot: root}
	o := s.run(t, fixedDriver(res, written), nil)
	got := o.Reason + "\n" + o.Detail + "\n"
	golden := filepath.Join("testdata", "diff.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("diff text changed (run with -update after checking):\n--- got\n%s\n--- want\n%s", got, want)
	}
}

// TestRunAllCancelled: a cancelled run reports the vectors it did not start.
func TestRunAllCancelled(t *testing.T) {
	s := newScenario(t, 17, address.ID)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	outs := vectors.RunAll(ctx, vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: s.bundles}, []string{s.path})
	if len(outs) != 1 || outs[0].Status != vectors.Fail || !strings.HasPrefix(outs[0].Reason, "not run: context canceled") {
		t.Errorf("%+v", outs)
	}
}
