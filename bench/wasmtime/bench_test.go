package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v35"

	"github.com/gofvm/gofvm/kernel/engine"
)

func sides(t *testing.T) (*gofvmSide, *wasmtimeSide) {
	t.Helper()
	g, err := newGofvmSide(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.close)
	w, err := newWasmtimeSide()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.close)
	return g, w
}

// TestKernels runs every compute kernel on both engines with a small
// argument: each must return what its Go transcription computes, and both
// engines must leave the same gas counter (the same instrumentation, one
// in gofvm's form, one in the reference's).
func TestKernels(t *testing.T) {
	ctx := context.Background()
	g, w := sides(t)
	for _, k := range kernels {
		t.Run(k.name, func(t *testing.T) {
			gm, wm, err := loadKernel(ctx, g, w, k.name)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []uint32{0, 1, 9, 20} { // fib is exponential in n
				gr, gg, err := g.runKernel(ctx, gm, n)
				if err != nil {
					t.Fatalf("gofvm invoke(%d): %v", n, err)
				}
				wr, wg, err := w.runKernel(wm, n)
				if err != nil {
					t.Fatalf("wasmtime invoke(%d): %v", n, err)
				}
				if want := k.want(n); gr != want || wr != want {
					t.Errorf("invoke(%d): gofvm %d, wasmtime %d, want %d", n, gr, wr, want)
				}
				if gg != wg || gg <= 0 {
					t.Errorf("invoke(%d): gas used: gofvm %d, wasmtime %d", n, gg, wg)
				}
			}
		})
	}
}

// TestKernelGasByHand checks the engines' charge against fvm-gas.md §3.2
// worked by hand, so that their agreeing is not the only check. One more
// iteration of the bulk kernel's loop runs 28 priced instructions (br_if
// head 3, local.set $i 4, memory.fill with its operands 6, memory.copy
// with its operands 10, local.set $n 4, br 1; loop/block/end are free) at
// 4 gas each, and its memory.fill and memory.copy each take a run-time
// length of 65,536 bytes at 400 milligas a byte (the linear price of §3.2;
// the charging sequence the metering inserts is not itself priced):
// 28 × 4000 + 2 × 65,536 × 400 = 52,540,800 milligas.
func TestKernelGasByHand(t *testing.T) {
	const perIteration = 28*4000 + 2*65536*400
	ctx := context.Background()
	g, w := sides(t)
	gm, wm, err := loadKernel(ctx, g, w, "bulk")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []uint32{1, 8, 100} {
		_, g0, err := g.runKernel(ctx, gm, n)
		if err != nil {
			t.Fatal(err)
		}
		_, g1, err := g.runKernel(ctx, gm, n+1)
		if err != nil {
			t.Fatal(err)
		}
		_, w0, err := w.runKernel(wm, n)
		if err != nil {
			t.Fatal(err)
		}
		_, w1, err := w.runKernel(wm, n+1)
		if err != nil {
			t.Fatal(err)
		}
		if g1-g0 != perIteration || w1-w0 != perIteration {
			t.Errorf("one more iteration after %d: gofvm %d, wasmtime %d milligas, want %d", n, g1-g0, w1-w0, perIteration)
		}
	}
}

// TestRefEngineLimits checks that the pooling allocator is in force: a
// table over its 20,000 slots fails to instantiate in wasmtime, as it does
// in ref-fvm (fvm-gas-next.md §6.2), while wasmtime's default allocator
// would take it.
func TestRefEngineLimits(t *testing.T) {
	big := wat(t, `(module (memory (export "memory") 1) (table 20001 funcref)
		(func (export "invoke") (param i32) (result i32) (i32.const 0)))`)
	small := wat(t, `(module (memory (export "memory") 1) (table 20000 funcref)
		(func (export "invoke") (param i32) (result i32) (i32.const 0)))`)
	e := newRefEngine()
	defer e.Close()
	for _, c := range []struct {
		wasm []byte
		ok   bool
	}{{small, true}, {big, false}} {
		st := wasmtime.NewStore(e)
		m, err := wasmtime.NewModule(e, c.wasm)
		if err == nil {
			_, err = wasmtime.NewInstance(st, m, nil)
		}
		if (err == nil) != c.ok {
			t.Errorf("table limit: ok=%v, err=%v", c.ok, err)
		}
		st.Close()
	}
	def := wasmtime.NewEngine()
	defer def.Close()
	m, err := wasmtime.NewModule(def, big)
	if err == nil {
		_, err = wasmtime.NewInstance(wasmtime.NewStore(def), m, nil)
	}
	if err != nil {
		t.Errorf("the default allocator refuses the big table too (%v): the test proves nothing", err)
	}
}

func wat(t *testing.T, src string) []byte {
	t.Helper()
	b, err := wasmtime.Wat2Wasm(src)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReplay records a light real invocation (nv18 ExtendSectorExpiration,
// ~69M gas) under gofvm and replays it in both engines: same host calls,
// arguments and gas counter at every call, same end. Skipped without the
// real data.
func TestReplay(t *testing.T) {
	conf := defaultConformance()
	if conf == "" {
		t.Skip("no real data (.conformance or GOFVM_CONFORMANCE)")
	}
	if _, err := os.Stat(filepath.Join(conf, eseLight)); err != nil {
		t.Skipf("no real data: %v", err)
	}
	if testing.Short() {
		t.Skip("records a real message: not in -short")
	}
	ctx := context.Background()
	b := &bench{conf: conf, rounds: 1}
	if err := b.setup(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.close()
	rec, err := b.recorded(ctx, eseLight)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Matches {
		t.Fatalf("gofvm's receipt (exit %d, gas %d) is not the vector's", rec.ExitCode, rec.GasUsed)
	}
	if len(rec.Invocations) == 0 || rec.hostCalls() == 0 {
		t.Fatalf("nothing recorded: %d invocations, %d host calls", len(rec.Invocations), rec.hostCalls())
	}
	for _, inv := range rec.Invocations {
		if inv.Variant != engine.V3 {
			t.Fatalf("an nv18 invocation recorded as %v", inv.Variant)
		}
	}
	g, w, err := b.replayer(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := g(); err != nil {
		t.Errorf("gofvm: %v", err)
	}
	if err := w(); err != nil {
		t.Errorf("wasmtime: %v", err)
	}

	// A replay that departs from the recording is caught: change one
	// recorded gas value.
	rec.Invocations[0].Calls[0].GasIn++
	if err := g(); err == nil || !strings.Contains(err.Error(), "gas counter") {
		t.Errorf("gofvm replay of a changed recording: %v", err)
	}
	if err := w(); err == nil || !strings.Contains(err.Error(), "gas counter") {
		t.Errorf("wasmtime replay of a changed recording: %v", err)
	}
}
