package engine

import (
	"errors"
	"testing"
)

func TestReadWasmInfo(t *testing.T) {
	withTable := func(min uint32, exportName string, kind byte) []byte {
		b := &wasmBuilder{}
		f := b.fn(nil, nil, nil)
		b.table = &[2]uint32{min, min + 5}
		b.export(exportName, kind, 0)
		_ = f
		return b.bytes()
	}
	importing := func() []byte {
		b := &wasmBuilder{}
		b.importFunc("a", "f", nil, nil)
		b.fn(nil, nil, nil)
		b.memory = &[2]int64{1, -1}
		b.export("memory", 2, 0)
		return b.bytes()
	}
	// An imported global: hand-assembled import section (kind 3).
	importedGlobal := append([]byte("\x00asm\x01\x00\x00\x00"), 2, 10, 1, 1, 'g', 3, 'c', 'n', 't', 3, tI64, 1)
	withStart := func() []byte {
		b := &wasmBuilder{}
		s := b.fn(nil, nil, nil)
		b.start = &s
		return b.bytes()
	}
	cases := []struct {
		name      string
		wasm      []byte
		table     bool
		tableMin  uint32
		elems     uint32
		nonFunc   string
		hasStart  bool
		malformed bool
	}{
		{"table exported as table", withTable(7, "table", 1), true, 7, 7, "", false, false},
		{"table under another name", withTable(7, "__indirect_function_table", 1), false, 0, 7, "", false, false},
		{"function named table", withTable(3, "table", 0), false, 0, 3, "", false, false},
		{"function imports only", importing(), false, 0, 0, "", false, false},
		{"imported global", importedGlobal, false, 0, 0, "g.cnt", false, false},
		{"start section", withStart(), false, 0, 0, "", true, false},
		{"no header", []byte("wasm"), false, 0, 0, "", false, true},
		{"section past the end", append([]byte("\x00asm\x01\x00\x00\x00"), 7, 50, 1), false, 0, 0, "", false, true},
		{"export index out of range", func() []byte {
			b := &wasmBuilder{}
			b.export("table", 1, 3)
			return b.bytes()
		}(), false, 0, 0, "", false, true},
	}
	for _, c := range cases {
		info, err := readWasmInfo(c.wasm)
		if c.malformed {
			if !errors.Is(err, errMalformed) {
				t.Errorf("%s: err = %v, want errMalformed", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if info.tableExport != c.table || info.tableExportMin != c.tableMin || info.tableElems != c.elems ||
			info.nonFuncImport != c.nonFunc || info.hasStart != c.hasStart {
			t.Errorf("%s: got %+v", c.name, info)
		}
	}
}
