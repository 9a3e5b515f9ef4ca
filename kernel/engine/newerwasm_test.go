package engine

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// paddedCallIndirect is call_indirect of type typ through table 0, the
// table index written as B17/B18 write it: a five-byte LEB128 zero
// (fvm-abi-next.md §1.5).
func paddedCallIndirect(typ uint32) []byte {
	return append(op(opCallIndirect, typ), 0x80, 0x80, 0x80, 0x80, 0x00)
}

// newerWasmModule is an actor-shaped module (memory and invoke exported)
// whose invoke body is body, with a table of one element holding
// `() -> i32.const 7`.
func newerWasmModule(body ...[]byte) []byte {
	b := &wasmBuilder{}
	seven := b.fn(nil, []byte{tI32}, nil, i32c(7))
	inv := b.fn([]byte{tI32}, []byte{tI32}, nil, body...)
	b.table = &[2]uint32{1, 1}
	b.elem = []uint32{seven}
	b.memory = &[2]int64{1, -1}
	b.export("memory", 2, 0)
	b.export("invoke", 0, inv)
	return b.bytes()
}

// Opcodes of the proposals the newer bundles use (fvm-abi-next.md §1.5).
var (
	i32Extend8S      = []byte{0xc0}
	i32Extend16S     = []byte{0xc1}
	i64Extend8S      = []byte{0xc2}
	i64Extend16S     = []byte{0xc3}
	i64Extend32S     = []byte{0xc4}
	i64ExtendI32U    = []byte{0xad}
	i32WrapI64       = []byte{0xa7}
	i32TruncSatF64U  = []byte{0xfc, 0x03}
	i32AddOp         = []byte{opI32Add}
	callSevenPadded  = cat(i32c(0), paddedCallIndirect(0))
	truncSatConstant = func(x float64) []byte { return cat([]byte{opF64Const}, f64le(x), i32TruncSatF64U) }
)

// fvm-abi-next.md §14 scenario 29: modules with the padded call_indirect
// table index and i32.trunc_sat_f64_u load and run for FVM v3 and v4 and are
// refused for v2; every sign-extension op is priced math_default = 4 gas
// (fvm-gas-next.md §6.5, fvm-gas.md §3.2), on both engines. Gas by hand
// (fvm-gas.md §3.3–§3.4): invoke's thunk 4·1 + 52 = 56; invoke's body is one
// span of 18 priced ops = 72 (call_indirect does not end a span);
// the callee through the table: its thunk 52 + i32.const 4 = 56. Total 184
// gas. Result for p = 0x8085: extend8_s −123, extend16_s −32,635, the i64
// chain −123, trunc_sat(3.9) 3, the callee 7: −32,871.
func TestScenario29NewerWasm(t *testing.T) {
	all := newerWasmModule(
		op(opLocalGet, 0), i32Extend8S, // 2
		op(opLocalGet, 0), i32Extend16S, i32AddOp, // 3
		op(opLocalGet, 0), i64ExtendI32U, i64Extend8S, i64Extend16S, i64Extend32S, i32WrapI64, i32AddOp, // 7
		truncSatConstant(3.9), i32AddOp, // 3
		callSevenPadded, i32AddOp, // 3
	)
	only := map[string][]byte{
		"padded call_indirect": newerWasmModule(callSevenPadded),
		"i32.trunc_sat_f64_u":  newerWasmModule(truncSatConstant(1e20)),
		"i32.extend8_s":        newerWasmModule(op(opLocalGet, 0), i32Extend8S),
	}
	ctx := context.Background()
	for _, interp := range []bool{false, true} {
		opts := []Option{WithHostModules(testHostModules)}
		name := "compiler"
		if interp {
			opts, name = append(opts, WithInterpreter()), "interpreter"
		}
		e, err := New(ctx, opts...) // the real instrumenter
		if err != nil {
			t.Fatal(err)
		}
		for what, wasm := range only {
			if _, err := e.Load(ctx, rawCid(t, wasm), wasm, V2); !errors.Is(err, ErrLoad) {
				t.Errorf("%s %s: V2 Load err %v, want ErrLoad", name, what, err)
			}
		}
		if _, err := e.Load(ctx, rawCid(t, all), all, V2); !errors.Is(err, ErrLoad) {
			t.Errorf("%s: V2 loads the module", name)
		}
		for _, v := range []Variant{V3, V4} {
			m := mustLoad(t, e, all, v)
			in := mustInstantiate(t, e, m, NewMemoryBudget(v))
			const avail = 1 << 40
			in.GasGlobal().Set(avail)
			ret, err := in.Invoke(ctx, 0x8085)
			used := avail - int64(in.GasGlobal().Get())
			if err != nil || int32(ret) != -32871 || used != 184_000 {
				t.Errorf("%s %s: invoke = %d, %v, used %d mg; want -32871 and 184000", name, v, int32(ret), err, used)
			}
			in.Close(ctx)
			// Saturation: 1e20 → 0xFFFFFFFF; the thunk 56 + f64.const and
			// the truncation 8 gas.
			sat := mustLoad(t, e, only["i32.trunc_sat_f64_u"], v)
			in = mustInstantiate(t, e, sat, NewMemoryBudget(v))
			in.GasGlobal().Set(avail)
			ret, err = in.Invoke(ctx, 0)
			if used := avail - int64(in.GasGlobal().Get()); err != nil || ret != math.MaxUint32 || used != 64_000 {
				t.Errorf("%s %s: trunc_sat(1e20) = %#x, %v, used %d mg; want 0xffffffff and 64000", name, v, ret, err, used)
			}
			in.Close(ctx)
		}
		_ = e.Close(ctx)
	}
}

// The refusal for v2 names the padded index, not some other feature.
func TestPaddedIndexRefusalNamesIt(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, WithHostModules(testHostModules), WithInterpreter())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	wasm := newerWasmModule(callSevenPadded)
	_, err = e.Load(ctx, rawCid(t, wasm), wasm, V2)
	if err == nil || !strings.Contains(err.Error(), "call_indirect table index") {
		t.Errorf("V2 Load err %v, want one naming the call_indirect table index", err)
	}
}
