package instrument

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// FuzzDecodeBody: arbitrary bytes never panic or hang the body decoder, and
// what decodes re-encodes to something that decodes to the same thing.
func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte{0x00, 0x0B})
	f.Add([]byte{0x01, 0x02, 0x7F, 0x41, 0x7F, 0x0B})
	f.Add([]byte{0x00, 0xFC, 0x0A, 0x00, 0x00, 0x0B})
	f.Add([]byte{0x00, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []Version{FVM2, FVM3} {
			b, err := DecodeBody(data, DecodeOptions{Version: v})
			if err != nil {
				continue
			}
			enc := EncodeBody(nil, b)
			b2, err := DecodeBody(enc, DecodeOptions{Version: v})
			if err != nil {
				t.Fatalf("%v: re-decode: %v", v, err)
			}
			if fmt.Sprint(b2) != fmt.Sprint(b) {
				t.Fatalf("%v: round trip differs", v)
			}
		}
	})
}

// FuzzInstrument: arbitrary bytes never panic or hang Instrument.
func FuzzInstrument(f *testing.F) {
	f.Add(tmod{memory: true, fns: []tfn{{code: []Instr{c32(0), c32(0), c32(1), op(OpMemoryFill)}, export: "f"}}}.bytes())
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	for i := 0; i < 8; i++ {
		seed := make([]byte, 200)
		for j := range seed {
			seed[j] = byte(j*5 + i*29)
		}
		w, _ := genModule(seed)
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []Version{FVM2, FVM3} {
			for _, g := range []GasForm{GasExport, GasImport} {
				_, _ = Instrument(data, Options{Version: v, Gas: g, CanonicalizeNaN: true, HookMemoryGrow: true})
			}
		}
	})
}

// FuzzDifferential generates valid modules, instruments them, and checks
// that wazero accepts the output and that, with a large gas counter, every
// export returns what the original returns (or traps where it traps). With
// NaN canonicalisation on, interpreter and compiler must agree bit for bit,
// gas included.
func FuzzDifferential(f *testing.F) {
	for i := 0; i < 24; i++ {
		seed := make([]byte, 64+i*8)
		for j := range seed {
			seed[j] = byte(j*7 + i*13)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		wasm, sigs := genModule(data)
		ctx := context.Background()
		interp, compiler := fuzzRuntimes(t)
		origMod, err := instantiateRaw(t, ctx, interp, wasm)
		if err != nil {
			t.Fatalf("generated module invalid: %v", err)
		}
		args := &choices{b: append([]byte(nil), data...), i: len(data) / 2}
		var calls [][]uint64
		for _, s := range sigs {
			var a []uint64
			for _, p := range s.Params {
				v := uint64(args.u32())<<32 | uint64(args.u32())
				if p == I32 || p == F32 {
					v &= 0xFFFFFFFF
				}
				a = append(a, v)
			}
			calls = append(calls, a)
		}
		want := runAll(ctx, origMod, calls, sigs)
		for _, v := range []Version{FVM2, FVM3} {
			if ValidateFeatures(wasm, v) != nil {
				if v == FVM2 {
					if _, err := Instrument(wasm, Options{Version: v}); !isUnsupported(err) {
						t.Fatalf("FVM v2 accepted an FVM v3-only module: %v", err)
					}
					continue
				}
				t.Fatalf("FVM v3 rejects a generated module: %v", ValidateFeatures(wasm, v))
			}
			hook := len(data) > 0 && data[0]&1 == 1
			plain, err := Instrument(wasm, Options{Version: v, HookMemoryGrow: hook})
			if err != nil {
				t.Fatalf("%v: %v", v, err)
			}
			m, err := instantiateRaw(t, ctx, interp, plain)
			if err != nil {
				t.Fatalf("%v: instrumented module rejected by wazero: %v", v, err)
			}
			got := runAll(ctx, m, calls, sigs)
			for i := range want {
				if want[i].trap != got[i].trap || fmt.Sprint(want[i].res) != fmt.Sprint(got[i].res) {
					t.Fatalf("%v f%d: original %+v, instrumented %+v", v, i, want[i], got[i])
				}
				if got[i].gas <= 0 {
					t.Fatalf("%v f%d: consumed %d gas", v, i, got[i].gas)
				}
			}
			canon, err := Instrument(wasm, Options{Version: v, HookMemoryGrow: hook, CanonicalizeNaN: true})
			if err != nil {
				t.Fatalf("%v canon: %v", v, err)
			}
			var per [2][]outcome
			for k, rt := range []wazero.Runtime{interp, compiler} {
				m, err := instantiateRaw(t, ctx, rt, canon)
				if err != nil {
					t.Fatalf("%v canon: rejected by wazero: %v", v, err)
				}
				per[k] = runAll(ctx, m, calls, sigs)
			}
			if fmt.Sprint(per[0]) != fmt.Sprint(per[1]) {
				t.Fatalf("%v: interpreter %+v, compiler %+v", v, per[0], per[1])
			}
		}
	})
}

