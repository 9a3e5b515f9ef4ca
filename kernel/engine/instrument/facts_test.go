package instrument

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Expected values in this file are computed by hand from fvm-gas.md (§ cited
// per test) or, where the sheet is silent, from the reference source named.

func blocksOf(t *testing.T, code []Instr, tables [][]uint32, r Prices, v Version) []span {
	t.Helper()
	b := &Body{Instrs: append(append([]Instr{}, code...), op(OpEnd)), BrTables: tables}
	blocks, _, err := spansOf(b, r, v)
	if err != nil {
		t.Fatal(err)
	}
	return blocks
}

// §3.3 worked example: 8 at 0, 4 at 2, 4 at 5 (gas), both versions.
func TestWorkedExample(t *testing.T) {
	code := []Instr{idx(OpLocalGet, 0), blk(OpIf), c32(1), op(OpReturn), op(OpEnd), c32(2)}
	want := []span{{0, 8000}, {2, 4000}, {5, 4000}}
	for _, v := range []Version{FVM2, FVM3} {
		if got := blocksOf(t, code, nil, FVMPrices(v), v); !reflect.DeepEqual(got, want) {
			t.Errorf("%v: blocks %v, want %v", v, got, want)
		}
	}
}

// §9.3: gas/branch.wat with cost-1 rules gives 13 at 0 and 5 at 12.
func TestBranchFixtureByHand(t *testing.T) {
	code := []Instr{
		blk(OpBlock), c32(0), idx(OpLocalSet, 0), c32(1), idx(OpLocalSet, 1),
		idx(OpLocalGet, 0), idx(OpLocalGet, 1), idx(OpLocalTee, 0), op(OpI32Add), idx(OpLocalSet, 1),
		c32(1), idx(OpBrIf, 0),
		idx(OpLocalGet, 0), idx(OpLocalGet, 1), idx(OpLocalTee, 0), op(OpI32Add), idx(OpLocalSet, 1),
		op(OpEnd), idx(OpLocalGet, 1),
	}
	want := []span{{0, 13}, {12, 5}}
	if got := blocksOf(t, code, nil, FlatPrices{1}, FVM3); !reflect.DeepEqual(got, want) {
		t.Errorf("blocks %v, want %v", got, want)
	}
}

// br_table default label: 0.2.0 counts it as a branch target, 0.4.0 drops it
// (§3.3). Outer block, inner block, br_table [0] default 1: in FVM v2 the inner
// end may branch out, so the code after it is its own block.
func TestBrTableDefaultLabel(t *testing.T) {
	code := []Instr{
		blk(OpBlock), blk(OpBlock), idx(OpLocalGet, 0), {Op: OpBrTable, X: 0, Y: 1}, op(OpEnd),
		c32(1), op(OpDrop), op(OpEnd),
	}
	tables := [][]uint32{{0}}
	if got, want := blocksOf(t, code, tables, FVMPrices(FVM2), FVM2), []span{{0, 8000}, {5, 4000}}; !reflect.DeepEqual(got, want) {
		t.Errorf("FVM v2 blocks %v, want %v", got, want)
	}
	if got, want := blocksOf(t, code, tables, FVMPrices(FVM3), FVM3), []span{{0, 12000}}; !reflect.DeepEqual(got, want) {
		t.Errorf("FVM v3 blocks %v, want %v", got, want)
	}
	// Executed: taking the default label skips `i32.const 1`, which FVM v2
	// charges only when reached; FVM v3 charged it upfront. Plus the 1-param
	// thunk of the export: 56 gas (§3.4).
	wasm := tmod{fns: []tfn{{params: []ValType{I32}, code: code, brTables: tables, export: "f"}}}.bytes()
	for _, rt := range runtimes {
		for _, c := range []struct {
			v         Version
			arg       uint64
			wantMilli int64
		}{{FVM2, 5, 56000 + 8000}, {FVM3, 5, 56000 + 12000}, {FVM2, 0, 56000 + 12000}, {FVM3, 0, 56000 + 12000}} {
			inst := instantiate(t, rt.cfg(), mustInstrument(t, wasm, Options{Version: c.v, CanonicalizeNaN: true}))
			if _, used, err := inst.call(t, "f", c.arg); err != nil || used != c.wantMilli {
				t.Errorf("%s %v arg %d: used %d mg (err %v), want %d", rt.name, c.v, c.arg, used, err, c.wantMilli)
			}
		}
	}
}

// §3.4: a direct internal call costs 13 charged instructions = 52 gas; the
// thunk of an export with no params costs 52, with 1 param (invoke) 56.
func TestCallAndThunkCosts(t *testing.T) {
	wasm := tmod{fns: []tfn{
		{code: []Instr{idx(OpCall, 1)}, export: "a"}, // a calls b
		{code: nil}, // b: empty, cost 0 to run
		{params: []ValType{I32}, results: []ValType{I32}, code: []Instr{c32(0)}, export: "invoke"},
	}}.bytes()
	for _, v := range []Version{FVM2, FVM3} {
		for _, rt := range runtimes {
			inst := instantiate(t, rt.cfg(), mustInstrument(t, wasm, Options{Version: v}))
			if _, used, err := inst.call(t, "a"); err != nil || used != 52000+52000 {
				t.Errorf("%s %v: a used %d mg (%v), want 104000 (thunk 52 + call 52 gas)", rt.name, v, used, err)
			}
			if _, used, err := inst.call(t, "invoke", 1); err != nil || used != 56000+4000 {
				t.Errorf("%s %v: invoke used %d mg (%v), want 60000 (thunk 56 + i32.const 4 gas)", rt.name, v, used, err)
			}
		}
	}
}

// §3.5 consequence: a block is charged in full at entry, so a trap in its
// middle still pays all of it. i32.const, i32.const, i32.div_u (traps),
// drop (free), i32.const 7 → 16 gas, plus the 0-param thunk 52 gas.
func TestTrapPaysWholeBlock(t *testing.T) {
	wasm := tmod{fns: []tfn{{code: []Instr{c32(1), c32(0), op(OpI32DivU), op(OpDrop), c32(7), op(OpDrop)}, export: "f"}}}.bytes()
	for _, v := range []Version{FVM2, FVM3} {
		for _, rt := range runtimes {
			inst := instantiate(t, rt.cfg(), mustInstrument(t, wasm, Options{Version: v}))
			_, used, err := inst.call(t, "f")
			if err == nil || used != 52000+16000 {
				t.Errorf("%s %v: used %d mg (err %v), want a trap and 68000", rt.name, v, used, err)
			}
		}
	}
}

const OpI32DivU Op = 0x6E

// §3.2: v3 prices memory.fill statically when an i32.const precedes it:
// 4000 + 100·400 mg, plus the three i32.const (12000). v2: flat 4 gas each.
func TestStaticLinearMemoryFill(t *testing.T) {
	code := []Instr{c32(0), c32(0), c32(100), op(OpMemoryFill)}
	if got, want := blocksOf(t, code, nil, FVMPrices(FVM3), FVM3), []span{{0, 12000 + 4000 + 100*400}}; !reflect.DeepEqual(got, want) {
		t.Errorf("FVM v3 blocks %v, want %v", got, want)
	}
	if got, want := blocksOf(t, code, nil, FVMPrices(FVM2), FVM2), []span{{0, 16000}}; !reflect.DeepEqual(got, want) {
		t.Errorf("FVM v2 blocks %v, want %v", got, want)
	}
	wasm := tmod{memory: true, fns: []tfn{{code: code, export: "f"}}}.bytes()
	out := mustInstrument(t, wasm, Options{Version: FVM3})
	if strings.Contains(describe(t, out, FVM3), "i64.extend_i32_u") {
		t.Error("static price must not insert a dynamic charge")
	}
	for _, rt := range runtimes {
		inst := instantiate(t, rt.cfg(), out)
		if _, used, err := inst.call(t, "f"); err != nil || used != 52000+56000 {
			t.Errorf("%s: used %d (%v), want 108000", rt.name, used, err)
		}
	}
}

// §3.2: otherwise the base is static and the per-unit part is charged just
// before the op with `local.tee tmp; local.get tmp; i64.extend_i32_u;
// i64.const unit; i64.mul; call $gas`, tmp a fresh i32 local; and it is
// charged even when the op then traps.
func TestDynamicLinearCharge(t *testing.T) {
	code := []Instr{c32(0), c32(0), idx(OpLocalGet, 0), op(OpMemoryFill)}
	wasm := tmod{memory: true, fns: []tfn{{params: []ValType{I32}, code: code, export: "f"}}}.bytes()
	out := mustInstrument(t, wasm, Options{Version: FVM3, NoStackLimiter: true, Gas: GasImport})
	m, bodies, err := decodeAll(out, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	gasFn := uint32(len(m.Funcs) - 1)
	want := []Instr{
		c64(16000), idx(OpCall, gasFn),
		c32(0), c32(0), idx(OpLocalGet, 0),
		idx(OpLocalTee, 1), idx(OpLocalGet, 1), op(OpI64ExtendI32U), c64(400), op(OpI64Mul), idx(OpCall, gasFn),
		op(OpMemoryFill), op(OpEnd),
	}
	if !reflect.DeepEqual(bodies[0].Instrs, want) {
		t.Errorf("body\n%v\nwant\n%v", bodies[0].Instrs, want)
	}
	if !reflect.DeepEqual(bodies[0].Locals, []LocalGroup{{1, I32}}) {
		t.Errorf("locals %v, want one fresh i32", bodies[0].Locals)
	}
	run := mustInstrument(t, wasm, Options{Version: FVM3})
	for _, rt := range runtimes {
		inst := instantiate(t, rt.cfg(), run)
		if _, used, err := inst.call(t, "f", 1000); err != nil || used != 56000+16000+1000*400 {
			t.Errorf("%s: n=1000 used %d (%v), want 472000", rt.name, used, err)
		}
		// 70000 bytes do not fit one page: the charge happens, then the trap.
		if _, used, err := inst.call(t, "f", 70000); err == nil || used != 56000+16000+70000*400 {
			t.Errorf("%s: n=70000 used %d (err %v), want a trap after 28072000", rt.name, used, err)
		}
	}
}

// §3.2: a negative i32.const before a linear op rejects the module in FVM v3
// (and only there).
func TestNegativeConstRejected(t *testing.T) {
	wasm := tmod{memory: true, fns: []tfn{{code: []Instr{c32(0), c32(0), c32(-1), op(OpMemoryFill)}}}}.bytes()
	if _, err := Instrument(wasm, Options{Version: FVM3}); !isUnsupported(err) || !strings.Contains(err.Error(), "negative") {
		t.Errorf("FVM v3: err %v, want a negative-argument rejection", err)
	}
	if _, err := Instrument(wasm, Options{Version: FVM2}); err != nil {
		t.Errorf("FVM v2: %v", err)
	}
}

// §3.2/§4: v2 cannot parse sign-extension or saturating truncation.
func TestV2RejectsSignExtAndSatTrunc(t *testing.T) {
	for _, in := range []Instr{op(0xC0), op(0xFC00)} {
		var code []Instr
		if in.Op == 0xC0 {
			code = []Instr{c32(1), in, op(OpDrop)}
		} else {
			code = []Instr{{Op: OpF32Const}, in, op(OpDrop)}
		}
		wasm := tmod{fns: []tfn{{code: code}}}.bytes()
		if _, err := Instrument(wasm, Options{Version: FVM2}); !isUnsupported(err) || !strings.Contains(err.Error(), "FVM v2") {
			t.Errorf("%s FVM v2: err %v", in.Op, err)
		}
		if err := ValidateFeatures(wasm, FVM2); !isUnsupported(err) {
			t.Errorf("%s ValidateFeatures FVM v2: %v", in.Op, err)
		}
		out := mustInstrument(t, wasm, Options{Version: FVM3})
		instantiate(t, runtimes[0].cfg(), out)
	}
}

// §4: v2 counts locals, v3 counts local groups; max height starts at 2.
// Two groups (i64 ×2, i32) and height 1+2: v2 3+3 = 6, v3 2+3 = 5.
func TestStackCostLocals(t *testing.T) {
	wasm := tmod{fns: []tfn{{locals: []LocalGroup{{2, I64}, {1, I32}}, code: []Instr{c32(1), op(OpDrop)}}}}.bytes()
	for v, want := range map[Version]uint32{FVM2: 6, FVM3: 5} {
		m, bodies, err := decodeAll(wasm, v)
		if err != nil {
			t.Fatal(err)
		}
		c, err := StackCosts(m, bodies, v)
		if err != nil || c[0] != want {
			t.Errorf("%v: cost %v (%v), want %d", v, c, err, want)
		}
	}
}

// Not in the fact sheet: parity-wasm 0.42 (FVM v2) reads one reserved byte of
// memory.copy and decodes the second 0x00 as `unreachable`
// (src/elements/ops.rs deserialize_bulk @v0.42.2), which makes the frame
// unreachable in the stack-height simulation. Heights before each op: 2,3,4,5 | 2,3,4,5,6 …
// FVM v3 sees 6; FVM v2 stops counting after the copy: 5.
func TestV2MemoryCopyPhantomUnreachable(t *testing.T) {
	code := []Instr{c32(0), c32(0), c32(0), op(OpMemoryCopy), c32(1), c32(2), c32(3), c32(4),
		op(OpDrop), op(OpDrop), op(OpDrop), op(OpDrop)}
	wasm := tmod{memory: true, fns: []tfn{{code: code, export: "f"}}}.bytes()
	for v, want := range map[Version]uint32{FVM2: 5, FVM3: 6} {
		m, bodies, err := decodeAll(wasm, v)
		if err != nil {
			t.Fatal(err)
		}
		c, err := StackCosts(m, bodies, v)
		if err != nil || c[0] != want {
			t.Errorf("%v: cost %v (%v), want %d", v, c, err, want)
		}
		// The phantom is free and encodes to nothing: the module still runs
		// and costs the same: thunk 52 + 8 priced instructions (7 consts and
		// the copy; in FVM v3 its static linear part is 0 bytes · 400).
		for _, rt := range runtimes {
			inst := instantiate(t, rt.cfg(), mustInstrument(t, wasm, Options{Version: v}))
			wantGas := int64(52000 + 8*4000)
			if _, used, err := inst.call(t, "f"); err != nil || used != wantGas {
				t.Errorf("%s %v: used %d (%v), want %d", rt.name, v, used, err, wantGas)
			}
		}
	}
}

// §3.2: memory.grow in v3 costs 4 gas + 26,214,400 mg per page requested,
// charged dynamically; with the hook the grow goes through the host.
func TestMemoryGrowDynamicAndHook(t *testing.T) {
	wasm := tmod{memory: true, fns: []tfn{{params: []ValType{I32}, results: []ValType{I32},
		code: []Instr{idx(OpLocalGet, 0), op(OpMemoryGrow)}, export: "grow"}}}.bytes()
	for _, hook := range []bool{false, true} {
		out := mustInstrument(t, wasm, Options{Version: FVM3, HookMemoryGrow: hook})
		if got := strings.Contains(describe(t, out, FVM3), "memory.grow"); got == hook {
			t.Errorf("hook=%v: memory.grow present = %v", hook, got)
		}
		for _, rt := range runtimes {
			inst := instantiate(t, rt.cfg(), out)
			res, used, err := inst.call(t, "grow", 2)
			if err != nil || res[0] != 1 || used != 56000+8000+2*26214400 {
				t.Errorf("%s hook=%v: res %v used %d (%v)", rt.name, hook, res, used, err)
			}
		}
	}
}

// §3.1: the reference import form, FVM v2 name (sic) and FVM v3 name, appended
// after the existing imports, with the gas function last.
func TestGasImportForm(t *testing.T) {
	wasm := tmod{imports: []Import{{Module: "env", Name: "f", Kind: KindFunc}}, fns: []tfn{{code: []Instr{c32(1), op(OpDrop)}}}}.bytes()
	// tmod needs the import's type: (func) is type 0 once the module has one.
	for v, name := range map[Version]string{FVM2: "gas_couner", FVM3: "gas_counter"} {
		out := mustInstrument(t, wasm, Options{Version: v, Gas: GasImport})
		m, _, err := decodeAll(out, v)
		if err != nil {
			t.Fatal(err)
		}
		last := m.Imports[len(m.Imports)-1]
		if last.Module != "gas" || last.Name != name || last.Kind != KindGlobal || last.Global != (GlobalType{I64, true}) {
			t.Errorf("%v: last import %+v", v, last)
		}
	}
}

// NaN canonicalisation (fvm-abi.md §11; the set of wasmtime 36.0.7, which
// every current FVM line runs: cranelift nan_canonicalization.rs):
// arithmetic, demote and promote NaN results become 0x7FC00000 /
// 0x7FF8000000000000; sign-only ops (neg, abs, copysign) keep their
// payload. Results are read back as integers.
func TestNaNCanonicalization(t *testing.T) {
	const (
		f32Payload = 0xFFA00001 // negative signalling NaN with payload
		f64Payload = 0xFFF4000000000001
	)
	reinterp32 := op(0xBC)
	reinterp64 := op(0xBD)
	cases := []struct {
		name string
		res  ValType
		code []Instr
		want uint64
	}{
		{"f32.div 0/0", I32, []Instr{iF32Const(0), iF32Const(0), op(0x95), reinterp32}, canonNaN32},
		{"f32.add payload", I32, []Instr{iF32Const(f32Payload), iF32Const(0x3F800000), op(0x92), reinterp32}, canonNaN32},
		{"f32.sqrt -1", I32, []Instr{iF32Const(0xBF800000), op(0x91), reinterp32}, canonNaN32},
		{"f32.min payload", I32, []Instr{iF32Const(f32Payload), iF32Const(0), op(0x96), reinterp32}, canonNaN32},
		{"f32.ceil payload", I32, []Instr{iF32Const(f32Payload), op(0x8D), reinterp32}, canonNaN32},
		{"f32.neg keeps payload", I32, []Instr{iF32Const(f32Payload), op(0x8C), reinterp32}, f32Payload &^ 0x80000000},
		{"f64.sub payload", I64, []Instr{iF64Const(f64Payload), iF64Const(0), op(0xA1), reinterp64}, canonNaN64},
		{"f64.nearest payload", I64, []Instr{iF64Const(f64Payload), op(0x9E), reinterp64}, canonNaN64},
		{"f64.max payload", I64, []Instr{iF64Const(0), iF64Const(f64Payload), op(0xA5), reinterp64}, canonNaN64},
		{"f64.trunc payload", I64, []Instr{iF64Const(f64Payload), op(0x9D), reinterp64}, canonNaN64},
		{"f64.copysign keeps payload", I64, []Instr{iF64Const(f64Payload), iF64Const(0), op(0xA6), reinterp64}, f64Payload &^ (1 << 63)},
		{"f32.demote_f64 payload", I32, []Instr{iF64Const(f64Payload), op(OpF32DemoteF64), reinterp32}, canonNaN32},
		{"f64.promote_f32 payload", I64, []Instr{iF32Const(f32Payload), op(OpF64PromoteF32), reinterp64}, canonNaN64},
		{"f64.promote_f32 normal", I64, []Instr{iF32Const(0x3F800000), op(OpF64PromoteF32), reinterp64}, 0x3FF0000000000000},
		{"f64.mul normal", I64, []Instr{iF64Const(0x4000000000000000), iF64Const(0x4000000000000000), op(0xA2), reinterp64}, 0x4010000000000000},
	}
	var fns []tfn
	for i, c := range cases {
		fns = append(fns, tfn{results: []ValType{c.res}, code: c.code, export: string(rune('a' + i))})
	}
	wasm := tmod{fns: fns}.bytes()
	for _, v := range []Version{FVM2, FVM3} {
		out := mustInstrument(t, wasm, Options{Version: v, CanonicalizeNaN: true})
		for _, rt := range runtimes {
			inst := instantiate(t, rt.cfg(), out)
			for i, c := range cases {
				res, used, err := inst.call(t, string(rune('a'+i)))
				if err != nil {
					t.Fatal(err)
				}
				got := res[0]
				if c.res == I32 {
					got &= 0xFFFFFFFF
				}
				if got != c.want {
					t.Errorf("%s %v %s: got %#x, want %#x", rt.name, v, c.name, got, c.want)
				}
				// The sequence is unmetered: the thunk plus the op's block only.
				priced := int64(0)
				for _, in := range c.code {
					if !free(in.Op) {
						priced++
					}
				}
				if used != 52000+4000*priced {
					t.Errorf("%s %v %s: used %d mg, want %d", rt.name, v, c.name, used, 52000+4000*priced)
				}
			}
		}
	}
}

// An out-of-range global index must not be "repaired" by the appended
// stack-height global (§3.1 step 1: the raw module is validated first).
func TestOutOfRangeIndexRejected(t *testing.T) {
	for _, in := range []Instr{idx(OpGlobalGet, 0), idx(OpCall, 1), idx(OpLocalGet, 0)} {
		code := []Instr{in, op(OpDrop)}
		if in.Op == OpCall {
			code = []Instr{in}
		}
		wasm := tmod{fns: []tfn{{code: code}}}.bytes()
		if _, err := Instrument(wasm, Options{Version: FVM3}); err == nil {
			t.Errorf("%s %d accepted", in.Op, in.X)
		}
	}
}

// §3.4/§4: a call traps when SH + cost(callee) > 2048. f(n) recurses n
// times; its cost is 0 locals + max height 4 (heights before each op:
// 2,3,2,3,4,3,2,2). Frame k runs with SH = 4k, so 512 frames fit
// (n = 511) and the 513th traps (n = 512). The limiter's `unreachable` is a
// trap like any other.
func TestStackLimitDepth(t *testing.T) {
	wasm := tmod{fns: []tfn{{params: []ValType{I32}, code: []Instr{
		idx(OpLocalGet, 0), blk(OpIf), idx(OpLocalGet, 0), c32(1), op(OpI32Sub), idx(OpCall, 0), op(OpEnd),
	}, export: "f"}}}.bytes()
	for _, v := range []Version{FVM2, FVM3} {
		m, bodies, err := decodeAll(wasm, v)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := StackCosts(m, bodies, v); c[0] != 4 {
			t.Fatalf("cost %v, want 4", c)
		}
		for _, rt := range runtimes {
			out := mustInstrument(t, wasm, Options{Version: v})
			if _, _, err := instantiate(t, rt.cfg(), out).call(t, "f", 511); err != nil {
				t.Errorf("%s %v: 512 frames trapped: %v", rt.name, v, err)
			}
			if _, _, err := instantiate(t, rt.cfg(), out).call(t, "f", 512); err == nil {
				t.Errorf("%s %v: 513 frames did not trap", rt.name, v)
			}
		}
	}
}

// §3.1: with the imported gas global at index 0, 0.2.0 shifts exported
// global indices, 0.4.0 computes the shift but never writes the export
// section back, so its export names the wrong global.
func TestGasImportExportedGlobalShift(t *testing.T) {
	m := &Module{}
	m.Globals = []Global{{GlobalType{I32, true}, []byte{0x41, 0x00, 0x0B}}, {GlobalType{I32, false}, []byte{0x41, 0x05, 0x0B}}}
	m.Funcs = []uint32{typeIndex(m, FuncType{Results: []ValType{I32}})}
	m.Code = [][]byte{EncodeBody(nil, &Body{Instrs: []Instr{idx(OpGlobalGet, 1), op(OpEnd)}})}
	m.Exports = []Export{{Name: "__data_end", Kind: KindGlobal, Index: 1}}
	wasm := m.Encode()
	for v, want := range map[Version]uint32{FVM2: 2, FVM3: 1} {
		out := mustInstrument(t, wasm, Options{Version: v, Gas: GasImport})
		om, bodies, err := decodeAll(out, v)
		if err != nil {
			t.Fatal(err)
		}
		if om.Exports[0].Index != want {
			t.Errorf("%v: export index %d, want %d", v, om.Exports[0].Index, want)
		}
		// The body's global.get 1 is shifted to 2 by both versions.
		if in := bodies[0].Instrs[2]; in.Op != OpGlobalGet || in.X != 2 {
			t.Errorf("%v: body reads %v %d, want global.get 2", v, in.Op, in.X)
		}
	}
}

// The two gas forms differ only in the gas global's index: mapping the
// import form's global indices to the export form's must give identical
// bodies (no imported globals: import form gas=0, others +1; export form
// gas = last).
func TestGasFormsEquivalent(t *testing.T) {
	for i := 0; i < 40; i++ {
		data := make([]byte, 300)
		for j := range data {
			data[j] = byte(j*31 + i*17 + j*j*i)
		}
		wasm, _ := genModule(data)
		for _, v := range []Version{FVM2, FVM3} {
			if ValidateFeatures(wasm, v) != nil {
				continue
			}
			imp := mustInstrument(t, wasm, Options{Version: v, Gas: GasImport})
			exp := mustInstrument(t, wasm, Options{Version: v, Gas: GasExport})
			mi, bi, err := decodeAll(imp, v)
			if err != nil {
				t.Fatal(err)
			}
			_, be, err := decodeAll(exp, v)
			if err != nil {
				t.Fatal(err)
			}
			gasExp := uint32(len(mi.Globals)) // defined globals incl. SH, then gas
			for f := range bi {
				for k, in := range bi[f].Instrs {
					if in.Op == OpGlobalGet || in.Op == OpGlobalSet {
						if in.X == 0 {
							in.X = gasExp
						} else {
							in.X--
						}
					}
					if in != be[f].Instrs[k] {
						t.Fatalf("%v seed %d func %d instr %d: import form %v, export form %v", v, i, f, k, in, be[f].Instrs[k])
					}
				}
			}
		}
	}
}

// The reference import form runs too: a helper module named "gas" exports
// the counter under both reference names, and the charges equal the export
// form's (§3.4: thunk 56 + i32.const 4 gas for invoke).
func TestGasImportFormRuns(t *testing.T) {
	helper := &Module{}
	helper.Globals = []Global{{GlobalType{I64, true}, []byte{0x42, 0x00, 0x0B}}}
	helper.Exports = []Export{{Name: GasCounterNameFVM2, Kind: KindGlobal}, {Name: GasCounterNameFVM3, Kind: KindGlobal}}
	wasm := tmod{fns: []tfn{{params: []ValType{I32}, results: []ValType{I32}, code: []Instr{c32(0)}, export: "invoke"}}}.bytes()
	ctx := context.Background()
	for _, v := range []Version{FVM2, FVM3} {
		for _, rt := range runtimes {
			r := wazero.NewRuntimeWithConfig(ctx, rt.cfg().WithCoreFeatures(api.CoreFeaturesV2))
			defer r.Close(ctx)
			hm, err := r.InstantiateWithConfig(ctx, helper.Encode(), wazero.NewModuleConfig().WithName("gas"))
			if err != nil {
				t.Fatal(err)
			}
			g := hm.ExportedGlobal(GasCounterNameFVM3).(api.MutableGlobal)
			g.Set(uint64(bigGas))
			m, err := r.InstantiateWithConfig(ctx, mustInstrument(t, wasm, Options{Version: v, Gas: GasImport}), wazero.NewModuleConfig().WithName("actor"))
			if err != nil {
				t.Fatalf("%s %v: %v", rt.name, v, err)
			}
			if _, err := m.ExportedFunction("invoke").Call(ctx, 1); err != nil {
				t.Fatal(err)
			}
			if used := bigGas - int64(g.Get()); used != 60000 {
				t.Errorf("%s %v: used %d mg, want 60000", rt.name, v, used)
			}
		}
	}
}

// §4 max_height quirks, computed by hand (no locals, so cost = max height).
func TestMaxHeightQuirks(t *testing.T) {
	cases := []struct {
		name string
		code []Instr
		want uint32
	}{
		// `else` does not reset the height: before each op 2,3,2,3,3,4,3,2.
		{"else keeps height", []Instr{c32(1), blkT(OpIf, I32), c32(1), op(OpElse), c32(2), op(OpEnd), op(OpDrop)}, 4},
		// the unreachable flag of the then-branch persists into else: the
		// else-branch heights (3, 4) are not counted; max stays 3.
		{"unreachable persists", []Instr{c32(1), blk(OpIf), op(OpUnreachable), op(OpElse), c32(1), c32(2),
			op(OpDrop), op(OpDrop), op(OpEnd)}, 3},
		// a popped frame restores its own flag: heights after end count.
		{"end restores", []Instr{blk(OpBlock), op(OpUnreachable), op(OpEnd), c32(1), c32(2), op(OpDrop), op(OpDrop)}, 4},
	}
	for _, c := range cases {
		wasm := tmod{fns: []tfn{{code: c.code}}}.bytes()
		instantiate(t, runtimes[0].cfg(), mustInstrument(t, wasm, Options{Version: FVM3})) // valid wasm
		for _, v := range []Version{FVM2, FVM3} {
			m, bodies, err := decodeAll(wasm, v)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := StackCosts(m, bodies, v); err != nil || got[0] != c.want {
				t.Errorf("%s %v: cost %v (%v), want %d", c.name, v, got, err, c.want)
			}
		}
	}
}

// §4 pop quirk: in unreachable code the simulated height still drops, and
// going below 0 rejects the module although it is valid wasm. Function
// frame: height 2, `unreachable`, i32.add (2→0, push 1), i32.add (1−2
// underflows).
func TestPopUnderflowRejectsValidModule(t *testing.T) {
	wasm := tmod{fns: []tfn{{code: []Instr{op(OpUnreachable), op(OpI32Add), op(OpI32Add), op(OpDrop)}}}}.bytes()
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
	defer r.Close(ctx)
	if _, err := r.CompileModule(ctx, wasm); err != nil {
		t.Fatalf("the raw module should be valid: %v", err)
	}
	for _, v := range []Version{FVM2, FVM3} {
		if _, err := Instrument(wasm, Options{Version: v}); !isUnsupported(err) || !strings.Contains(err.Error(), "below zero") {
			t.Errorf("%v: err %v, want a below-zero rejection", v, err)
		}
	}
}

// Deeply nested ifs complete their spans innermost first (reverse
// order); instrumentation must stay near-linear.
func TestPathologicalNesting(t *testing.T) {
	const n = 100000
	code := make([]Instr, 0, 3*n)
	for i := 0; i < n; i++ {
		code = append(code, c32(1), blk(OpIf))
	}
	for i := 0; i < n; i++ {
		code = append(code, op(OpEnd))
	}
	wasm := tmod{fns: []tfn{{code: code, export: "f"}}}.bytes()
	start := time.Now()
	out := mustInstrument(t, wasm, Options{Version: FVM3, CanonicalizeNaN: true})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	_, bodies, err := decodeAll(out, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	// One charge per if body (its i32.const) plus the function's own block.
	charges := 0
	for _, in := range bodies[0].Instrs {
		if in.Op == OpI64Const {
			charges++
		}
	}
	if charges != n {
		t.Errorf("%d charges, want %d", charges, n)
	}
}
