//go:build unix

package tracing_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// The public corpus is never committed; these tests run when
// GOFVM_CONFORMANCE names a directory with vectors/ and bundles/ (as in
// vectors/corpus_test.go), e.g.
//
//	GOFVM_CONFORMANCE=$PWD/.conformance go test ./tracing -run Corpus -v

func corpusConfig(t *testing.T) (vectors.Config, []string) {
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
// second traced run with -j 1 gives byte-identical events.
func TestCorpusTraces(t *testing.T) {
	cfg, paths := corpusConfig(t)
	on := newRecordingDriver(t, true)
	off := newRecordingDriver(t, false)
	cfg.Driver = on
	outsOn := vectors.RunAll(context.Background(), cfg, paths)
	cfg.Driver = off
	outsOff := vectors.RunAll(context.Background(), cfg, paths)
	// (d) on the corpus: a second traced run with -j 1 gives the same bytes.
	again := newRecordingDriver(t, true)
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

// TestCorpusTraceOverhead measures what tracing costs on the whole corpus:
// the same runs without hooks, with a Recorder, and with a Recorder plus
// BuildLotusTrace, each after a warm-up run (module compilation). Figures
// only: nothing is asserted about timing.
func TestCorpusTraceOverhead(t *testing.T) {
	cfg, paths := corpusConfig(t)
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	inner, err := vectors.DefaultDriver(vectors.DriverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var events, size int64
	modes := map[string]vectors.Driver{
		"no hooks": inner,
		"empty Hooks{}": vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			run.Hooks = &tracing.Hooks{}
			return inner.Apply(ctx, run)
		}),
		"recorder": vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			var rec tracing.Recorder
			run.Hooks = rec.Hooks()
			return inner.Apply(ctx, run)
		}),
		"recorder+lotus": vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			var rec tracing.Recorder
			run.Hooks = rec.Hooks()
			res, err := inner.Apply(ctx, run)
			if _, berr := tracing.BuildLotusTrace(rec.Events); berr != nil && err == nil {
				t.Errorf("%s: %v", run.VectorID, berr)
			}
			return res, err
		}),
	}
	order := []string{"no hooks", "empty Hooks{}", "recorder", "recorder+lotus"}
	cfg.Driver = inner
	vectors.RunAll(context.Background(), cfg, paths) // warm-up: compile every module
	// The machine is shared (wall time varies by ±40% between identical
	// runs), so the figure is the process CPU time, best of the rounds,
	// modes interleaved.
	best := map[string]time.Duration{}
	bestWall := map[string]time.Duration{}
	const rounds = 4
	for round := 0; round < rounds; round++ {
		for _, m := range order {
			cfg.Driver = modes[m]
			runtime.GC()
			start, cpu0 := time.Now(), cpuTime()
			vectors.RunAll(context.Background(), cfg, paths)
			if d := cpuTime() - cpu0; best[m] == 0 || d < best[m] {
				best[m] = d
			}
			if d := time.Since(start); bestWall[m] == 0 || d < bestWall[m] {
				bestWall[m] = d
			}
		}
	}
	// Event counts and JSON sizes, once.
	d := newRecordingDriver(t, true)
	cfg.Driver = d
	vectors.RunAll(context.Background(), cfg, paths)
	for _, tr := range d.runs {
		events += int64(len(tr.events))
		var c countingWriter
		_ = tracing.WriteJSONLines(&c, tr.events)
		size += c.n
	}
	for _, m := range order {
		t.Logf("%-15s CPU %v (%+.1f%% vs no hooks), wall %v; best of %d, -j %d, %d vectors", m,
			best[m].Round(time.Millisecond), 100*(float64(best[m])/float64(best["no hooks"])-1),
			bestWall[m].Round(time.Millisecond), rounds, cfg.Jobs, len(paths))
	}
	t.Logf("%d events in all (%.0f per vector), %d bytes of JSON lines", events, float64(events)/float64(len(paths)), size)
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