type outcome struct {
	res  []uint64
	trap bool
	gas  int64
}

var (
	fuzzRTOnce          sync.Once
	fuzzInterp, fuzzCmp wazero.Runtime
	fuzzRTErr           error
)

// fuzzRuntimes are shared by all fuzz executions of a process (a runtime
// per execution would dominate the run time); modules are closed after use.
func fuzzRuntimes(t *testing.T) (wazero.Runtime, wazero.Runtime) {
	fuzzRTOnce.Do(func() {
		if fuzzInterp, fuzzRTErr = newRuntime(wazero.NewRuntimeConfigInterpreter()); fuzzRTErr == nil {
			fuzzCmp, fuzzRTErr = newRuntime(wazero.NewRuntimeConfigCompiler())
		}
	})
	if fuzzRTErr != nil {
		t.Fatal(fuzzRTErr)
	}
	return fuzzInterp, fuzzCmp
}

func newRuntime(cfg wazero.RuntimeConfig) (wazero.Runtime, error) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, cfg.WithCoreFeatures(api.CoreFeaturesV2))
	_, err := rt.NewHostModuleBuilder(HookModule).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
			prev, ok := m.Memory().Grow(uint32(stack[0]))
			if !ok {
				stack[0] = 0xFFFFFFFF
				return
			}
			stack[0] = uint64(prev)
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export(HookName).Instantiate(ctx)
	return rt, err
}

func instantiateRaw(t *testing.T, ctx context.Context, rt wazero.Runtime, wasm []byte) (api.Module, error) {
	cm, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, err
	}
	m, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		cm.Close(ctx)
		return nil, err
	}
	t.Cleanup(func() { m.Close(ctx); cm.Close(ctx) })
	if g, ok := m.ExportedGlobal(GasExportName).(api.MutableGlobal); ok {
		g.Set(uint64(bigGas))
	}
	return m, nil
}

// runAll calls every export. 32-bit results are masked: wazero's compiler
// leaves garbage in the upper half of an i32/f32 result's uint64.
func runAll(ctx context.Context, m api.Module, calls [][]uint64, sigs []FuncType) []outcome {
	out := make([]outcome, len(calls))
	g, _ := m.ExportedGlobal(GasExportName).(api.MutableGlobal)
	for i, a := range calls {
		var before uint64
		if g != nil {
			before = g.Get()
		}
		res, err := m.ExportedFunction(fmt.Sprintf("f%d", i)).Call(ctx, a...)
		for k := range res {
			if t := sigs[i].Results[k]; t == I32 || t == F32 {
				res[k] &= 0xFFFFFFFF
			}
		}
		out[i] = outcome{res: res, trap: err != nil}
		var exit interface{ ExitCode() uint32 }
		if errors.As(err, &exit) {
			out[i].trap = true
		}
		if g != nil {
			out[i].gas = int64(before - g.Get())
		}
	}
	return out
}
