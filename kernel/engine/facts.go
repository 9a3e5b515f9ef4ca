package engine

import (
	"fmt"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// moduleFacts is what the engine reads from a module's sections itself,
// because wazero's CompiledModule does not say it. It comes from the
// instrumenter's decoder, the one wasm section reader of the project.
type moduleFacts struct {
	// nonFuncImport is the first import that is not a function
	// ("module.name"): the host modules export only functions, so it is a
	// link error (fvm-abi.md §1.1).
	nonFuncImport string
	// tableExport and tableExportMin: a table exported under exactly the
	// name `table` and its minimum, the base of wasm_table_init
	// (fvm-gas.md §2.2).
	tableExport    bool
	tableExportMin uint32
	// tableElems is the sum of the defined tables' minimums, counted
	// against the call stack's memory (fvm-gas.md §4); largestTable the
	// largest of them.
	tableElems   uint64
	largestTable uint32
	// tableMax is the defined table's maximum (MaxTableElements when it
	// declares none), and growsTables whether the code imports the table
	// growth hook.
	tableMax    uint32
	growsTables bool
	// memoryMin is the defined memory's minimum in bytes (0 without one).
	memoryMin uint64
	// hasStart: the module has a start function (never prewarmed).
	hasStart bool
}

// instrumentVersion is the instrumenter a variant runs.
func (v Variant) instrumentVersion() instrument.Version {
	if v == V2 {
		return instrument.FVM2
	}
	return instrument.FVM3
}

// readFacts decodes wasm's sections (not its function bodies). Errors wrap
// instrument.ErrMalformed or instrument.ErrUnsupported.
func readFacts(wasm []byte, v Variant) (moduleFacts, error) {
	var f moduleFacts
	m, err := instrument.DecodeModule(wasm, v.instrumentVersion())
	if err != nil {
		return f, err
	}
	var tables []instrument.Limits // imported tables first, as indexed
	for _, im := range m.Imports {
		if im.Kind != instrument.KindFunc && f.nonFuncImport == "" {
			f.nonFuncImport = im.Module + "." + im.Name
		}
		if im.Kind == instrument.KindTable {
			tables = append(tables, im.TableLimits())
		}
		if im.Kind == instrument.KindFunc && im.Module == instrument.HookModule && im.Name == instrument.TableHookName {
			f.growsTables = true
		}
	}
	for i := range m.Tables {
		l := m.TableLimits(i)
		tables = append(tables, l)
		f.tableElems += uint64(l.Min)
		f.largestTable = max(f.largestTable, l.Min)
		f.tableMax = MaxTableElements
		if l.HasMax {
			f.tableMax = min(f.tableMax, l.Max)
		}
	}
	for i := range m.Mems {
		f.memoryMin = uint64(m.MemoryLimits(i).Min) * 65536
	}
	for _, e := range m.Exports {
		if e.Name != "table" || e.Kind != instrument.KindTable {
			continue
		}
		if uint64(e.Index) >= uint64(len(tables)) {
			return f, fmt.Errorf("%w: table export index %d out of range", instrument.ErrMalformed, e.Index)
		}
		f.tableExport, f.tableExportMin = true, tables[e.Index].Min
	}
	f.hasStart = m.HasStart
	return f, nil
}
