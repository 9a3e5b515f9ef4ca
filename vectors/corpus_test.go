package vectors

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The real corpus is never committed (conformance.md, preamble). These tests
// run only when GOFVM_CONFORMANCE names a directory laid out as
//
//	$GOFVM_CONFORMANCE/vectors/   the fvm-test-vectors corpus/extracted tree
//	$GOFVM_CONFORMANCE/bundles/   builtin-actors bundles (CARs or lotus .tar.zst)
//
// e.g. GOFVM_CONFORMANCE=$PWD/.conformance go test ./vectors -run Corpus.
const corpusEnv = "GOFVM_CONFORMANCE"

func corpusDir(t testing.TB) string {
	dir := os.Getenv(corpusEnv)
	if dir == "" {
		t.Skipf("%s not set: the real corpus is not available", corpusEnv)
	}
	return dir
}

// corpusBundles loads only the mainnet bundles: the other networks' code
// CIDs differ and are useless for these vectors (conformance.md §1.6).
func corpusBundles(t testing.TB, dir string) *Bundles {
	var paths []string
	_ = filepath.WalkDir(filepath.Join(dir, "bundles"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && filepath.Base(p) == "builtin-actors-mainnet.car" {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) == 0 {
		t.Fatalf("no builtin-actors-mainnet.car under %s/bundles", dir)
	}
	b, err := LoadBundles(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCorpusLoads checks the loading path on all 377 public vectors: every
// JSON parses, every CAR hash-verifies, every message decodes, and the
// mainnet bundles hold every code the pre-states name (conformance.md §1.1,
// §1.4, §1.6).
func TestCorpusLoads(t *testing.T) {
	dir := corpusDir(t)
	start := time.Now()
	bundles := corpusBundles(t, dir)
	paths := CollectPaths([]string{filepath.Join(dir, "vectors")})
	if len(paths) != 377 {
		t.Errorf("found %d vectors, want 377 (conformance.md §1.1)", len(paths))
	}
	blocks, secp := 0, 0
	for _, p := range paths {
		v, err := LoadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		blocks += len(v.Blocks)
		if v.ChainLength != len(v.MessageBytes) {
			secp++
		}
		if err := bundles.CheckCode(context.Background(), v); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if blocks != 42412 {
		t.Errorf("%d blocks in all, want 42412 (conformance.md §1.4)", blocks)
	}
	if secp != 45 {
		t.Errorf("%d secp senders, want 45 (conformance.md §1.5)", secp)
	}
	t.Logf("loaded %d vectors, %d blocks, %d bundle blocks in %v", len(paths), blocks, bundles.Len(), time.Since(start))
}

// corpusDriver is the driver the corpus run uses: the kernel's when one is
// linked, else a driver that only proves the Run was built (the fake cannot
// know the answers, so the run can only check loading).
func corpusDriver(t testing.TB) (d Driver, real bool) {
	if DefaultDriver != nil {
		d, err := DefaultDriver(DriverOptions{CacheDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return d, true
	}
	return DriverFunc(func(ctx context.Context, run *Run) (*Result, error) {
		if _, err := run.Blockstore.Get(ctx, run.PreRoot); err != nil {
			return nil, err
		}
		return nil, ErrNoDriver
	}), false
}

// TestCorpusRun runs every vector through the runner. With the real driver
// it expects 376 passed, 0 failed, 1 skipped (conformance.md §1.5); with the
// fake one every vector must reach the driver, i.e. fail with ErrNoDriver and
// nothing else.
func TestCorpusRun(t *testing.T) {
	dir := corpusDir(t)
	driver, real := corpusDriver(t)
	bundles := corpusBundles(t, dir)
	start := time.Now()
	outs := RunAll(context.Background(), Config{
		Driver: driver, Bundles: bundles, Expected: DefaultExpectedFailures(),
		Reachability: ReachabilityStrict, Engine: EngineCompiler,
	}, CollectPaths([]string{filepath.Join(dir, "vectors")}))
	p, f, s := Counts(outs)
	t.Logf("%d passed, %d failed, %d skipped in %v", p, f, s, time.Since(start))
	if real {
		for _, o := range outs {
			if o.Status == Fail {
				t.Errorf("%s: %s\n%s", o.Path, o.Reason, o.Detail)
			}
		}
		if p != 376 || s != 1 {
			t.Errorf("got %d passed, %d skipped; want 376 and 1", p, s)
		}
		return
	}
	for _, o := range outs {
		want := "driver: " + ErrNoDriver.Error()
		if o.Status == Skip {
			want = "expected failure: "
		}
		if !strings.HasPrefix(o.Reason, want) {
			t.Errorf("%s: %s (want %q)", o.Path, o.Reason, want)
		}
	}
	if s != 1 || f != 376 {
		t.Errorf("got %d failed, %d skipped; want 376 and 1", f, s)
	}
}
