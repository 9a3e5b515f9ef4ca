package instrument

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	car "github.com/ipld/go-car"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

const conformanceDir = "../../../.conformance"

// bundleModules returns the wasm modules of a mainnet bundle CAR (raw 0x55
// blocks starting with the wasm magic), largest first.
func bundleModules(t testing.TB, version string) [][]byte {
	t.Helper()
	path := filepath.Join(conformanceDir, "bundles", version, "builtin-actors-mainnet.car")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("bundle absent: %v", err)
	}
	defer f.Close()
	cr, err := car.NewCarReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var mods [][]byte
	for {
		blk, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if blk.Cid().Prefix().Codec == 0x55 && bytes.HasPrefix(blk.RawData(), []byte("\x00asm")) {
			mods = append(mods, blk.RawData())
		}
	}
	sort.Slice(mods, func(i, j int) bool { return len(mods[i]) > len(mods[j]) })
	return mods
}

// TestBundles instruments every module of the mainnet v9 (nv17) and v10
// (nv18) bundles in both gas forms and compiles the runtime form in wazero.
func TestBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, c := range []struct {
		bundle string
		v      Version
	}{{"v9", FVM2}, {"v10", FVM3}} {
		mods := bundleModules(t, c.bundle)
		ctx := context.Background()
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2))
		var inBytes, outBytes int
		var took time.Duration
		for i, wasm := range mods {
			if err := ValidateFeatures(wasm, c.v); err != nil {
				t.Errorf("%s module %d: %v", c.bundle, i, err)
				continue
			}
			start := time.Now()
			out, err := Instrument(wasm, Options{Version: c.v, CanonicalizeNaN: true, HookMemoryGrow: c.v == FVM3})
			took += time.Since(start)
			if err != nil {
				t.Errorf("%s module %d: %v", c.bundle, i, err)
				continue
			}
			if _, err := Instrument(wasm, Options{Version: c.v, Gas: GasImport}); err != nil {
				t.Errorf("%s module %d import form: %v", c.bundle, i, err)
			}
			inBytes += len(wasm)
			outBytes += len(out)
			if _, err := rt.CompileModule(ctx, out); err != nil {
				t.Errorf("%s module %d: wazero compile: %v", c.bundle, i, err)
			}
		}
		rt.Close(ctx)
		t.Logf("%s (%v): %d modules, %d → %d bytes, instrumented in %v", c.bundle, c.v, len(mods), inBytes, outBytes, took)
	}
}

// BenchmarkInstrumentLargest instruments the largest v10 module (storageminer).
func BenchmarkInstrumentLargest(b *testing.B) {
	mods := bundleModules(b, "v10")
	wasm := mods[0]
	b.SetBytes(int64(len(wasm)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Instrument(wasm, Options{Version: FVM3, CanonicalizeNaN: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// linearCounts returns how many linearly priced ops of a module FVM v3 prices
// statically (an i32.const right before) and dynamically.
func linearCounts(t testing.TB, wasm []byte) (static, dynamic int) {
	t.Helper()
	m, bodies, err := decodeAll(wasm, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	_ = m
	for _, b := range bodies {
		_, dyn, err := spansOf(b, FVMPrices(FVM3), FVM3)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, in := range b.Instrs {
			if c, _ := FVMPrices(FVM3).Price(in); c.PerUnit != 0 {
				n++
			}
		}
		static += n - len(dyn)
		dynamic += len(dyn)
	}
	return static, dynamic
}

// TestBundleLinearCounts checks the static/dynamic split of fvm-gas.md
// §3.2 on the v10 bundle: (63,120) account, (1748,555) storageminer,
// (321,336) evm.
func TestBundleLinearCounts(t *testing.T) {
	mods := bundleModules(t, "v10")
	seen := map[[2]int]bool{}
	for _, w := range mods {
		s, d := linearCounts(t, w)
		seen[[2]int{s, d}] = true
	}
	for _, want := range [][2]int{{63, 120}, {1748, 555}, {321, 336}} {
		if !seen[want] {
			t.Errorf("no module with static/dynamic linear ops %v; have %v", want, seen)
		}
	}
}

// TestBundlePhantomImpact measures, on the v9 bundle, how many functions
// get a different FVM v2 stack cost because parity-wasm decodes a phantom
// `unreachable` after memory.copy (OpPhantomUnreachable), and checks that
// the phantom can only lower a cost.
func TestBundlePhantomImpact(t *testing.T) {
	mods := bundleModules(t, "v9")
	changed, total := 0, 0
	for _, w := range mods {
		m, with, err := decodeAll(w, FVM2)
		if err != nil {
			t.Fatal(err)
		}
		_, without, err := decodeAll(w, FVM3)
		if err != nil {
			t.Fatal(err)
		}
		a, err := StackCosts(m, with, FVM2)
		if err != nil {
			t.Fatal(err)
		}
		b, err := StackCosts(m, without, FVM2)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if a[i] > b[i] {
				t.Errorf("function %d: phantom raised the cost %d → %d", i, b[i], a[i])
			}
			if a[i] != b[i] {
				changed++
			}
		}
		total += len(a)
	}
	t.Logf("v9: %d of %d functions have a lower FVM v2 stack cost because of the phantom unreachable", changed, total)
}

// TestBundleOpCounts checks the decoder against the module census of
// conformance.md §3.1–§3.2: instruction totals (2.20 M / 3.18 M), memory.copy
// and memory.fill counts, one memory.grow per module but the placeholder.
func TestBundleOpCounts(t *testing.T) {
	for _, c := range []struct {
		bundle               string
		mInstrs              float64
		copies, fills, grows int
	}{{"v9", 2.20, 7427, 172, 12}, {"v10", 3.18, 9878, 284, 15}} {
		mods := bundleModules(t, c.bundle)
		n, cp, fill, grow := 0, 0, 0, 0
		for _, w := range mods {
			_, bodies, err := decodeAll(w, FVM3)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bodies {
				n += len(b.Instrs)
				for _, in := range b.Instrs {
					switch in.Op {
					case OpMemoryCopy:
						cp++
					case OpMemoryFill:
						fill++
					case OpMemoryGrow:
						grow++
					}
				}
			}
		}
		if m := float64(n) / 1e6; m < c.mInstrs-0.005 || m >= c.mInstrs+0.005 {
			t.Errorf("%s: %d instructions, want %.2f M", c.bundle, n, c.mInstrs)
		}
		if cp != c.copies || fill != c.fills || grow != c.grows {
			t.Errorf("%s: copy/fill/grow %d/%d/%d, want %d/%d/%d", c.bundle, cp, fill, grow, c.copies, c.fills, c.grows)
		}
	}
}
