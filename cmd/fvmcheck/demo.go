package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// demo runs when `fvmcheck run` has no PATH and the embedded suite is
// empty: it builds a tiny vector in Go and walks it through the loading
// path, the blocks layer and the runner's comparison, saying what each step
// did. It needs no file and no kernel.
func demo(w io.Writer) int {
	fmt.Fprintln(w, "The embedded suite is empty (see vectors/suite/README.md), so this is a demonstration")
	fmt.Fprintln(w, "of the loading path on a vector built in Go. To run real vectors:")
	fmt.Fprintln(w, "    fvmcheck run --bundles .conformance/bundles .conformance/vectors")
	fmt.Fprintln(w)
	if err := demoSteps(w); err != nil {
		fmt.Fprintf(w, "demo failed: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func demoSteps(w io.Writer) error {
	ctx := context.Background()
	s, err := vectortest.NewScenario(18, address.BLS)
	if err != nil {
		return err
	}
	data := s.Vector.JSON()
	fmt.Fprintf(w, "1. built a nv%d vector whose CAR holds %d blocks (pre-state and post-state); %d bytes of JSON\n",
		s.Vector.NV, s.State.Len(), len(data))

	v, err := vectors.Parse(data)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "2. parsed it: %d blocks, every one hash-verified; message %s → %s, value %s, gas limit %d,\n",
		len(v.Blocks), v.Message.From, v.Message.To, v.Message.Value, v.Message.GasLimit)
	fmt.Fprintf(w, "   %d bytes unsigned, charged for inclusion as %d bytes (BLS sender: no signature bytes added)\n",
		len(v.MessageBytes), v.ChainLength)

	r, err := rules.For(network.Version(v.NetworkVersion))
	if err != nil {
		return err
	}
	buf := blocks.NewBuffered(nil, r.Flush)
	for _, b := range v.Blocks {
		if err := buf.Put(ctx, b); err != nil {
			return err
		}
	}
	reach, err := buf.Reachable(v.PreRoot)
	if err != nil {
		return err
	}
	if err := buf.Flush(ctx, v.PreRoot); err != nil {
		return err
	}
	fmt.Fprintf(w, "3. put them in the blocks layer's buffered store and flushed the pre-state root: %d of %d\n", len(reach), len(v.Blocks))
	fmt.Fprintln(w, "   blocks were written, those the root reaches (the post-state's own blocks stay behind)")

	dir, err := os.MkdirTemp("", "fvmcheck-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demo.json")
	bundlePath := filepath.Join(dir, "bundle.car")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(bundlePath, s.Bundle.CAR(), 0o644); err != nil {
		return err
	}
	bundles, err := vectors.LoadBundles(bundlePath)
	if err != nil {
		return err
	}

	// A stand-in driver that answers with the vector's own receipt: what a
	// correct kernel would return.
	replay := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		return &vectors.Result{ExitCode: v.Receipt.ExitCode, Return: v.Receipt.ReturnValue, GasUsed: v.Receipt.GasUsed, PostRoot: v.PostRoot}, nil
	})
	o := vectors.RunOne(ctx, vectors.Config{Driver: replay, Bundles: bundles}, path)
	fmt.Fprintf(w, "4. ran it with a stand-in driver that replays the expected receipt: %s\n", o.Status)

	// And one that forgets to pay the receiver and burns 6 gas too few.
	wrong := append([]vectortest.Actor(nil), s.PostActors...)
	wrong[4].Balance = s.PreActors[4].Balance
	root, written, err := s.StateWith(wrong)
	if err != nil {
		return err
	}
	broken := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		for _, b := range written.Blocks() {
			if err := run.Blockstore.Put(ctx, b); err != nil {
				return nil, err
			}
		}
		return &vectors.Result{ExitCode: 0, GasUsed: v.Receipt.GasUsed - 6, PostRoot: root}, nil
	})
	o = vectors.RunOne(ctx, vectors.Config{Driver: broken, Bundles: bundles}, path)
	fmt.Fprintf(w, "5. and with one that does not pay the receiver and uses 6 gas too few: %s, %s\n", o.Status, o.Reason)
	fmt.Fprintln(w, indent(o.Detail))
	return nil
}
