package instrument

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// tableModule is a module with one funcref table of 1 element (maximum 10)
// holding function 0, and the given functions after it; fns[i] is exported
// under names[i].
func tableModule(names []string, fns []tfn) []byte {
	m := &Module{}
	m.Types = []FuncType{{}}
	m.Funcs = []uint32{0}
	m.Code = [][]byte{EncodeBody(nil, &Body{Instrs: []Instr{op(OpEnd)}})}
	for i, f := range fns {
		m.Funcs = append(m.Funcs, typeIndex(m, FuncType{Params: f.params, Results: f.results}))
		m.Code = append(m.Code, EncodeBody(nil, &Body{Locals: f.locals, Instrs: append(append([]Instr{}, f.code...), op(OpEnd))}))
		m.Exports = append(m.Exports, Export{Name: names[i], Kind: KindFunc, Index: uint32(i + 1)})
	}
	m.Tables = [][]byte{{0x70, 0x01, 0x01, 0x0A}}
	m.Elems = []Elem{{Offset: []byte{0x41, 0x00, 0x0B}, Funcs: []uint32{0}}}
	m.present[secFunction], m.present[secCode] = true, true
	return m.Encode()
}

// fvm-gas.md §3.2 (the v3 rows) and fvm-gas-next.md §6.2: where reference
// types validate, table.size and table.get cost 4 gas, table.grow and
// table.fill Linear(4000 mg, 3200 mg per element), statically after an
// i32.const and dynamically otherwise. Gas by hand, thunks per §3.4
// (52 gas + 4 per parameter):
//
//	size:      thunk 52 + table.size 4                                 =  56
//	grow(n):   thunk 56 + i32.const, table.get, local.get 12 + base 4
//	           + 3.2·n                                                  =  72 + 3.2n
//	grow3:     thunk 52 + i32.const, table.get, i32.const 12
//	           + 4 + 3.2·3                                              =  77.6
//	fill(n):   thunk 56 + 2×i32.const, table.get, local.get 16 + 4
//	           + 3.2·n                                                  =  76 + 3.2n
func TestTableOpsPriced(t *testing.T) {
	wasm := tableModule([]string{"size", "grow", "grow3", "fill"}, []tfn{
		{results: []ValType{I32}, code: []Instr{op(OpTableSize)}},
		{params: []ValType{I32}, results: []ValType{I32}, code: []Instr{c32(0), op(OpTableGet), idx(OpLocalGet, 0), op(OpTableGrow)}},
		{results: []ValType{I32}, code: []Instr{c32(0), op(OpTableGet), c32(3), op(OpTableGrow)}},
		{params: []ValType{I32}, code: []Instr{c32(0), c32(0), op(OpTableGet), idx(OpLocalGet, 0), op(OpTableFill)}},
	})
	if _, err := Instrument(wasm, Options{Version: FVM2}); !isUnsupported(err) {
		t.Fatalf("FVM v2: err %v, want the table ops refused", err)
	}
	out := mustInstrument(t, wasm, Options{Version: FVM3, CanonicalizeNaN: true})
	for _, rt := range runtimes {
		inst := instantiate(t, rt.cfg(), out)
		for _, c := range []struct {
			name string
			arg  []uint64
			res  int32 // -1: no result checked
			gas  int64 // milligas
		}{
			{"size", nil, 1, 56000},
			{"grow", []uint64{2}, 1, 72000 + 6400},
			{"size", nil, 3, 56000},
			{"grow", []uint64{20}, -1, 72000 + 64000}, // past the maximum 10: −1, the charge stays
			{"grow3", nil, 3, 77600},
			{"fill", []uint64{6}, -2, 76000 + 19200},
		} {
			res, used, err := inst.call(t, c.name, c.arg...)
			if err != nil || used != c.gas {
				t.Errorf("%s %s%v: used %d mg (%v), want %d", rt.name, c.name, c.arg, used, err, c.gas)
				continue
			}
			if c.res != -2 && int32(res[0]) != c.res {
				t.Errorf("%s %s%v: result %d, want %d", rt.name, c.name, c.arg, int32(res[0]), c.res)
			}
		}
	}
	// fvm-gas.md §4 (v3 rows): table.grow pops 2 and pushes 1, table.fill
	// pops 3. Heights before each op: grow 2,3,3,4,(end)3 → 4; fill
	// 2,3,4,4,5 → 5.
	m, bodies, err := decodeAll(wasm, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	costs, err := StackCosts(m, bodies, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint32{2, 3, 4, 4, 5}; !reflect.DeepEqual(costs, want) {
		t.Errorf("stack costs %v, want %v", costs, want)
	}
}

// A funcref global initialised with ref.func and a funcref local validate
// under 0.4.0; the global's function is not redirected to a thunk (only
// exports, element items and the start function are, fvm-gas.md §3.4), so
// a call through it skips the stack limiter's check.
func TestFuncrefGlobalAndLocal(t *testing.T) {
	m := &Module{}
	m.Types = []FuncType{{Results: []ValType{I32}}}
	m.Funcs = []uint32{0, 0}
	m.Code = [][]byte{
		EncodeBody(nil, &Body{Instrs: []Instr{c32(5), op(OpEnd)}}),
		// local funcref; local.set (global.get 0); table.set 0 at 0 of the local; call_indirect 0
		EncodeBody(nil, &Body{Locals: []LocalGroup{{1, FuncRef}}, Instrs: []Instr{
			idx(OpGlobalGet, 0), idx(OpLocalSet, 0),
			c32(0), idx(OpLocalGet, 0), op(OpTableSet),
			c32(0), {Op: OpCallIndirect, X: 0}, op(OpEnd)}}),
	}
	m.Tables = [][]byte{{0x70, 0x00, 0x01}}
	m.Globals = []Global{{GlobalType{FuncRef, false}, []byte{0xD2, 0x00, 0x0B}}}
	m.Exports = []Export{{Name: "f", Kind: KindFunc, Index: 1}}
	m.present[secFunction], m.present[secCode] = true, true
	wasm := m.Encode()
	out := mustInstrument(t, wasm, Options{Version: FVM3})
	om, _, err := decodeAll(out, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	if g := om.Globals[0].Init; g[0] != 0xD2 || g[1] != 0x00 {
		t.Errorf("global init %x: ref.func 0 must stay", g)
	}
	// f: thunk 52 + global.get, local.set, i32.const, local.get, table.set,
	// i32.const, call_indirect 28; function 0 directly: i32.const 4.
	for _, rt := range runtimes {
		res, used, err := instantiate(t, rt.cfg(), out).call(t, "f")
		if err != nil || res[0] != 5 || used != 84000 {
			t.Errorf("%s: res %v used %d mg (%v), want 5 and 84000", rt.name, res, used, err)
		}
	}
}

// TableElementLimit (the FVM's 20,000-element pooled tables, fvm-gas-next.md
// §6.2) lowers the table maximum, so table.grow past it returns −1 as a
// refused growth does, and refuses a table whose minimum is larger.
func TestTableElementLimit(t *testing.T) {
	wasm := tableModule([]string{"grow"}, []tfn{
		{params: []ValType{I32}, results: []ValType{I32}, code: []Instr{c32(0), op(OpTableGet), idx(OpLocalGet, 0), op(OpTableGrow)}},
	}) // table: minimum 1, maximum 10
	out := mustInstrument(t, wasm, Options{Version: FVM3, TableElementLimit: 4})
	om, _, err := decodeAll(out, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	if l := om.TableLimits(0); l != (Limits{Min: 1, Max: 4, HasMax: true}) {
		t.Errorf("limits %+v, want 1..4", l)
	}
	for _, rt := range runtimes {
		inst := instantiate(t, rt.cfg(), out)
		for _, c := range []struct{ n, want int32 }{{3, 1}, {1, -1}, {0, 4}} {
			if res, _, err := inst.call(t, "grow", uint64(c.n)); err != nil || int32(res[0]) != c.want {
				t.Errorf("%s grow(%d) = %v (%v), want %d", rt.name, c.n, res, err, c.want)
			}
		}
	}
	if _, err := Instrument(wasm, Options{Version: FVM3, TableElementLimit: 20}); err != nil {
		t.Errorf("limit above the maximum: %v", err)
	}
	if _, err := Instrument(wasm, Options{Version: FVM3, TableElementLimit: 0}); err != nil {
		t.Errorf("no limit: %v", err)
	}
	big := &Module{Tables: [][]byte{appendLimits([]byte{0x70}, Limits{Min: 5})}}
	if _, err := Instrument(big.Encode(), Options{Version: FVM3, TableElementLimit: 4, NoStackLimiter: true}); !isUnsupported(err) {
		t.Errorf("minimum 5 with limit 4: err %v, want a refusal", err)
	}
}

// HookTableGrow: every table.grow first asks gofvm.table_growing(size,
// delta); a refusal makes it answer −1 without growing, as a refused
// growth does in FVM v3 and v4 (fvm-gas.md §4). The inserted code is
// unmetered: the gas is that of TestTableOpsPriced.
func TestHookTableGrow(t *testing.T) {
	wasm := tableModule([]string{"grow", "size"}, []tfn{
		{params: []ValType{I32}, results: []ValType{I32}, code: []Instr{c32(0), op(OpTableGet), idx(OpLocalGet, 0), op(OpTableGrow)}},
		{results: []ValType{I32}, code: []Instr{op(OpTableSize)}},
	})
	out := mustInstrument(t, wasm, Options{Version: FVM3, HookTableGrow: true})
	ctx := context.Background()
	for _, rt := range runtimes {
		r := wazero.NewRuntimeWithConfig(ctx, rt.cfg().WithCoreFeatures(api.CoreFeaturesV2))
		defer r.Close(ctx)
		var asked [][2]uint32
		_, err := r.NewHostModuleBuilder(HookModule).NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
				size, delta := uint32(stack[0]), uint32(stack[1])
				asked = append(asked, [2]uint32{size, delta})
				stack[0] = 0
				if size+delta <= 3 { // a budget of 3 elements
					stack[0] = 1
				}
			}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
			Export(TableHookName).Instantiate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mod, err := r.InstantiateWithConfig(ctx, out, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		g := mod.ExportedGlobal(GasExportName).(api.MutableGlobal)
		g.Set(uint64(bigGas))
		call := func(name string, args ...uint64) int32 {
			res, err := mod.ExportedFunction(name).Call(ctx, args...)
			if err != nil {
				t.Fatal(err)
			}
			return int32(res[0])
		}
		before := g.Get()
		got := []int32{call("grow", 2), call("grow", 1), call("size"), call("grow", 0)}
		if want := []int32{1, -1, 3, 3}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: grow 2, grow 1, size, grow 0 = %v, want %v", rt.name, got, want)
		}
		if want := [][2]uint32{{1, 2}, {3, 1}, {3, 0}}; fmt.Sprint(asked) != fmt.Sprint(want) {
			t.Errorf("%s: host asked %v, want %v", rt.name, asked, want)
		}
		// grow(2), grow(1), grow(0): 72 + 3.2·n each; size 56 (TestTableOpsPriced).
		if used := int64(before - g.Get()); used != 3*72000+3*3200+56000 {
			t.Errorf("%s: used %d mg, want %d", rt.name, used, 3*72000+3*3200+56000)
		}
	}
	imp := &Module{Types: []FuncType{{}}, Imports: []Import{{Module: HookModule, Name: "x", Kind: KindFunc}}}
	if _, err := Instrument(imp.Encode(), Options{Version: FVM3, HookTableGrow: true, NoStackLimiter: true}); !isUnsupported(err) {
		t.Errorf("a module importing from %q: err %v, want a refusal", HookModule, err)
	}
}
