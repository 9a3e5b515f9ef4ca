package instrument

import (
	"bytes"
	"strings"
	"testing"
)

// rawModule builds a module with one function `() -> ()` whose body is the
// given raw bytes (locals included), one memory and one table unless the
// mutate hook changes them.
func rawModule(body []byte, mutate func(m *Module)) []byte {
	m := &Module{}
	m.Types = []FuncType{{}, {Params: []ValType{I32}}}
	m.Funcs = []uint32{0}
	m.Code = [][]byte{body}
	m.Mems = [][]byte{{0x00, 0x01}}
	m.Tables = [][]byte{{0x70, 0x00, 0x01}}
	m.present[secFunction], m.present[secCode] = true, true
	if mutate != nil {
		mutate(m)
	}
	return m.Encode()
}

// TestValidateFeatures: every feature fvm-gas.md §4 switches off is
// rejected with ErrUnsupported and an error naming it; FVM v2 also rejects
// what parity-wasm 0.42 with `bulk` cannot parse (§3.2).
func TestValidateFeatures(t *testing.T) {
	noLocals := func(ops ...byte) []byte { return append([]byte{0x00}, append(ops, 0x0B)...) }
	cases := []struct {
		name     string
		wasm     []byte
		v17, v18 string // expected error substring; "" = accepted
	}{
		{"mvp ok", rawModule(noLocals(0x41, 0x01, 0x1A), nil), "", ""},
		{"SIMD", rawModule(noLocals(0xFD, 0x0C), nil), "SIMD", "SIMD"},
		{"atomics", rawModule(noLocals(0xFE, 0x03, 0x00), nil), "threads", "threads"},
		{"try", rawModule(noLocals(0x06, 0x40, 0x0B), nil), "exception", "exception"},
		{"return_call", rawModule(noLocals(0x12, 0x00), nil), "tail calls", "tail calls"},
		{"ref.null", rawModule(noLocals(0xD0, 0x70, 0x1A), nil), "reference types", "reference types"},
		{"ref.func", rawModule(noLocals(0xD2, 0x00, 0x1A), nil), "reference types", "reference types"},
		{"typed select", rawModule(noLocals(0x41, 0, 0x41, 0, 0x41, 0, 0x1C, 0x01, 0x7F, 0x1A), nil), "reference types", "reference types"},
		// fvm-gas-next.md §6.2: with reference types on (3.14.1, 4.8.2) the
		// table ops validate and 0.4.0 prices them; parity-wasm cannot parse
		// them. ref.null (here feeding table.set) stays refused.
		{"table.get", rawModule(noLocals(0x41, 0, 0x25, 0x00, 0x1A), nil), "reference types", ""},
		{"table.get padded table 0", rawModule(noLocals(0x41, 0, 0x25, 0x80, 0x00, 0x1A), nil), "reference types", ""},
		{"table.set", rawModule(noLocals(0x41, 0, 0xD0, 0x70, 0x26, 0x00), nil), "reference types", "reference types"},
		{"table.set after table.get", rawModule(noLocals(0x41, 0, 0x41, 0, 0x25, 0x00, 0x26, 0x00), nil), "reference types", ""},
		{"table.grow", rawModule(noLocals(0xFC, 0x0F, 0x00), nil), "reference types", ""},
		{"table.size", rawModule(noLocals(0xFC, 0x10, 0x00, 0x1A), nil), "reference types", ""},
		{"table.fill", rawModule(noLocals(0xFC, 0x11, 0x00), nil), "reference types", ""},
		{"table.size of table 1", rawModule(noLocals(0xFC, 0x10, 0x01, 0x1A), nil), "reference types", "table index"},
		{"funcref local", rawModule([]byte{0x01, 0x01, 0x70, 0x0B}, nil), "funcref", ""},
		{"funcref block", rawModule(noLocals(0x02, 0x70, 0x41, 0, 0x25, 0x00, 0x0B, 0x1A), nil), "funcref", ""},
		{"funcref parameter", rawModule(noLocals(), func(m *Module) {
			m.Types = append(m.Types, FuncType{Params: []ValType{FuncRef}})
		}), "funcref", ""},
		{"funcref global", rawModule(noLocals(), func(m *Module) {
			m.Globals = []Global{{GlobalType{FuncRef, true}, []byte{0xD0, 0x70, 0x0B}}}
		}), "funcref", ""},
		{"funcref global ref.func", rawModule(noLocals(), func(m *Module) {
			m.Globals = []Global{{GlobalType{FuncRef, false}, []byte{0xD2, 0x00, 0x0B}}}
		}), "funcref", ""},
		{"externref global", rawModule(noLocals(), func(m *Module) {
			m.Globals = []Global{{GlobalType{0x6F, true}, []byte{0xD0, 0x6F, 0x0B}}}
		}), "externref", "externref"},
		{"call_indirect table 1", rawModule(noLocals(0x41, 0, 0x11, 0x00, 0x01), nil), "table index", "table index"},
		// fvm-abi-next.md §1.5: B17/B18 write the table index as a padded
		// five-byte zero; 0.4.0 reads a LEB128, parity-wasm one byte.
		{"call_indirect padded table 0", rawModule(noLocals(0x41, 0, 0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00), nil), "table index", ""},
		{"call_indirect padded table 1", rawModule(noLocals(0x41, 0, 0x11, 0x00, 0x81, 0x80, 0x80, 0x80, 0x00), nil), "table index", "table index"},
		{"memory.fill padded memory 0", rawModule(noLocals(0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0B, 0x80, 0x00), nil), "memory index", ""},
		{"memory.grow padded memory 0", rawModule(noLocals(0x41, 0, 0x40, 0x80, 0x00, 0x1A), nil), "memory index", "memory index"},
		{"multi-value type", rawModule(noLocals(), func(m *Module) {
			m.Types = append(m.Types, FuncType{Results: []ValType{I32, I32}})
		}), "multi-value", "multi-value"},
		{"type-indexed block", rawModule(noLocals(0x02, 0x00, 0x0B), nil), "multi-value", "multi-value"},
		{"v128 local", rawModule([]byte{0x01, 0x01, 0x7B, 0x0B}, nil), "v128", "v128"},
		{"two memories", rawModule(noLocals(), func(m *Module) { m.Mems = append(m.Mems, []byte{0, 1}) }), "multi-memory", "multi-memory"},
		{"two tables", rawModule(noLocals(), func(m *Module) { m.Tables = append(m.Tables, []byte{0x70, 0, 1}) }), "", "tables"},
		{"externref table", rawModule(noLocals(), func(m *Module) { m.Tables = [][]byte{{0x6F, 0, 1}} }), "externref", "externref"},
		{"memory64", rawModule(noLocals(), func(m *Module) { m.Mems = [][]byte{{0x04, 1}} }), "memory64", "memory64"},
		{"shared memory", rawModule(noLocals(), func(m *Module) { m.Mems = [][]byte{{0x03, 1, 1}} }), "threads", "threads"},
		{"sign-ext", rawModule(noLocals(0x41, 0x01, 0xC0, 0x1A), nil), "FVM v2", ""},
		{"sat trunc", rawModule(noLocals(0x43, 0, 0, 0, 0, 0xFC, 0x00, 0x1A), nil), "FVM v2", ""},
		{"bulk memory", rawModule(noLocals(0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 0x00, 0x00, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0B, 0x00), nil), "", ""},
		{"memory.init data 1", rawModule(noLocals(0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x08, 0x01, 0x00), func(m *Module) {
			c := uint32(2)
			m.DataCount = &c
			m.Data = []Data{{Flags: 1}, {Flags: 1}}
		}), "wrong order", ""},
		{"passive element segment", rawModule(noLocals(), func(m *Module) {
			m.Elems = []Elem{{Flags: 1, Funcs: []uint32{0}}}
		}), "FVM v2", ""},
		{"element expressions", rawModule(noLocals(), func(m *Module) {
			m.Elems = []Elem{{Flags: 5, Funcs: []uint32{0}}} // one item: refused before it is read
		}), "FVM v2", "expression items"},
		{"element expressions, no item", rawModule(noLocals(), func(m *Module) {
			m.Elems = []Elem{{Flags: 4, Offset: []byte{0x41, 0x00, 0x0B}}}
		}), "FVM v2", ""},
	}
	for _, c := range cases {
		for v, want := range map[Version]string{FVM2: c.v17, FVM3: c.v18} {
			err := ValidateFeatures(c.wasm, v)
			switch {
			case want == "" && err != nil:
				t.Errorf("%s %v: unexpected %v", c.name, v, err)
			case want != "" && (!isUnsupported(err) || !strings.Contains(err.Error(), want)):
				t.Errorf("%s %v: err %v, want ErrUnsupported mentioning %q", c.name, v, err, want)
			}
		}
	}
}

