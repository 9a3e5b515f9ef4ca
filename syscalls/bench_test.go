package syscalls

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel/gas"
)

// BenchmarkSyscall measures the wasm → host → wasm round trip of a no-op
// syscall (debug.enabled) and of a 1 KiB block_read, both engines and ABIs.
// The loop runs inside wasm (loop_* exports), so one op is one syscall.
func BenchmarkSyscall(b *testing.B) {
	block := make([]byte, 1024)
	for engine, e := range engines {
		for _, nv := range networkVersions {
			for _, c := range []struct {
				name string
				fn   string
				args func(n int) []uint64
			}{
				{"debug.enabled", "loop_enabled", func(n int) []uint64 { return []uint64{uint64(n), R} }},
				{"block_read_1KiB", "loop_block_read", func(n int) []uint64 { return []uint64{uint64(n), R, 1, 0, O, 1024} }},
			} {
				b.Run(fmt.Sprintf("%s/nv%d/%s", e.name, nv, c.name), func(b *testing.B) {
					h := newHarness(b, engine, nv)
					h.k.noCalls, h.k.block = true, block
					h.k.tracker = gas.NewTracker(math.MaxInt64)
					f := h.mod.ExportedFunction(c.fn)
					b.ReportAllocs()
					b.ResetTimer()
					out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
						_, err := f.Call(ctx, c.args(b.N)...)
						return 0, err
					}, 0)
					b.StopTimer()
					if out.Kind != Returned {
						b.Fatalf("%v %v", out.Kind, out.Err)
					}
				})
			}
		}
	}
}

// BenchmarkInvoke is one whole Invoke with a single debug.enabled call: the
// per-invocation cost of the binding layer (context value, gas sync).
func BenchmarkInvoke(b *testing.B) {
	for engine, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			h := newHarness(b, engine, network.Version18)
			h.k.tracker = gas.NewTracker(math.MaxInt64)
			f := h.mod.ExportedFunction("loop_enabled")
			call := func(ctx context.Context, _ uint32) (uint32, error) {
				_, err := f.Call(ctx, 1, R)
				return 0, err
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if out := Invoke(h.ctx, h.k, h.mem, h.g, call, 0); out.Kind != Returned {
					b.Fatal(out.Kind)
				}
			}
		})
	}
}
