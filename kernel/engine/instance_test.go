package engine

import (
	"context"
	"errors"
	"testing"
)

func TestInstantiationErrors(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)

	withStart := func() []byte {
		b := &wasmBuilder{}
		s := b.fn(nil, nil, nil, op(opUnreachable))
		inv := b.fn([]byte{tI32}, []byte{tI32}, nil, op(opLocalGet, 0))
		b.start = &s
		b.memory = &[2]int64{1, -1}
		b.export("memory", 2, 0)
		b.export("invoke", 0, inv)
		return b.bytes()
	}
	noInvoke := func(trappingStart bool) []byte {
		b := &wasmBuilder{}
		f := b.fn(nil, nil, nil)
		if trappingStart {
			f = b.fn(nil, nil, nil, op(opUnreachable))
			b.start = &f
		}
		b.memory = &[2]int64{2, -1}
		b.export("memory", 2, 0)
		b.export("invoke_", 0, f)
		return b.bytes()
	}
	shape := func(mem [2]int64, invokeParams, invokeResults []byte, imports [][2]string, data []wData, exportTable bool) []byte {
		b := &wasmBuilder{}
		for _, im := range imports {
			b.importFunc(im[0], im[1], nil, []byte{tI32})
		}
		var body [][]byte
		for range invokeParams {
			body = append(body, op(opDrop))
		}
		body = append([][]byte{op(opLocalGet, 0)}, body...)
		if len(invokeParams) == 0 {
			body = nil
		}
		for _, r := range invokeResults {
			if r == tI32 {
				body = append(body, i32c(0))
			} else {
				body = append(body, i64c(0))
			}
		}
		inv := b.fn(invokeParams, invokeResults, nil, body...)
		if mem[0] >= 0 {
			b.memory = &mem
			b.export("memory", 2, 0)
		}
		if exportTable {
			b.table = &[2]uint32{7, 9}
			b.elem = []uint32{inv}
			b.export("table", 1, 0)
		}
		b.data = data
		b.export("invoke", 0, inv)
		return b.bytes()
	}
	i32 := []byte{tI32}
	cases := []struct {
		name  string
		wasm  []byte
		v     Variant
		want  error
		fatal bool
	}{
		{"start trap", withStart(), V3, ErrInstantiationTrap, false},
		{"start trap nv17", withStart(), V2, ErrInstantiationTrap, true},
		{"data out of bounds", shape([2]int64{1, -1}, i32, i32, nil, []wData{{65530, make([]byte, 10)}}, false), V3, ErrInstantiationTrap, false},
		{"unknown import", shape([2]int64{1, -1}, i32, i32, [][2]string{{"nope", "nope"}}, nil, false), V3, ErrLink, true},
		{"unknown import name", shape([2]int64{1, -1}, i32, i32, [][2]string{{"debug", "nope"}}, nil, false), V2, ErrLink, true},
		{"import type mismatch", shape([2]int64{1, -1}, i32, i32, [][2]string{{"vm", "exit"}}, nil, false), V3, ErrLink, true},
		{"no memory", shape([2]int64{-1, -1}, i32, i32, nil, nil, false), V3, ErrMissingExport, true},
		{"invoke no param", shape([2]int64{1, -1}, nil, i32, nil, nil, false), V3, ErrMissingExport, true},
		{"invoke i64 result", shape([2]int64{1, -1}, i32, []byte{tI64}, nil, nil, false), V3, ErrMissingExport, true},
		// fvm-abi-next.md §1.2: no invoke function at all is its own
		// condition, so that the kernel can make it an exit from v4.1.
		{"no invoke", noInvoke(false), V4, ErrNoEntryPoint, true},
		{"no invoke nv17", noInvoke(false), V2, ErrNoEntryPoint, true},
		// The entry point is looked up in the live instance: a start
		// function that traps comes first.
		{"no invoke, start trap", noInvoke(true), V4, ErrInstantiationTrap, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := e.Load(ctx, rawCid(t, c.wasm), c.wasm, c.v)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			budget := NewMemoryBudget(c.v)
			in, err := e.Instantiate(ctx, m, budget)
			if budget.Used() != 0 {
				t.Errorf("a failed instantiation left %d bytes counted", budget.Used())
			}
			if !errors.Is(err, c.want) {
				if in != nil {
					in.Close(ctx)
				}
				t.Fatalf("Instantiate: %v, want %v", err, c.want)
			}
			// nv17 (ref-fvm v2) treats every instantiation failure as fatal.
			if want := c.fatal || c.v == V2; IsFatalInstantiation(err) != want {
				t.Errorf("fatal = %v, want %v", !want, want)
			}
		})
	}

	// The pooled instance of 3.14.1 and 4.8.2 holds 512 MiB of memory and
	// 20,000 table elements (fvm-gas-next.md §6.2); wasmtime refuses a
	// module whose minimums exceed them when it compiles it, so it fails to
	// load (fatal) rather than to instantiate.
	overMemory := shape([2]int64{8193, -1}, i32, i32, nil, nil, false)
	bigTable := func(min uint32) []byte {
		b := &wasmBuilder{}
		inv := b.fn([]byte{tI32}, []byte{tI32}, nil, op(opLocalGet, 0))
		b.table = &[2]uint32{min, min}
		b.memory = &[2]int64{1, -1}
		b.export("memory", 2, 0)
		b.export("invoke", 0, inv)
		return b.bytes()
	}
	for _, v := range []Variant{V3, V4} {
		for name, wasm := range map[string][]byte{"memory 8193 pages": overMemory, "table 20,001 elements": bigTable(20_001)} {
			if _, err := e.Load(ctx, rawCid(t, wasm), wasm, v); !errors.Is(err, ErrLoad) {
				t.Errorf("%s %s: Load err %v, want ErrLoad", name, v, err)
			}
		}
		mustLoad(t, e, bigTable(20_000), v)
	}
	mustLoad(t, e, bigTable(20_001), V2) // FVM v2 has no pooled tables

	tableMod := shape([2]int64{3, -1}, i32, i32, nil, nil, true)
	m := mustLoad(t, e, tableMod, V3)
	if n, ok := m.TableExport(); !ok || n != 7 {
		t.Errorf("TableExport = %d, %v; want 7, true", n, ok)
	}
	if m.MinMemoryBytes() != 3*65536 || !m.HasMemoryExport() {
		t.Errorf("MinMemoryBytes = %d", m.MinMemoryBytes())
	}
}

