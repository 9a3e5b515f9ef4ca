package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"
)

// Memories come back from the pool zeroed apart from the data segments.
func TestPooledMemoryIsFresh(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm)
	actor := mustLoad(t, e, tm.actorRaw, V3)
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
		m := mustLoad(t, e, tm.growRaw, V3)
		in := mustInstantiate(t, e, m, NewMemoryBudget(V3))
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
	m := mustLoad(t, e, tm.growRaw, V2)
	in := mustInstantiate(t, e, m, NewMemoryBudget(V2))
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
	m := mustLoad(t, e, tm.growRaw, V3)
	budget := NewMemoryBudget(V3)
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
	actor := mustLoad(t, e, tm.actorRaw, V3)
	grow := mustLoad(t, e, tm.growRaw, V3)
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

// Prewarmed instances are used, and each one is as fresh as an inline
// instantiation: same memory, gas counter 0, same results.
func TestPrewarmedInstancesAreFresh(t *testing.T) {
	tm := newTestModules()
	ctx := context.Background()
	e := newTestEngine(t, tm, WithPrewarm(2))
	cold := newTestEngine(t, tm, WithPrewarm(0))
	snapshot := func(e *Engine, p uint32) (uint64, [32]byte, uint32, uint64) {
		m := mustLoad(t, e, tm.actorRaw, V3)
		in := mustInstantiate(t, e, m, NewMemoryBudget(V3))
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
