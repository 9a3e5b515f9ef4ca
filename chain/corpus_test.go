package chain_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/vectors"
)

// TestCorpusThroughReplay serves every public vector as a one-message
// tipset (chaintest.VectorChain) and replays its message over JSON-RPC,
// trusting the node's facts (the vector's network version, circulating
// supply and randomness). Every vector that passes when run directly must
// give the same receipt and post-state root through this path, and a second
// replay from the cache must make no request at all. Opt-in:
// GOFVM_CONFORMANCE=/path/to/.conformance.
func TestCorpusThroughReplay(t *testing.T) {
	root := os.Getenv("GOFVM_CONFORMANCE")
	if root == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	ctx := context.Background()
	bundles, err := vectors.LoadBundles(filepath.Join(root, "bundles"))
	if err != nil {
		t.Fatal(err)
	}
	paths := vectors.CollectPaths([]string{filepath.Join(root, "vectors")})
	if f := os.Getenv("GOFVM_CORPUS_RUN"); f != "" {
		var keep []string
		for _, p := range paths {
			if bytes.Contains([]byte(p), []byte(f)) {
				keep = append(keep, p)
			}
		}
		paths = keep
	}
	drv, err := vectors.NewKernelDriver(vectors.DriverOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := vectors.Config{Driver: drv, Bundles: bundles, Expected: vectors.DefaultExpectedFailures(),
		Reachability: vectors.ReachabilityCompat, Engine: vectors.EngineCompiler, Jobs: 2}
	eng, err := kernel.NewWasmEngine(ctx, engine.WithCompilationCacheDir(t.TempDir()), engine.WithPrewarm(0))
	if err != nil {
		t.Fatal(err)
	}
	net := &chain.Network{Name: "vectors", FirstVersion: network.Version17, BlockDelay: 30, ChainID: 314,
		PremiumBaseFeeHeight: -1, Supply: chaintest.Supply}

	var mu sync.Mutex
	passed, compared, secondCalls := 0, 0, int64(0)
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range work {
				direct := vectors.RunOne(ctx, cfg, path)
				if direct.Status != vectors.Pass {
					continue
				}
				v, err := vectors.LoadFile(path)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				vc, err := chaintest.NewVectorChain(ctx, v)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				srv := chaintest.Serve(vc)
				dir := t.TempDir()
				replay := func() (*chain.Replay, int64) {
					n, err := chain.Open(ctx, chain.Config{URL: srv.URL, CacheDir: dir, Network: net, TrustNodeFacts: true,
						Bundles: []chain.Getter{bundles.Blockstore()}, Engine: eng, Verifier: chain.HistoryProofs{},
						Reachability: kernel.ReachabilityCompat})
					if err != nil {
						t.Errorf("%s: %v", path, err)
						return nil, 0
					}
					defer n.Close()
					r, err := n.ReplayMessage(ctx, vc.Message, false)
					if err != nil {
						t.Errorf("%s: replay: %v", path, err)
						return nil, n.Calls()
					}
					return r, n.Calls()
				}
				r, _ := replay()
				before := srv.TotalCalls()
				r2, calls2 := replay()
				after := srv.TotalCalls()
				srv.Close()
				if r == nil || r2 == nil {
					continue
				}
				got := r.Target.Ret.Receipt
				ok := got.ExitCode == exitOf(direct.Got.ExitCode) && bytes.Equal(got.Return, direct.Got.Return) &&
					got.GasUsed == direct.Got.GasUsed && r.Result.StateRoot.String() == direct.Got.PostRoot &&
					r.Result.StateRoot.Equals(v.PostRoot) && r.OK()
				if !ok {
					t.Errorf("%s: replay exit %d gas %d root %s; direct exit %d gas %d root %s; %v %v", path,
						got.ExitCode, got.GasUsed, r.Result.StateRoot, direct.Got.ExitCode, direct.Got.GasUsed,
						direct.Got.PostRoot, r.Mismatches, r.ReceiptDiffs)
				}
				if r2.Result.StateRoot != r.Result.StateRoot {
					t.Errorf("%s: the cached replay differs", path)
				}
				mu.Lock()
				passed++
				if ok {
					compared++
				}
				secondCalls += calls2 + int64(after-before)
				mu.Unlock()
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	t.Logf("%d vectors passing directly; %d agree through the replay path; %d requests in the second runs", passed, compared, secondCalls)
	if secondCalls != 0 {
		t.Errorf("the second runs made %d requests", secondCalls)
	}
}
