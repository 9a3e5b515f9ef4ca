package instrument

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// tfn is one function of a test module.
type tfn struct {
	params, results []ValType
	locals          []LocalGroup
	code            []Instr // without the final end
	brTables        [][]uint32
	export          string
}

// tmod builds a test module with the package's own encoder.
type tmod struct {
	imports []Import
	memory  bool // one memory, 1 page, exported as "memory"
	fns     []tfn
}

func (tm tmod) bytes() []byte {
	m := &Module{}
	typeOf := func(p, r []ValType) uint32 { return typeIndex(m, FuncType{Params: p, Results: r}) }
	for _, im := range tm.imports {
		m.Imports = append(m.Imports, im)
	}
	ni := m.NumImported(KindFunc)
	if tm.memory {
		m.Mems = append(m.Mems, []byte{0x00, 0x01})
		m.Exports = append(m.Exports, Export{Name: "memory", Kind: KindMemory})
	}
	for i, f := range tm.fns {
		m.Funcs = append(m.Funcs, typeOf(f.params, f.results))
		b := &Body{Locals: f.locals, Instrs: append(append([]Instr{}, f.code...), iOp(OpEnd)), BrTables: f.brTables}
		m.Code = append(m.Code, EncodeBody(nil, b))
		if f.export != "" {
			m.Exports = append(m.Exports, Export{Name: f.export, Kind: KindFunc, Index: ni + uint32(i)})
		}
	}
	m.present[secFunction], m.present[secCode] = true, true
	return m.Encode()
}

// Instruction shorthands for tests.
func c32(v int32) Instr          { return iConst32(v) }
func c64(v int64) Instr          { return iConst64(v) }
func op(o Op) Instr              { return iOp(o) }
func idx(o Op, x uint32) Instr   { return iIdx(o, x) }
func blk(o Op) Instr             { return Instr{Op: o, X: BlockEmpty} }
func blkT(o Op, t ValType) Instr { return Instr{Op: o, X: uint32(t)} }

var runtimes = []struct {
	name string
	cfg  func() wazero.RuntimeConfig
}{
	{"interpreter", wazero.NewRuntimeConfigInterpreter},
	{"compiler", wazero.NewRuntimeConfigCompiler},
}

// instance is an instantiated instrumented module with its gas global.
type instance struct {
	mod api.Module
	gas api.MutableGlobal
	rt  wazero.Runtime
}

const bigGas = int64(1) << 60

func instantiate(t testing.TB, cfg wazero.RuntimeConfig, wasm []byte) *instance {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, cfg.WithCoreFeatures(api.CoreFeaturesV2))
	t.Cleanup(func() { rt.Close(ctx) })
	_, err := rt.NewHostModuleBuilder(HookModule).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
			prev, ok := m.Memory().Grow(uint32(stack[0]))
			if !ok {
				stack[0] = uint64(0xFFFFFFFF)
				return
			}
			stack[0] = uint64(prev)
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export(HookName).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	g, ok := mod.ExportedGlobal(GasExportName).(api.MutableGlobal)
	if !ok {
		t.Fatal("no mutable gas_counter export")
	}
	g.Set(uint64(bigGas))
	return &instance{mod: mod, gas: g, rt: rt}
}

// call runs an export and returns its results, the milligas it consumed
// and the trap, if any.
func (in *instance) call(t testing.TB, name string, args ...uint64) ([]uint64, int64, error) {
	t.Helper()
	before := int64(in.gas.Get())
	f := in.mod.ExportedFunction(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	res, err := f.Call(context.Background(), args...)
	return res, before - int64(in.gas.Get()), err
}

func mustInstrument(t testing.TB, wasm []byte, o Options) []byte {
	t.Helper()
	out, err := Instrument(wasm, o)
	if err != nil {
		t.Fatalf("instrument: %v", err)
	}
	return out
}

func isUnsupported(err error) bool { return errors.Is(err, ErrUnsupported) }
