package engine

import (
	"context"
	"errors"
	"testing"
)

// A module whose invoke(n) grows its table (1 element, maximum 100) by n
// copies of element 0 and returns table.grow's answer.
func tableGrowModule() []byte {
	b := &wasmBuilder{}
	seven := b.fn(nil, []byte{tI32}, nil, i32c(7))
	inv := b.fn([]byte{tI32}, []byte{tI32}, nil,
		i32c(0), []byte{0x25, 0x00}, // table.get 0
		op(opLocalGet, 0), []byte{0xfc, 0x0f, 0x00}) // table.grow 0
	b.table = &[2]uint32{1, 100}
	b.elem = []uint32{seven}
	b.memory = &[2]int64{1, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, inv)
	return b.bytes()
}

// FVM v3 and v4 count table growth at 8 bytes per element against the call
// stack's memory and refuse growth past it or past the table's maximum with
// −1 (fvm-gas.md §4, fvm-gas-next.md §6.2); closing the instance gives the
// memory back. A budget with room for the initial memory (1 page), the
// initial element and 10 more: growing by 10 fits, by 1 more does not.
func TestTableGrowthBudget(t *testing.T) {
	wasm := tableGrowModule()
	ctx := context.Background()
	for _, interp := range []bool{false, true} {
		opts := []Option{WithHostModules(testHostModules)}
		if interp {
			opts = append(opts, WithInterpreter())
		}
		e, err := New(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Load(ctx, rawCid(t, wasm), wasm, V2); !errors.Is(err, ErrLoad) {
			t.Errorf("V2 loads table.grow: %v", err)
		}
		for _, v := range []Variant{V3, V4} {
			m := mustLoad(t, e, wasm, v)
			const initial = 65536 + 1*TableElementBytes
			budget := NewMemoryBudgetLimit(initial + 10*TableElementBytes)
			in := mustInstantiate(t, e, m, budget)
			in.GasGlobal().Set(1 << 40)
			for _, c := range []struct {
				n    uint32
				want int32
				used uint64
			}{
				{0, 1, initial},                           // growth by 0: the size, nothing counted
				{10, 1, initial + 10*TableElementBytes},   // fits exactly
				{1, -1, initial + 10*TableElementBytes},   // over the budget
				{200, -1, initial + 10*TableElementBytes}, // over the maximum
			} {
				ret, err := in.Invoke(ctx, c.n)
				if err != nil || int32(ret) != c.want || budget.Used() != c.used {
					t.Errorf("interp=%v %s grow(%d) = %d, %v, budget %d; want %d, budget %d",
						interp, v, c.n, int32(ret), err, budget.Used(), c.want, c.used)
				}
			}
			in.Close(ctx)
			if budget.Used() != 0 {
				t.Errorf("%s: %d bytes still counted after Close", v, budget.Used())
			}
			// Without a memory limit the table's maximum still holds.
			in = mustInstantiate(t, e, m, NewMemoryBudgetLimit(0))
			in.GasGlobal().Set(1 << 40)
			if ret, _ := in.Invoke(ctx, 99); ret != 1 {
				t.Errorf("%s: grow to the maximum = %d", v, int32(ret))
			}
			if ret, _ := in.Invoke(ctx, 1); int32(ret) != -1 {
				t.Errorf("%s: grow past the maximum = %d", v, int32(ret))
			}
			in.Close(ctx)
		}
		_ = e.Close(ctx)
	}
}

// An actor may not import from the engine's own hook module: the FVM links
// no such module.
func TestHookModuleNotImportable(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, WithHostModules(testHostModules), WithInterpreter())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	b := &wasmBuilder{}
	b.importFunc("gofvm", "table_growing", []byte{tI32, tI32}, []byte{tI32})
	inv := b.fn([]byte{tI32}, []byte{tI32}, nil, op(opLocalGet, 0))
	b.memory = &[2]int64{1, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, inv)
	wasm := b.bytes()
	for _, v := range Variants {
		m, err := e.Load(ctx, rawCid(t, wasm), wasm, v)
		if err == nil {
			_, err = e.Instantiate(ctx, m, NewMemoryBudget(v))
		}
		if err == nil || !IsFatalInstantiation(err) && !errors.Is(err, ErrLoad) {
			t.Errorf("%s: %v, want a load or link failure", v, err)
		}
	}
}
