package engine

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. The benchmarks report
// instances per CPU-second beside the wall-clock rate, because this machine
// is shared and wall time swings with the load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInstantiateInvoke is the per-actor-call hot path (design.md
// "Speed"): a fresh instance of an actor-shaped module (17 pages, 60 KB data,
// 300-entry table), gas set, invoke up to and through its first syscall,
// close. Targets: ≥ 20,000 instances/s on 2 cores, ≤ 50 KB allocated each.
func BenchmarkInstantiateInvoke(b *testing.B) {
	for _, bc := range []struct {
		name    string
		interp  bool
		prewarm int
	}{
		{"compiler", false, 1},
		{"compiler/no-prewarm", false, 0},
		{"interpreter/no-prewarm", true, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tm := newTestModules()
			opts := []Option{WithPrewarm(bc.prewarm)}
			if bc.interp {
				opts = append(opts, WithInterpreter())
			}
			e := newTestEngine(b, tm, opts...)
			ctx := context.Background()
			m := mustLoad(b, e, tm.actorRaw, V3)
			budget := NewMemoryBudget(V3)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				in, err := e.Instantiate(ctx, m, budget)
				if err != nil {
					b.Fatal(err)
				}
				in.GasGlobal().Set(1 << 40)
				if _, err := in.Invoke(ctx, uint32(i)); err != nil {
					b.Fatal(err)
				}
				in.Close(ctx)
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instances/s")
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "instances/cpu-s")
		})
	}
}

// BenchmarkInstantiateInvokeParallel is the same on every core (concurrent
// messages share the engine).
func BenchmarkInstantiateInvokeParallel(b *testing.B) {
	tm := newTestModules()
	e := newTestEngine(b, tm)
	ctx := context.Background()
	m := mustLoad(b, e, tm.actorRaw, V3)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		budget := NewMemoryBudget(V3)
		for pb.Next() {
			in, err := e.Instantiate(ctx, m, budget)
			if err != nil {
				b.Error(err)
				return
			}
			in.GasGlobal().Set(1 << 40)
			if _, err := in.Invoke(ctx, 3); err != nil {
				b.Error(err)
			}
			in.Close(ctx)
		}
	})
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instances/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "instances/cpu-s")
}
