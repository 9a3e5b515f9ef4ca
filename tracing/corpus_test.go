package tracing_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// The public corpus is never committed; these tests run when
// GOFVM_CONFORMANCE names a directory with vectors/ and bundles/ (as in
// vectors/corpus_test.go), e.g.
//
//	GOFVM_CONFORMANCE=$PWD/.conformance go test ./tracing -run Corpus -v

func corpusConfig(t testing.TB) (vectors.Config, []string) {
	t.Helper()
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		t.Skip("GOFVM_CONFORMANCE not set: the real corpus is not available")
	}
	var bundles []string
	_ = filepath.WalkDir(filepath.Join(dir, "bundles"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && filepath.Base(p) == "builtin-actors-mainnet.car" {
			bundles = append(bundles, p)
		}
		return nil
	})
	b, err := vectors.LoadBundles(bundles...)
	if err != nil {
		t.Fatal(err)
	}
	paths := vectors.CollectPaths([]string{filepath.Join(dir, "vectors")})
	return vectors.Config{Bundles: b, Expected: vectors.DefaultExpectedFailures(), Jobs: runtime.NumCPU(),
		Reachability: vectors.ReachabilityStrict, Engine: vectors.EngineCompiler}, paths
}

// TestCorpusTraces checks (a) to (d) on every public vector: the traced
// run's outcome equals the untraced one's (receipt, gas, post-state root),
// the charges sum to the used milligas, the call tree is well formed, and a
// second traced run with -j 1 gives byte-identical events. The three runs
// share one kernel driver, so every module compiles once.
func TestCorpusTraces(t *testing.T) {
	cfg, paths := corpusConfig(t)
	inner := corpusDriver(t)
	on := recordingDriverOver(inner, true)
	off := recordingDriverOver(inner, false)
	cfg.Driver = on
	outsOn := vectors.RunAll(context.Background(), cfg, paths)
	cfg.Driver = off
	outsOff := vectors.RunAll(context.Background(), cfg, paths)
	// (d) on the corpus: a second traced run with -j 1 gives the same bytes.
	again := recordingDriverOver(inner, true)
	cfg.Driver, cfg.Jobs = again, 1
	vectors.RunAll(context.Background(), cfg, paths)
	for id, tr := range on.runs {
		var a, b bytes.Buffer
		_ = tracing.WriteJSONLines(&a, tr.events)
		if other := again.runs[id]; other != nil {
			_ = tracing.WriteJSONLines(&b, other.events)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the -j 1 trace differs from the -j %d one", id, runtime.NumCPU())
		}
	}
	pass, traced, calls := 0, 0, 0
	kinds := map[string]int{}
	for i, o := range outsOn {
		if o.Status != outsOff[i].Status || !sameReceipt(o.Got, outsOff[i].Got) {
			t.Errorf("%s: traced %s %+v, untraced %s %+v", o.Path, o.Status, o.Got, outsOff[i].Status, outsOff[i].Got)
		}
		if o.Status == vectors.Pass {
			pass++
		}
		tr := on.runs[o.ID]
		if tr == nil || len(tr.events) == 0 {
			continue // did not reach the kernel (load failure): reported by the status check above
		}
		traced++
		events, end := messageEvents(t, o.Path, tr.events)
		kinds[checkGas(t, o.Path, events, end, mustVector(t, o.Path).Message.GasLimit)]++
		if countCalls(events) == 0 {
			kinds["preflight (no Call)"]++
		}
		calls += checkCalls(t, o.Path, events)
	}
	t.Logf("%d vectors, %d passed, %d traced, %d calls in all; gas cases %v", len(paths), pass, traced, calls, kinds)
	if traced != len(paths) {
		t.Errorf("traced %d of %d vectors", traced, len(paths))
	}
}

// corpusDriver is one kernel driver for a whole test, its compilation
// cache in the test's temporary directory.
func corpusDriver(t testing.TB) vectors.Driver {
	t.Helper()
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	d, err := vectors.DefaultDriver(vectors.DriverOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// BenchmarkCorpusTraceOverhead measures what tracing costs on the whole
// public corpus (GOFVM_CONFORMANCE, as the tests): one op is a run of all
// 377 vectors with -j 1, without hooks, with an empty Hooks{} (the cost of
// the kernel's nil checks), with a Recorder, and with a Recorder plus
// BuildLotusTrace. Modules compile before the timer starts. Compare the
// modes side by side in one invocation, e.g.
//
//	GOFVM_CONFORMANCE=$PWD/.conformance go test ./tracing -run '^$' \
//	    -bench CorpusTraceOverhead -benchtime 3x -count 3 | benchstat -
//
// The machine is shared, so only ratios measured in one run mean anything.
func BenchmarkCorpusTraceOverhead(b *testing.B) {
	cfg, paths := corpusConfig(b)
	inner := corpusDriver(b)
	cfg.Jobs = 1
	cfg.Driver = inner
	vectors.RunAll(context.Background(), cfg, paths) // compile every module
	modes := []struct {
		name   string
		driver vectors.Driver
	}{
		{"no-hooks", inner},
		{"empty-hooks", vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			run.Hooks = &tracing.Hooks{}
			return inner.Apply(ctx, run)
		})},
		{"recorder", vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			var rec tracing.Recorder
			run.Hooks = rec.Hooks()
			return inner.Apply(ctx, run)
		})},
		{"recorder+lotus", vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			var rec tracing.Recorder
			run.Hooks = rec.Hooks()
			res, err := inner.Apply(ctx, run)
			if _, berr := tracing.BuildLotusTrace(rec.Events); berr != nil && err == nil {
				err = berr
			}
			return res, err
		})},
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			cfg.Driver = m.driver
			b.ReportAllocs()
			for b.Loop() {
				outs := vectors.RunAll(context.Background(), cfg, paths)
				if p, f, _ := vectors.Counts(outs); f != 0 || p == 0 {
					b.Fatalf("%d passed, %d failed", p, f)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(paths)), "µs/vector")
		})
	}
}