func TestAbortUnwinds(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	m := mustLoad(t, e, tm.abort, V3)
	in := mustInstantiate(t, e, m, nil)
	defer in.Close(ctx)
	if in.GasGlobal() != nil {
		t.Error("uninstrumented module has a gas global")
	}
	_, err := in.Invoke(ctx, 7)
	if !errors.Is(err, errAbort) {
		t.Fatalf("err = %v, want the host's panic value", err)
	}
}

func TestInvokeAfterClose(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	in := mustInstantiate(t, e, mustLoad(t, e, tm.growRaw, V3), nil)
	in.Close(ctx)
	in.Close(ctx) // idempotent
	if _, err := in.Invoke(ctx, 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("Invoke after Close: %v", err)
	}
}

func TestEngineClosed(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	m := mustLoad(t, e, tm.growRaw, V3)
	in := mustInstantiate(t, e, m, nil) // starts the prewarmer
	in.Close(ctx)
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Instantiate(ctx, m, nil); !errors.Is(err, ErrClosed) || !IsFatalInstantiation(err) {
		t.Errorf("Instantiate after Close: %v", err)
	}
	if _, err := e.Load(ctx, rawCid(t, tm.actorRaw), tm.actorRaw, V3); !errors.Is(err, ErrClosed) {
		t.Errorf("Load after Close: %v", err)
	}
}

// Host modules export only functions, so any other import fails to link,
// like the reference's unresolvable `gas.foo` global (fvm-gas.md §4).
func TestGlobalImportIsLinkError(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	w := append([]byte("\x00asm\x01\x00\x00\x00"), 2, 10, 1, 1, 'g', 3, 'c', 'n', 't', 3, tI64, 1)
	m := mustLoad(t, e, w, V3)
	if _, err := e.Instantiate(ctx, m, nil); !errors.Is(err, ErrLink) || !IsFatalInstantiation(err) {
		t.Fatalf("Instantiate: %v, want ErrLink", err)
	}
}
