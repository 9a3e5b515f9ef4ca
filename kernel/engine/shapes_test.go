package engine

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Test modules come in two forms: raw, as an actor would ship, and
// hand-instrumented in the GasExport shape (a mutable i64 global exported as
// `gas_counter`, a gas function that subtracts and traps below zero, a charge
// at each block entry). The fake instrumenter maps the first to the second,
// so the tests do not depend on the instrumenter's exact prices.

// gasKit adds the gas global and function to b (when on) and returns a
// charge emitter. Call before adding other functions.
func gasKit(b *wasmBuilder, on bool) func(cost int64) []byte {
	if !on {
		return func(int64) []byte { return nil }
	}
	g := b.global(tI64, true, i64c(0))
	b.export("gas_counter", 3, g)
	fn := b.fn([]byte{tI64}, nil, nil,
		op(opGlobalGet, g), op(opLocalGet, 0), op(opI64Sub), op(opGlobalSet, g),
		op(opGlobalGet, g), i64c(0), op(opI64LtS), op(opIf, 0x40), op(opUnreachable), op(opEnd))
	return func(cost int64) []byte { return cat(i64c(cost), op(opCall, fn)) }
}

// actorShape is a module shaped like a builtin actor (conformance.md §3.1):
// 17 pages, a ~60 KB data segment at 1 MiB (above the Rust stack), a funcref
// table of tableSize entries filled by one element segment, the stack-pointer
// global and the two exported immutable globals, exports `memory`, `invoke`
// and `__indirect_function_table`. invoke(p) makes one syscall
// (debug.enabled) and returns table[p mod tableSize](p) = p + (p mod
// tableSize) + enabled().
func actorShape(instrumented bool, tableSize int) []byte {
	b := &wasmBuilder{}
	enabled := b.importFunc("debug", "enabled", nil, []byte{tI32})
	sp := b.global(tI32, true, i32c(1<<20))
	dataEnd := b.global(tI32, false, i32c(1<<20+60000))
	heapBase := b.global(tI32, false, i32c(1<<20+60016))
	charge := gasKit(b, instrumented)
	first := uint32(0)
	for k := 0; k < tableSize; k++ {
		f := b.fn([]byte{tI32}, []byte{tI32}, nil,
			charge(12), op(opLocalGet, 0), i32c(int32(k)), op(opI32Add))
		if k == 0 {
			first = f
		}
		b.elem = append(b.elem, f)
	}
	tIdx := b.typ([]byte{tI32}, []byte{tI32})
	invoke := b.fn([]byte{tI32}, []byte{tI32}, []byte{tI32},
		charge(100),
		// Push a stack frame and spill the parameter, as Rust code does.
		op(opGlobalGet, sp), i32c(64), op(opI32Sub), op(opLocalTee, 1), op(opGlobalSet, sp),
		op(opLocalGet, 1), op(opLocalGet, 0), op(opI32Store, 2, 0),
		op(opCall, enabled),
		op(opLocalGet, 1), op(opI32Load, 2, 0),
		op(opLocalGet, 0), i32c(int32(tableSize)), op(opI32RemU),
		op(opCallIndirect, tIdx, 0),
		op(opI32Add),
		op(opLocalGet, 1), i32c(64), op(opI32Add), op(opGlobalSet, sp))
	_ = first
	b.table = &[2]uint32{uint32(tableSize), uint32(tableSize)}
	b.memory = &[2]int64{17, -1}
	data := make([]byte, 60000)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	b.data = []wData{{1 << 20, data}}
	b.export("memory", 2, 0)
	b.export("invoke", 0, invoke)
	b.export("__indirect_function_table", 1, 0)
	b.export("__data_end", 3, dataEnd)
	b.export("__heap_base", 3, heapBase)
	return b.bytes()
}