// The padded call_indirect table index of B17/B18 (fvm-abi-next.md §1.5)
// is written back as the one-byte index 0, and the call still reaches the
// table entry (the thunk of the callee, fvm-gas.md §3.4).
func TestPaddedCallIndirectReencoded(t *testing.T) {
	m := &Module{}
	m.Types = []FuncType{{Results: []ValType{I32}}}
	m.Funcs = []uint32{0, 0}
	callee := EncodeBody(nil, &Body{Instrs: []Instr{c32(7), op(OpEnd)}})
	// body of f1: i32.const 0; call_indirect (type 0) table 0 padded to five bytes
	caller := []byte{0x00, 0x41, 0x00, 0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B}
	m.Code = [][]byte{callee, caller}
	m.Tables = [][]byte{{0x70, 0x00, 0x01}}
	m.Elems = []Elem{{Offset: []byte{0x41, 0x00, 0x0B}, Funcs: []uint32{0}}}
	m.Exports = []Export{{Name: "f", Kind: KindFunc, Index: 1}}
	m.present[secFunction], m.present[secCode] = true, true
	wasm := m.Encode()
	if _, err := Instrument(wasm, Options{Version: FVM2}); !isUnsupported(err) {
		t.Fatalf("FVM v2: err %v, want a rejection of the padded index", err)
	}
	out := mustInstrument(t, wasm, Options{Version: FVM3})
	_, bodies, err := decodeAll(out, FVM3)
	if err != nil {
		t.Fatal(err)
	}
	if enc := EncodeBody(nil, bodies[1]); bytes.Contains(enc, []byte{0x80, 0x80}) {
		t.Errorf("instrumented caller still padded: %x", enc)
	}
	for _, rt := range runtimes {
		inst := instantiate(t, rt.cfg(), out)
		// f's thunk 52 + f's block (i32.const, call_indirect) 8 + the
		// callee's thunk 52 + its i32.const 4 = 116 gas.
		res, used, err := inst.call(t, "f")
		if err != nil || res[0] != 7 || used != 116000 {
			t.Errorf("%s: res %v used %d mg (%v), want 7 and 116000", rt.name, res, used, err)
		}
	}
}
