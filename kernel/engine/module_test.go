package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestLoadCachesOnce(t *testing.T) {
	tm := newTestModules()
	calls := 0
	var mu sync.Mutex
	inner := tm.instrumenter()
	e := newTestEngine(t, tm, withInstrumenter(func(w []byte, v Variant) ([]byte, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		return inner(w, v)
	}))
	code := rawCid(t, tm.actorRaw)
	ctx := context.Background()
	if _, ok := e.Lookup(code, V3); ok {
		t.Fatal("Lookup before Load")
	}
	var wg sync.WaitGroup
	mods := make([]*Module, 16)
	for i := range mods {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m, err := e.Load(ctx, code, tm.actorRaw, V3)
			if err != nil {
				t.Error(err)
			}
			mods[i] = m
			in, err := e.Instantiate(ctx, m, NewMemoryBudget(V3))
			if err != nil {
				t.Error(err)
				return
			}
			in.GasGlobal().Set(1 << 30)
			if ret, err := in.Invoke(ctx, uint32(i)); err != nil || ret != uint32(2*i+2) {
				t.Errorf("invoke(%d) = %d, %v", i, ret, err)
			}
			in.Close(ctx)
		}(i)
	}
	wg.Wait()
	for _, m := range mods {
		if m != mods[0] {
			t.Fatal("Load returned different modules for one key")
		}
	}
	if calls != 1 {
		t.Errorf("instrumented %d times, want 1", calls)
	}
	if m, ok := e.Lookup(code, V3); !ok || m != mods[0] {
		t.Error("Lookup after Load")
	}
	if _, ok := e.Lookup(code, V2); ok {
		t.Error("Lookup of the other variant")
	}
	if got := e.Modules(); len(got) != 1 || got[0] != mods[0] {
		t.Errorf("Modules() = %v", got)
	}
}

// A Load whose context is cancelled is not cached: the next Load compiles.
func TestLoadCancelledIsRetried(t *testing.T) {
	tm := newTestModules()
	e := newTestEngine(t, tm)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code := rawCid(t, tm.computeRaw)
	if _, err := e.Load(ctx, code, tm.computeRaw, V3); err == nil {
		t.Skip("wazero compiled despite the cancelled context")
	}
	if _, err := e.Load(context.Background(), code, tm.computeRaw, V3); err != nil {
		t.Fatalf("Load after a cancelled Load: %v", err)
	}
}

func TestBadWasmIsAnError(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	good := tm.actor
	bad := [][]byte{
		nil,
		[]byte("\x00asm"),
		[]byte("\x00asm\x01\x00\x00\x00\x01\xff"),
		good[:len(good)/2],
		append(append([]byte{}, good[:8]...), 0x01, 0x80, 0x80, 0x80, 0x80, 0x10),
	}
	// Every truncation of a small module: an error (or, cut at a section
	// boundary, a valid module), never a panic.
	small := growShape(true)
	for i := 0; i < len(small); i++ {
		for _, v := range Variants {
			if _, err := e.Load(ctx, rawCid(t, small[:i]), small[:i], v); err != nil && !errors.Is(err, ErrLoad) {
				t.Errorf("truncated at %d: %v does not wrap ErrLoad", i, err)
			}
		}
	}
	for i, w := range bad {
		for _, v := range Variants {
			m, err := e.Load(ctx, rawCid(t, w), w, v)
			if err == nil {
				t.Errorf("case %d (%d bytes) %s: loaded %v", i, len(w), v, m != nil)
				continue
			}
			if !errors.Is(err, ErrLoad) {
				t.Errorf("case %d: %v does not wrap ErrLoad", i, err)
			}
		}
	}
	// The failure is cached.
	if _, err := e.Load(ctx, rawCid(t, bad[0]), bad[0], V3); !errors.Is(err, ErrLoad) {
		t.Error("second Load of bad code")
	}
}

// Features outside the FVM's set are rejected at load, by the instrumenter
// or by wazero (fvm-gas.md §4), per variant.
func TestFeatureRejection(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx) // the real instrumenter
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	module := func(params, results []byte, body ...[]byte) []byte {
		b := &wasmBuilder{}
		b.fn(params, results, nil, body...)
		inv := b.fn([]byte{tI32}, []byte{tI32}, nil, op(opLocalGet, 0))
		b.table = &[2]uint32{1, 1}
		b.memory = &[2]int64{1, -1}
		b.export("memory", 2, 0)
		b.export("invoke", 0, inv)
		return b.bytes()
	}
	cases := []struct {
		name       string
		wasm       []byte
		nv17, nv18 bool // loads?
	}{
		{"plain", module([]byte{tI32}, []byte{tI32}, op(opLocalGet, 0)), true, true},
		{"sign extension", module([]byte{tI32}, []byte{tI32}, op(opLocalGet, 0), []byte{0xc0}), false, true},
		{"saturating truncation", module(nil, []byte{tI32}, []byte{opF64Const}, f64le(1.5), []byte{0xfc, 0x03}), false, true},
		{"multi-value result", module(nil, []byte{tI32, tI32}, i32c(1), i32c(2)), false, false},
		// Reference types validate in 3.14.1 and 4.8.2 (fvm-gas-next.md
		// §6.2); ref.* stays refused by the 0.4.0 stack limiter.
		{"table.get", module(nil, nil, i32c(0), []byte{0x25, 0}, op(opDrop)), false, true},
		{"ref.func", module(nil, nil, []byte{0xd2, 0}, op(opDrop)), false, false},
		{"SIMD", module(nil, nil, []byte{0xfd, 0x0c}, make([]byte, 16), op(opDrop)), false, false},
	}
	for _, c := range cases {
		for _, v := range Variants {
			want := c.nv17
			if v != V2 {
				want = c.nv18
			}
			_, err := e.Load(ctx, rawCid(t, c.wasm), c.wasm, v)
			if (err == nil) != want {
				t.Errorf("%s %s: Load err = %v, want loads=%v", c.name, v, err, want)
			}
			if err != nil && !errors.Is(err, ErrLoad) {
				t.Errorf("%s %s: %v does not wrap ErrLoad", c.name, v, err)
			}
		}
	}
}

func TestLoadAll(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	wasms := [][]byte{tm.actorRaw, tm.computeRaw, tm.growRaw, tm.abort}
	var codes []Code
	for _, w := range wasms {
		codes = append(codes, Code{rawCid(t, w), w})
	}
	mods, err := e.LoadAll(ctx, codes, V2)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range mods {
		if m.Code() != codes[i].CID || m.Variant() != V2 || m.WasmSize() != len(wasms[i]) {
			t.Errorf("module %d: %s %s %d", i, m.Code(), m.Variant(), m.WasmSize())
		}
	}
	bad := append(codes, Code{rawCid(t, []byte("junk")), []byte("junk")})
	if mods, err := e.LoadAll(ctx, bad, V3); !errors.Is(err, ErrLoad) || mods[0] == nil || mods[4] != nil {
		t.Errorf("LoadAll with bad code: %v", err)
	}
}
