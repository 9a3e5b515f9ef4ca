package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/vectors"
)

// TestReplayCommandOnCorpus runs `fvmcheck replay --trust-node` on public
// vectors served as one-message tipsets (chaintest.VectorChain): it must
// say MATCH for every vector that passes directly, and a second run from
// the cache must make no RPC call. Every 8th vector by default (each run
// loads the bundles anew); GOFVM_CORPUS_ALL=1 runs all. The library path
// runs on every vector in package chain's TestCorpusThroughReplay. Opt-in:
// GOFVM_CONFORMANCE.
func TestReplayCommandOnCorpus(t *testing.T) {
	root := os.Getenv("GOFVM_CONFORMANCE")
	if root == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	ctx := context.Background()
	// The corpus needs the v9 and v10 mainnet bundles (nv17, nv18); the
	// directory holds every version's tarballs too, slow to load per run.
	car := func(v string) string { return filepath.Join(root, "bundles", v, "builtin-actors-mainnet.car") }
	loaded, err := vectors.LoadBundles(car("v9"), car("v10"))
	if err != nil {
		t.Fatal(err)
	}
	drv, err := vectors.NewKernelDriver(vectors.DriverOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := vectors.Config{Driver: drv, Bundles: loaded, Expected: vectors.DefaultExpectedFailures(),
		Reachability: vectors.ReachabilityCompat, Engine: vectors.EngineCompiler}
	codeCache := t.TempDir()
	paths := vectors.CollectPaths([]string{filepath.Join(root, "vectors")})
	ran := 0
	for i, p := range paths {
		if i%8 != 0 && os.Getenv("GOFVM_CORPUS_ALL") == "" {
			continue
		}
		if o := vectors.RunOne(ctx, cfg, p); o.Status != vectors.Pass {
			continue
		}
		v, err := vectors.LoadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		vc, err := chaintest.NewVectorChain(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		srv := chaintest.Serve(vc)
		cache := filepath.Join(t.TempDir(), "cache")
		args := []string{"replay", "--rpc", srv.URL, "--cache", cache, "--bundles", car("v9"), "--bundles", car("v10"), "--trust-node",
			"--code-cache", codeCache, vc.Message.String()}
		code, _, errs := fvmcheck(args...)
		code2, _, errs2 := fvmcheck(args...)
		srv.Close()
		if code != exitOK || !strings.Contains(errs, "MATCH") {
			t.Errorf("%s: exit %d\n%s", p, code, errs)
		}
		if code2 != exitOK || !strings.Contains(errs2, "\n0 RPC calls") {
			t.Errorf("%s, from the cache: exit %d\n%s", p, code2, errs2)
		}
		ran++
	}
	t.Logf("%d vectors replayed through fvmcheck replay", ran)
}
