package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"github.com/tetratelabs/wazero"
	"testing"
)

func mustLoad(t testing.TB, e *Engine, wasm []byte, v Variant) *Module {
	t.Helper()
	m, err := e.Load(context.Background(), rawCid(t, wasm), wasm, v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustInstantiate(t testing.TB, e *Engine, m *Module, b *MemoryBudget) *Instance {
	t.Helper()
	in, err := e.Instantiate(context.Background(), m, b)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestActorShapeInvoke(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	for _, interp := range []bool{false, true} {
		var opts []Option
		if interp {
			opts = append(opts, WithInterpreter())
		}
		e := newTestEngine(t, tm, opts...)
		for _, v := range Variants {
			m := mustLoad(t, e, tm.actorRaw, v)
			if got := m.MinMemoryBytes(); got != 17*65536 {
				t.Errorf("MinMemoryBytes = %d, want %d", got, 17*65536)
			}
			if _, ok := m.TableExport(); ok {
				t.Error("TableExport: __indirect_function_table must not count as `table`")
			}
			if m.WasmSize() != len(tm.actorRaw) || m.InstrumentedSize() != len(tm.actor) {
				t.Errorf("sizes %d/%d", m.WasmSize(), m.InstrumentedSize())
			}
			for _, p := range []uint32{0, 1, 299, 300, 1234} {
				in := mustInstantiate(t, e, m, NewMemoryBudget(v))
				in.GasGlobal().Set(1_000_000)
				ret, err := in.Invoke(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				// table[p mod 300](p) + enabled() where enabled() returns the
				// variant number.
				want := p + p%300 + uint32(v)
				if ret != want {
					t.Errorf("%s interp=%v invoke(%d) = %d, want %d", v, interp, p, ret, want)
				}
				// Gas: invoke's block 100 + the table function's 12.
				if g := int64(in.GasGlobal().Get()); g != 1_000_000-112 {
					t.Errorf("gas left %d, want %d", g, 1_000_000-112)
				}
				// The data segment is in place and the spilled parameter sits
				// 64 bytes below the 1 MiB stack top.
				if b, _ := in.Memory().ReadByte(1<<20 + 300); b != byte((300*7+300>>8)&0xff) {
					t.Errorf("data byte = %d", b)
				}
				if x, _ := in.Memory().ReadUint32Le(1<<20 - 64); x != p {
					t.Errorf("spilled param = %d, want %d", x, p)
				}
				in.Close(ctx)
			}
		}
	}
}

// The interpreter and the compiler must agree on everything consensus sees:
// return value, trap or not, the gas global and memory contents.
func TestInterpreterMatchesCompiler(t *testing.T) {
	t.Run("hand-instrumented", func(t *testing.T) { testInterpreterMatchesCompiler(t, nil) })
	t.Run("instrument-package", func(t *testing.T) { testInterpreterMatchesCompiler(t, defaultInstrument) })
}

func testInterpreterMatchesCompiler(t *testing.T, instr instrumentFunc) {
	tm := newTestModules()
	ctx := context.Background()
	var opts []Option
	if instr != nil {
		opts = append(opts, withInstrumenter(instr))
	}
	comp := newTestEngine(t, tm, opts...)
	interp := newTestEngine(t, tm, append(opts, WithInterpreter())...)
	type outcome struct {
		ret  uint32
		trap bool
		gas  int64
		mem  [32]byte
	}
	run := func(e *Engine, wasm []byte, v Variant, gas int64, p uint32) outcome {
		m := mustLoad(t, e, wasm, v)
		in := mustInstantiate(t, e, m, NewMemoryBudget(v))
		defer in.Close(ctx)
		in.GasGlobal().Set(uint64(gas))
		ret, err := in.Invoke(ctx, p)
		b, _ := in.Memory().Read(0, in.Memory().Size())
		return outcome{ret, err != nil, int64(in.GasGlobal().Get()), sha256.Sum256(b)}
	}
	cases := []struct {
		name string
		wasm []byte
		gas  int64
		p    uint32
	}{
		{"actor", tm.actorRaw, 1 << 30, 17},
		{"actor/oog-in-callee", tm.actorRaw, 105, 17},
		{"actor/oog-at-entry", tm.actorRaw, 99, 17},
		{"compute/0", tm.computeRaw, 1 << 30, 0},
		{"compute/5000", tm.computeRaw, 1 << 30, 5000},
		{"compute/oog", tm.computeRaw, 20 + 60*100 + 30, 5000},
		{"grow/1", tm.growRaw, 1 << 30, 1},
		{"grow/too-much", tm.growRaw, 1 << 30, 9000},
	}
	for _, c := range cases {
		if testing.Short() && c.name == "grow/too-much" {
			continue
		}
		for _, v := range Variants {
			a := run(comp, c.wasm, v, c.gas, c.p)
			b := run(interp, c.wasm, v, c.gas, c.p)
			if a != b {
				t.Errorf("%s %s: compiler %+v, interpreter %+v", c.name, v, a, b)
			}
		}
	}
	if instr != nil {
		// The real prices differ from the hand-written ones; check that
		// metering happened and that a small budget runs out.
		if o := run(comp, tm.computeRaw, V3, 1<<30, 5000); o.trap || o.gas >= 1<<30 {
			t.Errorf("compute: %+v, want a return and gas spent", o)
		}
		if o := run(comp, tm.computeRaw, V2, 1000, 5000); !o.trap || o.gas >= 0 {
			t.Errorf("compute with 1000 milligas: %+v, want out of gas", o)
		}
		return
	}
	// Spot checks that the cases test something.
	if o := run(comp, tm.computeRaw, V3, 20+60*100+30, 5000); !o.trap || o.gas >= 0 {
		t.Errorf("compute/oog: %+v, want a trap with a negative gas global", o)
	}
	if o := run(comp, tm.actorRaw, V3, 105, 17); !o.trap || o.gas != 105-112 {
		t.Errorf("actor/oog-in-callee: %+v, want a trap with gas −7", o)
	}
}

// Each variant links against its own host modules.
func TestVariantRuntimesAreSeparate(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e, err := New(ctx, withInstrumenter(tm.instrumenter()),
		WithHostModules(func(ctx context.Context, r wazero.Runtime, v Variant) error {
			if v == V3 {
				return testHostModules(ctx, r, v)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	m17 := mustLoad(t, e, tm.actorRaw, V2)
	if _, err := e.Instantiate(ctx, m17, nil); !errors.Is(err, ErrLink) || !IsFatalInstantiation(err) {
		t.Errorf("nv17 without host modules: %v, want ErrLink", err)
	}
	m18 := mustLoad(t, e, tm.actorRaw, V3)
	in := mustInstantiate(t, e, m18, nil)
	in.Close(ctx)
}

func TestVariantString(t *testing.T) {
	if V2.String() != "fvm2" || V3.String() != "fvm3" || V4.String() != "fvm4" || Variant(9).String() != "Variant(9)" {
		t.Error("String")
	}
	if _, err := (&Engine{}).Load(context.Background(), rawCid(t, nil), nil, Variant(0)); err == nil {
		t.Error("Load with an unknown variant")
	}

}
