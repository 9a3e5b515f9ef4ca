package vectors_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// A Driver is all a kernel has to provide: it gets the loaded vector as a
// Run and answers with a Result, which the runner compares with the
// vector's receipt and post-state root.
func ExampleRunAll() {
	s, _ := vectortest.NewScenario(18, address.BLS)
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "transfer.json"), s.Vector.JSON(), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "bundle.car"), s.Bundle.CAR(), 0o644)
	bundles, _ := vectors.LoadBundles(filepath.Join(dir, "bundle.car"))

	// A stand-in for the kernel: it always uses 220,196 gas and returns the
	// expected post-state root.
	driver := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		fmt.Printf("applying a %d-byte message at epoch %d, nv%d\n", run.ChainLength, run.Epoch, run.NetworkVersion)
		return &vectors.Result{ExitCode: 0, GasUsed: 220_196, PostRoot: s.Post}, nil
	})
	outs := vectors.RunAll(context.Background(), vectors.Config{Driver: driver, Bundles: bundles}, vectors.CollectPaths([]string{dir}))
	for _, o := range outs {
		fmt.Println(filepath.Base(o.Path), o.Status, o.ID)
	}
	passed, failed, skipped := vectors.Counts(outs)
	fmt.Printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	// Output:
	// applying a 74-byte message at epoch 2797000, nv18
	// transfer.json pass vectortest-nv18-bls
	// 1 passed, 0 failed, 0 skipped
}

// Randomness replays the digests a vector recorded and falls back to the
// reference runner's fixed bytes.
func ExampleRandomness() {
	r, _ := vectors.NewRandomness(nil)
	d, _ := r.ChainDigest(2_797_000)
	fmt.Printf("%s\n", d[:])
	// Output: i_am_random_____i_am_random_____
}