// computeShape exercises what must be bit-identical between wazero's engines:
// integer and f64 arithmetic (NaN canonicalised by hand, as the instrumenter
// does), loads and stores, memory.copy and memory.fill, a loop with a gas
// charge per iteration. invoke(n) returns a checksum.
func computeShape(instrumented bool) []byte {
	b := &wasmBuilder{}
	charge := gasKit(b, instrumented)
	// locals: 1 i (i32), 2 acc (i64), 3 x (f64)
	canon := func() []byte {
		// x := x != x ? canonical NaN : x — written with a local round trip.
		return cat(op(opLocalTee, 3), op(opLocalGet, 3), []byte{0x62}, // f64.ne
			op(opIf, tF64), i64c(0x7ff8000000000000), []byte{0xbf}, // f64.reinterpret_i64
			[]byte{0x05}, op(opLocalGet, 3), op(opEnd))
	}
	invoke := b.fn([]byte{tI32}, []byte{tI32}, []byte{tI32, tI64, tF64},
		charge(20),
		op(opBlock, 0x40), op(opLoop, 0x40),
		charge(60),
		op(opLocalGet, 1), op(opLocalGet, 0), op(opI32LtU), op(opI32Eqz), op(opBrIf, 1),
		// x = sqrt(f64(i) - 3) / (f64(i) - 2): NaN, inf, finite values.
		op(opLocalGet, 1), op(opF64ConvI32U), []byte{opF64Const}, f64le(3), op(opF64Sub), op(opF64Sqrt),
		op(opLocalGet, 1), op(opF64ConvI32U), []byte{opF64Const}, f64le(2), op(opF64Sub), op(opF64Div),
		canon(), op(opLocalSet, 3),
		// mem[8*i mod 4096] = x; acc = acc*31 ^ bits(load)
		op(opLocalGet, 1), i32c(8), op(opI32Mul), i32c(4095), []byte{0x71}, // i32.and
		op(opLocalGet, 3), op(opF64Store, 3, 0),
		op(opLocalGet, 2), i64c(31), op(opI64Mul),
		op(opLocalGet, 1), i32c(8), op(opI32Mul), i32c(4095), []byte{0x71},
		op(opI64Load, 3, 0), op(opI64Xor), op(opLocalSet, 2),
		op(opLocalGet, 1), i32c(1), op(opI32Add), op(opLocalSet, 1),
		op(opBr, 0), op(opEnd), op(opEnd),
		// memory.fill(8192, 0xab, 100); memory.copy(9000, 0, 4096)
		i32c(8192), i32c(0xab), i32c(100), []byte{opPrefixFC, 0x0b, 0x00},
		i32c(9000), i32c(0), i32c(4096), []byte{opPrefixFC, 0x0a, 0x00, 0x00},
		op(opLocalGet, 2), op(opLocalGet, 2), i64c(32), []byte{0x88}, op(opI64Xor), []byte{0xa7}) // i64.shr_u, i32.wrap_i64
	b.memory = &[2]int64{1, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, invoke)
	return b.bytes()
}

func f64le(v float64) []byte {
	bits := math.Float64bits(v)
	out := make([]byte, 8)
	for i := range out {
		out[i] = byte(bits >> (8 * i))
	}
	return out
}

// growShape: invoke(delta) = memory.grow(delta) on a 17-page memory.
func growShape(instrumented bool) []byte {
	b := &wasmBuilder{}
	charge := gasKit(b, instrumented)
	invoke := b.fn([]byte{tI32}, []byte{tI32}, nil,
		charge(8), op(opLocalGet, 0), op(opMemoryGrow, 0))
	b.memory = &[2]int64{17, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, invoke)
	return b.bytes()
}

// abortShape: invoke calls vm.exit, which unwinds with errAbort.
func abortShape() []byte {
	b := &wasmBuilder{}
	exit := b.importFunc("vm", "exit", []byte{tI32}, []byte{tI32})
	invoke := b.fn([]byte{tI32}, []byte{tI32}, nil, op(opLocalGet, 0), op(opCall, exit))
	b.memory = &[2]int64{1, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, invoke)
	return b.bytes()
}

var errAbort = errors.New("test: actor aborted")

// testHostModules registers the syscalls the test modules import, the
// stack-based way (design.md "Speed": never the reflective form).
func testHostModules(ctx context.Context, r wazero.Runtime, v Variant) error {
	if _, err := r.NewHostModuleBuilder("debug").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
		stack[0] = uint64(v) // nv17 → 1, nv18 → 2: shows which runtime linked
	}), nil, []api.ValueType{api.ValueTypeI32}).Export("enabled").
		Instantiate(ctx); err != nil {
		return err
	}
	_, err := r.NewHostModuleBuilder("vm").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
		panic(errAbort)
	}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).Export("exit").
		Instantiate(ctx)
	return err
}

// fakeInstrument maps raw test modules to their hand-instrumented form and
// passes anything else through unchanged.
func fakeInstrument(pairs ...[2][]byte) instrumentFunc {
	m := map[string][]byte{}
	for _, p := range pairs {
		m[string(p[0])] = p[1]
	}
	return func(wasm []byte, _ Variant) ([]byte, error) {
		if out, ok := m[string(wasm)]; ok {
			return out, nil
		}
		return wasm, nil
	}
}

// rawCid is a CIDv1 raw (0x55) identity-free sha2-256 CID of b.
func rawCid(t testing.TB, b []byte) cid.Cid {
	h, err := multihash.Sum(b, multihash.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}

type testModules struct {
	actor, actorRaw     []byte
	compute, computeRaw []byte
	grow, growRaw       []byte
	abort               []byte
}

func newTestModules() testModules {
	return testModules{
		actor: actorShape(true, 300), actorRaw: actorShape(false, 300),
		compute: computeShape(true), computeRaw: computeShape(false),
		grow: growShape(true), growRaw: growShape(false),
		abort: abortShape(),
	}
}

func (tm testModules) instrumenter() instrumentFunc {
	return fakeInstrument(
		[2][]byte{tm.actorRaw, tm.actor},
		[2][]byte{tm.computeRaw, tm.compute},
		[2][]byte{tm.growRaw, tm.grow})
}

func newTestEngine(t testing.TB, tm testModules, opts ...Option) *Engine {
	t.Helper()
	ctx := context.Background()
	opts = append([]Option{WithHostModules(testHostModules), withInstrumenter(tm.instrumenter())}, opts...)
	e, err := New(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close(ctx) })
	return e
}
