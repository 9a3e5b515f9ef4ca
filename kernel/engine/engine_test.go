package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"github.com/tetratelabs/wazero"
	"sync"
	"testing"
	"time"
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

// Memories come back from the pool zeroed apart from the data segments.
func TestPooledMemoryIsFresh(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	actor := mustLoad(t, e, tm.actorRaw, NV18)
	fresh := func() [32]byte {
		in := mustInstantiate(t, e, actor, nil)
		defer in.Close(ctx)
		b, _ := in.Memory().Read(0, in.Memory().Size())
		return sha256.Sum256(b)
	}
	want := fresh()
	for i := 0; i < 5; i++ {
		in := mustInstantiate(t, e, actor, nil)
		in.GasGlobal().Set(1 << 40)
		if _, err := in.Invoke(ctx, uint32(i)); err != nil {
			t.Fatal(err)
		}
		// Dirty memory everywhere, grow it, dirty the growth.
		mem := in.Memory()
		for off := uint32(0); off < mem.Size(); off += 4093 {
			mem.WriteByte(off, 0xee)
		}
		if _, ok := mem.Grow(3); !ok {
			t.Fatal("grow")
		}
		mem.WriteByte(mem.Size()-1, 0xee)
		in.Close(ctx)
		if got := fresh(); got != want {
			t.Fatalf("round %d: recycled memory differs from a fresh one", i)
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
		if o := run(comp, tm.computeRaw, NV18, 1<<30, 5000); o.trap || o.gas >= 1<<30 {
			t.Errorf("compute: %+v, want a return and gas spent", o)
		}
		if o := run(comp, tm.computeRaw, NV17, 1000, 5000); !o.trap || o.gas >= 0 {
			t.Errorf("compute with 1000 milligas: %+v, want out of gas", o)
		}
		return
	}
	// Spot checks that the cases test something.
	if o := run(comp, tm.computeRaw, NV18, 20+60*100+30, 5000); !o.trap || o.gas >= 0 {
		t.Errorf("compute/oog: %+v, want a trap with a negative gas global", o)
	}
	if o := run(comp, tm.actorRaw, NV18, 105, 17); !o.trap || o.gas != 105-112 {
		t.Errorf("actor/oog-in-callee: %+v, want a trap with gas −7", o)
	}
}

func TestMemoryLimitNV18(t *testing.T) {
	if testing.Short() {
		t.Skip("short: grows memories to 512 MiB")
	}
	tm := newTestModules()
	ctx := context.Background()
	for _, interp := range []bool{false, true} {
		var opts []Option
		if interp {
			opts = append(opts, WithInterpreter())
		}
		e := newTestEngine(t, tm, opts...)
		m := mustLoad(t, e, tm.growRaw, NV18)
		in := mustInstantiate(t, e, m, NewMemoryBudget(NV18))
		in.GasGlobal().Set(1 << 40)
		// 17 + 8175 = 8192 pages = 512 MiB: allowed, returns the old size.
		if ret, err := in.Invoke(ctx, 8192-17); err != nil || ret != 17 {
			t.Fatalf("grow to 512 MiB = %d, %v; want 17", ret, err)
		}
		// One page more: refused with −1, no trap, gas still charged.
		before := in.GasGlobal().Get()
		if ret, err := in.Invoke(ctx, 1); err != nil || int32(ret) != -1 {
			t.Fatalf("grow past 512 MiB = %d, %v; want -1", int32(ret), err)
		}
		if got := in.GasGlobal().Get(); got != before-8 {
			t.Errorf("refused grow: gas %d → %d, want charged 8", before, got)
		}
		if in.Memory().Size() != MaxInstanceMemoryBytes {
			t.Errorf("size %d after refused grow", in.Memory().Size())
		}
		in.Close(ctx)
	}
}

func TestMemoryNoLimitNV17(t *testing.T) {
	if testing.Short() {
		t.Skip("short: grows memories to 512 MiB")
	}
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	m := mustLoad(t, e, tm.growRaw, NV17)
	in := mustInstantiate(t, e, m, NewMemoryBudget(NV17))
	defer in.Close(ctx)
	in.GasGlobal().Set(1 << 40)
	if ret, err := in.Invoke(ctx, 8192); err != nil || ret != 17 {
		t.Fatalf("nv17 grow beyond 512 MiB = %d, %v; want 17 (no FVM limit)", int32(ret), err)
	}
}

// Four instances of 512 MiB fill the 2 GiB call-stack budget exactly; a fifth
// cannot even be instantiated; closing one frees its share.
func TestCallStackBudgetNV18(t *testing.T) {
	if testing.Short() {
		t.Skip("short: grows memories to 512 MiB")
	}
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	m := mustLoad(t, e, tm.growRaw, NV18)
	budget := NewMemoryBudget(NV18)
	var stack []*Instance
	for i := 0; i < 4; i++ {
		in := mustInstantiate(t, e, m, budget)
		in.GasGlobal().Set(1 << 40)
		if ret, err := in.Invoke(ctx, 8192-17); err != nil || ret != 17 {
			t.Fatalf("frame %d: grow = %d, %v", i, int32(ret), err)
		}
		stack = append(stack, in)
	}
	if budget.Used() != MaxCallStackMemoryBytes {
		t.Fatalf("used %d, want %d", budget.Used(), MaxCallStackMemoryBytes)
	}
	if _, err := e.Instantiate(ctx, m, budget); !errors.Is(err, ErrResourceLimit) || IsFatalInstantiation(err) {
		t.Fatalf("fifth instance: %v, want ErrResourceLimit", err)
	}
	if budget.Used() != MaxCallStackMemoryBytes {
		t.Fatalf("failed instantiation left used = %d", budget.Used())
	}
	stack[3].Close(ctx)
	if budget.Used() != 3*MaxInstanceMemoryBytes {
		t.Fatalf("after close used %d", budget.Used())
	}
	in := mustInstantiate(t, e, m, budget)
	in.GasGlobal().Set(1 << 40)
	// Budget room is 512 MiB − 17 pages: 8175 more pages fit, 8176 do not.
	if ret, _ := in.Invoke(ctx, 8176); int32(ret) != -1 {
		t.Errorf("grow past the budget = %d, want -1", int32(ret))
	}
	if ret, _ := in.Invoke(ctx, 8175); ret != 17 {
		t.Errorf("grow to the budget = %d, want 17", ret)
	}
	in.Close(ctx)
	for i := 2; i >= 0; i-- {
		stack[i].Close(ctx)
	}
	if budget.Used() != 0 {
		t.Errorf("empty stack used %d", budget.Used())
	}
}

// A budget refusal is not the instance limit: with a small budget the grow
// fails long before 512 MiB, and tables count 8 bytes per element.
func TestBudgetCountsTablesAndGrowth(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	actor := mustLoad(t, e, tm.actorRaw, NV18)
	grow := mustLoad(t, e, tm.growRaw, NV18)
	const page = 65536
	budget := NewMemoryBudgetLimit(17*page + 300*8 + 17*page + 5*page)
	a := mustInstantiate(t, e, actor, budget)
	if budget.Used() != 17*page+300*8 {
		t.Fatalf("actor counted %d, want memory + 300 table elements × 8", budget.Used())
	}
	g := mustInstantiate(t, e, grow, budget)
	g.GasGlobal().Set(1 << 40)
	if ret, _ := g.Invoke(ctx, 6); int32(ret) != -1 {
		t.Errorf("grow 6 = %d, want -1", int32(ret))
	}
	if ret, _ := g.Invoke(ctx, 5); ret != 17 {
		t.Errorf("grow 5 = %d, want 17", ret)
	}
	if ret, _ := g.Invoke(ctx, 0); ret != 22 {
		t.Errorf("grow 0 = %d, want 22", ret)
	}
	g.Close(ctx)
	a.Close(ctx)
	if budget.Used() != 0 {
		t.Errorf("used %d after closing all", budget.Used())
	}
}

func TestAbortUnwinds(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	m := mustLoad(t, e, tm.abort, NV18)
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

// Each variant links against its own host modules.
func TestVariantRuntimesAreSeparate(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e, err := New(ctx, withInstrumenter(tm.instrumenter()),
		WithHostModules(func(ctx context.Context, r wazero.Runtime, v Variant) error {
			if v == NV18 {
				return testHostModules(ctx, r, v)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	m17 := mustLoad(t, e, tm.actorRaw, NV17)
	if _, err := e.Instantiate(ctx, m17, nil); !errors.Is(err, ErrLink) || !IsFatalInstantiation(err) {
		t.Errorf("nv17 without host modules: %v, want ErrLink", err)
	}
	m18 := mustLoad(t, e, tm.actorRaw, NV18)
	in := mustInstantiate(t, e, m18, nil)
	in.Close(ctx)
}

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
	if _, ok := e.Lookup(code, NV18); ok {
		t.Fatal("Lookup before Load")
	}
	var wg sync.WaitGroup
	mods := make([]*Module, 16)
	for i := range mods {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m, err := e.Load(ctx, code, tm.actorRaw, NV18)
			if err != nil {
				t.Error(err)
			}
			mods[i] = m
			in, err := e.Instantiate(ctx, m, NewMemoryBudget(NV18))
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
	if m, ok := e.Lookup(code, NV18); !ok || m != mods[0] {
		t.Error("Lookup after Load")
	}
	if _, ok := e.Lookup(code, NV17); ok {
		t.Error("Lookup of the other variant")
	}
	if got := e.Modules(); len(got) != 1 || got[0] != mods[0] {
		t.Errorf("Modules() = %v", got)
	}
}

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
		{"start trap", withStart(), NV18, ErrInstantiationTrap, false},
		{"start trap nv17", withStart(), NV17, ErrInstantiationTrap, true},
		{"data out of bounds", shape([2]int64{1, -1}, i32, i32, nil, []wData{{65530, make([]byte, 10)}}, false), NV18, ErrInstantiationTrap, false},
		{"unknown import", shape([2]int64{1, -1}, i32, i32, [][2]string{{"nope", "nope"}}, nil, false), NV18, ErrLink, true},
		{"unknown import name", shape([2]int64{1, -1}, i32, i32, [][2]string{{"debug", "nope"}}, nil, false), NV17, ErrLink, true},
		{"import type mismatch", shape([2]int64{1, -1}, i32, i32, [][2]string{{"vm", "exit"}}, nil, false), NV18, ErrLink, true},
		{"no memory", shape([2]int64{-1, -1}, i32, i32, nil, nil, false), NV18, ErrMissingExport, true},
		{"invoke no param", shape([2]int64{1, -1}, nil, i32, nil, nil, false), NV18, ErrMissingExport, true},
		{"invoke i64 result", shape([2]int64{1, -1}, i32, []byte{tI64}, nil, nil, false), NV18, ErrMissingExport, true},
		{"memory over 512 MiB", shape([2]int64{8193, -1}, i32, i32, nil, nil, false), NV18, ErrResourceLimit, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := e.Load(ctx, rawCid(t, c.wasm), c.wasm, c.v)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			in, err := e.Instantiate(ctx, m, NewMemoryBudget(c.v))
			if !errors.Is(err, c.want) {
				if in != nil {
					in.Close(ctx)
				}
				t.Fatalf("Instantiate: %v, want %v", err, c.want)
			}
			// nv17 (ref-fvm v2) treats every instantiation failure as fatal.
			if want := c.fatal || c.v == NV17; IsFatalInstantiation(err) != want {
				t.Errorf("fatal = %v, want %v", !want, want)
			}
		})
	}

	tableMod := shape([2]int64{3, -1}, i32, i32, nil, nil, true)
	m := mustLoad(t, e, tableMod, NV18)
	if n, ok := m.TableExport(); !ok || n != 7 {
		t.Errorf("TableExport = %d, %v; want 7, true", n, ok)
	}
	if m.MinMemoryBytes() != 3*65536 || !m.HasMemoryExport() {
		t.Errorf("MinMemoryBytes = %d", m.MinMemoryBytes())
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
	if _, err := e.Load(ctx, rawCid(t, bad[0]), bad[0], NV18); !errors.Is(err, ErrLoad) {
		t.Error("second Load of bad code")
	}
}

func TestVariantString(t *testing.T) {
	if NV17.String() != "nv17" || NV18.String() != "nv18" || Variant(9).String() != "Variant(9)" {
		t.Error("String")
	}
	if _, err := (&Engine{}).Load(context.Background(), rawCid(t, nil), nil, Variant(0)); err == nil {
		t.Error("Load with an unknown variant")
	}

}

// Prewarmed instances are used, and each one is as fresh as an inline
// instantiation: same memory, gas counter 0, same results.
func TestPrewarmedInstancesAreFresh(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm, WithPrewarm(2))
	cold := newTestEngine(t, tm, WithPrewarm(0))
	snapshot := func(e *Engine, p uint32) (uint64, [32]byte, uint32, uint64) {
		m := mustLoad(t, e, tm.actorRaw, NV18)
		in := mustInstantiate(t, e, m, NewMemoryBudget(NV18))
		defer in.Close(ctx)
		g0 := in.GasGlobal().Get()
		b, _ := in.Memory().Read(0, in.Memory().Size())
		h := sha256.Sum256(b)
		in.GasGlobal().Set(1 << 30)
		ret, err := in.Invoke(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		// Dirty the memory so that a recycled buffer would show it.
		in.Memory().WriteUint64Le(1<<20+8, ^uint64(0))
		return g0, h, ret, in.GasGlobal().Get()
	}
	wg0, wh, wret, wgas := snapshot(cold, 41)
	for i := 0; i < 50; i++ {
		g0, h, ret, gas := snapshot(e, 41)
		if g0 != wg0 || h != wh || ret != wret || gas != wgas {
			t.Fatalf("instance %d differs from a fresh one", i)
		}
		if i%5 == 0 {
			time.Sleep(5 * time.Millisecond) // let the prewarmer catch up
		}
	}
	if e.prewarmHits.Load() == 0 {
		t.Error("no prewarmed instance was used")
	}
	if cold.prewarmHits.Load() != 0 {
		t.Error("WithPrewarm(0) prewarmed")
	}
}

func TestInvokeAfterClose(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	in := mustInstantiate(t, e, mustLoad(t, e, tm.growRaw, NV18), nil)
	in.Close(ctx)
	in.Close(ctx) // idempotent
	if _, err := in.Invoke(ctx, 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("Invoke after Close: %v", err)
	}
}

// A Load whose context is cancelled is not cached: the next Load compiles.
func TestLoadCancelledIsRetried(t *testing.T) {
	tm := newTestModules()
	e := newTestEngine(t, tm)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code := rawCid(t, tm.computeRaw)
	if _, err := e.Load(ctx, code, tm.computeRaw, NV18); err == nil {
		t.Skip("wazero compiled despite the cancelled context")
	}
	if _, err := e.Load(context.Background(), code, tm.computeRaw, NV18); err != nil {
		t.Fatalf("Load after a cancelled Load: %v", err)
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
		{"table.get", module(nil, nil, i32c(0), []byte{0x25, 0}, op(opDrop)), false, false},
		{"ref.func", module(nil, nil, []byte{0xd2, 0}, op(opDrop)), false, false},
		{"SIMD", module(nil, nil, []byte{0xfd, 0x0c}, make([]byte, 16), op(opDrop)), false, false},
	}
	for _, c := range cases {
		for _, v := range Variants {
			want := c.nv17
			if v == NV18 {
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
