package kernel

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

var (
	sharedEngineOnce sync.Once
	sharedEngine     Engine
	sharedEngineErr  error
)

// wasmEngineForTest builds the production engine once per test binary
// (compiling the bundles dominates the run time).
func wasmEngineForTest(t *testing.T) Engine {
	t.Helper()
	sharedEngineOnce.Do(func() {
		sharedEngine, sharedEngineErr = NewWasmEngine(context.Background())
	})
	if sharedEngineErr != nil {
		t.Fatalf("engine: %v", sharedEngineErr)
	}
	return sharedEngine
}

// The real nv17 init Exec vector: init creates an actor through
// new_actor_address / create_actor and runs its constructor in wasm.
// Expected receipt and root come from the vector itself.
func TestVectorInitExecNv17(t *testing.T) {
	p := findVector(t, "ext-0001-fil_9_init-Exec-Ok-1.json")
	checkVector(t, runVector(t, p, wasmEngineForTest(t)))
}

// TestVectorsDir runs every vector under FVM_VECTORS_DIR... no: under the
// directory named by the test flag below, reporting pass counts. It is
// skipped unless -vectors is given (it is a survey, not a unit test).
func TestVectorsDir(t *testing.T) {
	dir := os.Getenv("GOFVM_KERNEL_VECTORS")
	if dir == "" {
		t.Skip("set GOFVM_KERNEL_VECTORS to a vectors directory to survey it")
	}
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	eng := wasmEngineForTest(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkVector(t, runVector(t, f, eng))
		})
	}
}

// BenchmarkVectorInitExecNv17 applies the real init Exec message (two wasm
// invocations: init, then the new actor's constructor) on a fresh machine
// per iteration.
func BenchmarkVectorInitExecNv17(b *testing.B) {
	p := findVector(b, "ext-0001-fil_9_init-Exec-Ok-1.json")
	sharedEngineOnce.Do(func() { sharedEngine, sharedEngineErr = NewWasmEngine(context.Background()) })
	if sharedEngineErr != nil {
		b.Fatal(sharedEngineErr)
	}
	lv := loadVector(b, p, sharedEngine)
	lv.apply(b) // compile outside the timer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ret := lv.apply(b); ret.Receipt.ExitCode != 0 {
			b.Fatalf("exit %d", ret.Receipt.ExitCode)
		}
	}
}

// A few real nv18 vectors by name: a multisig proposal, a power CreateMiner
// (init Exec with create_actor and f2 derivation at v3) and a PreCommitSector
// that runs out of funds. Expected receipts and roots are the vectors' own.
func TestVectorSampleNv18(t *testing.T) {
	for _, name := range []string{
		"ext-0002-fil_10_multisig-Propose-Ok-1.json",
		"ext-0002-fil_10_storagepower-CreateMiner-Ok-1.json",
		"ext-0002-fil_10_storageminer-PreCommitSector-SysErrInsufficientFunds-1.json",
	} {
		t.Run(name, func(t *testing.T) {
			checkVector(t, runVector(t, findVector(t, name), wasmEngineForTest(t)))
		})
	}
}

// Machines over one shared engine run in parallel (the vector runner and
// clients validating several tipsets do this): the same vectors give the
// same results concurrently.
func TestVectorsParallel(t *testing.T) {
	names := []string{
		"ext-0001-fil_9_init-Exec-Ok-1.json",
		"ext-0001-fil_9_account-Send-Ok-1.json",
		"ext-0002-fil_10_multisig-Propose-Ok-1.json",
		"ext-0002-fil_10_storagepower-CreateMiner-Ok-1.json",
	}
	eng := wasmEngineForTest(t)
	var paths []string
	for _, n := range names {
		paths = append(paths, findVector(t, n))
	}
	for _, p := range paths {
		p := p
		for i := 0; i < 2; i++ {
			t.Run(filepath.Base(p), func(t *testing.T) {
				t.Parallel()
				checkVector(t, runVector(t, p, eng))
			})
		}
	}
}
