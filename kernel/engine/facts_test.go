package engine

import (
	"errors"
	"testing"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

func TestReadFacts(t *testing.T) {
	withTable := func(min uint32, exportName string, kind byte) []byte {
		b := &wasmBuilder{}
		b.fn(nil, nil, nil)
		b.table = &[2]uint32{min, min + 5}
		b.export(exportName, kind, 0)
		return b.bytes()
	}
	importing := func() []byte {
		b := &wasmBuilder{}
		b.importFunc("a", "f", nil, nil)
		b.fn(nil, nil, nil)
		b.memory = &[2]int64{3, -1}
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
		want      moduleFacts
		malformed bool
	}{
		{"table exported as table", withTable(7, "table", 1), moduleFacts{tableExport: true, tableExportMin: 7, tableElems: 7, largestTable: 7, tableMax: 12}, false},
		{"table under another name", withTable(7, "__indirect_function_table", 1), moduleFacts{tableElems: 7, largestTable: 7, tableMax: 12}, false},
		{"function named table", withTable(3, "table", 0), moduleFacts{tableElems: 3, largestTable: 3, tableMax: 8}, false},
		{"function imports, 3 pages", importing(), moduleFacts{memoryMin: 3 << 16}, false},
		{"imported global", importedGlobal, moduleFacts{nonFuncImport: "g.cnt"}, false},
		{"start section", withStart(), moduleFacts{hasStart: true}, false},
		{"no header", []byte("wasm"), moduleFacts{}, true},
		{"section past the end", append([]byte("\x00asm\x01\x00\x00\x00"), 7, 50, 1), moduleFacts{}, true},
		{"export index out of range", func() []byte {
			b := &wasmBuilder{}
			b.export("table", 1, 3)
			return b.bytes()
		}(), moduleFacts{}, true},
	}
	for _, c := range cases {
		got, err := readFacts(c.wasm, V3)
		if c.malformed {
			if !errors.Is(err, instrument.ErrMalformed) {
				t.Errorf("%s: err = %v, want ErrMalformed", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}
