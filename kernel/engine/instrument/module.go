package instrument

import "bytes"

// Section ids.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
)

// sectionRank orders the known sections as the binary format requires
// (datacount sits between element and code).
func sectionRank(id byte) int {
	switch {
	case id >= secType && id <= secElement:
		return int(id) * 2
	case id == secDataCount:
		return secElement*2 + 1
	case id == secCode || id == secData:
		return int(id) * 2
	}
	return -1
}

// External kinds.
const (
	KindFunc   = 0
	KindTable  = 1
	KindMemory = 2
	KindGlobal = 3
)

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

func (t FuncType) equal(o FuncType) bool {
	return bytes.Equal(vt(t.Params), vt(o.Params)) && bytes.Equal(vt(t.Results), vt(o.Results))
}

func vt(v []ValType) []byte {
	b := make([]byte, len(v))
	for i, t := range v {
		b[i] = byte(t)
	}
	return b
}

// Import is one import entry. Desc holds the raw type of table and memory
// imports; TypeIdx is set for functions, Global for globals.
type Import struct {
	Module, Name string
	Kind         byte
	TypeIdx      uint32
	Global       GlobalType
	Desc         []byte
}

// GlobalType is a global's value type and mutability.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// Global is a defined global with its raw constant initialiser (incl. end).
type Global struct {
	GlobalType
	Init []byte
}

// Export is one export entry.
type Export struct {
	Name  string
	Kind  byte
	Index uint32
}

// Elem is an element segment: function indices (flags 0–3), or, with flags
// 4–7, items written as expressions, of which the FVM v3 instrumenter
// accepts none (so Funcs is empty).
type Elem struct {
	Flags  uint32
	Table  uint32
	Offset []byte // raw constant expression incl. end; nil when passive/declarative
	Funcs  []uint32
}

// Data is a data segment.
type Data struct {
	Flags  uint32
	Mem    uint32
	Offset []byte
	Init   []byte
}

// Custom is a custom section, remembered with the rank of the section it followed.
type Custom struct {
	After   int
	Payload []byte // name and contents, as in the binary
}

// Module is the section-level view of a module. Function bodies stay raw
// until a pass decodes them.
type Module struct {
	Types     []FuncType
	Imports   []Import
	Funcs     []uint32 // type index of each defined function
	Tables    [][]byte // raw table types
	Mems      [][]byte // raw memory types
	Globals   []Global
	Exports   []Export
	HasStart  bool
	Start     uint32
	Elems     []Elem
	DataCount *uint32
	Code      [][]byte
	Data      []Data
	Customs   []Custom

	funcImports   []uint32 // type index of each imported function, see indexImports
	funcImportsOf int      // len(Imports) when funcImports was built

	hasFuncSection, hasCodeSection bool
	present                        [13]bool
}

// NumImported counts imports of one kind.
func (m *Module) NumImported(kind byte) uint32 {
	var n uint32
	for i := range m.Imports {
		if m.Imports[i].Kind == kind {
			n++
		}
	}
	return n
}

// indexImports caches the type indices of the imported functions, so that
// FuncTypeOf is O(1); call it whenever Imports changes.
func (m *Module) indexImports() {
	m.funcImports, m.funcImportsOf = m.funcImports[:0], len(m.Imports)
	for i := range m.Imports {
		if m.Imports[i].Kind == KindFunc {
			m.funcImports = append(m.funcImports, m.Imports[i].TypeIdx)
		}
	}
}

// FuncTypeOf returns the signature of function index f (imports first).
func (m *Module) FuncTypeOf(f uint32) (FuncType, bool) {
	if m.funcImportsOf != len(m.Imports) {
		m.indexImports()
	}
	var t uint32
	switch ni := uint64(len(m.funcImports)); {
	case uint64(f) < ni:
		t = m.funcImports[f]
	case uint64(f)-ni < uint64(len(m.Funcs)):
		t = m.Funcs[uint64(f)-ni]
	default:
		return FuncType{}, false
	}
	if int(t) >= len(m.Types) {
		return FuncType{}, false
	}
	return m.Types[t], true
}

// DecodeModule reads a module's sections; function bodies stay raw (see
// DecodeBody). It checks the structure (order, sizes, counts) and refuses
// what the FVM line v cannot load (fvm-gas.md §4, fvm-gas-next.md §6.2), but
// it does not type-check: the engine's validator does that.
func DecodeModule(wasm []byte, v Version) (*Module, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, malformed("missing wasm magic")
	}
	if !bytes.Equal(wasm[4:8], []byte{1, 0, 0, 0}) {
		return nil, malformed("unsupported wasm version %x", wasm[4:8])
	}
	m := &Module{}
	r := &reader{b: wasm, pos: 8}
	last := 0
	for !r.eof() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		payload, err := r.bytes(int(size))
		if err != nil {
			return nil, err
		}
		if id == secCustom {
			s := &reader{b: payload}
			if _, err := s.name(); err != nil {
				return nil, malformed("custom section name: %v", err)
			}
			m.Customs = append(m.Customs, Custom{After: last, Payload: payload})
			continue
		}
		rank := sectionRank(id)
		if rank < 0 {
			if id == 13 {
				return nil, unsupported("tag section (exception handling)")
			}
			return nil, malformed("unknown section id %d", id)
		}
		if rank <= last {
			return nil, malformed("section %d out of order or duplicated", id)
		}
		last = rank
		m.present[id] = true
		s := &reader{b: payload}
		if err := m.decodeSection(id, s, v); err != nil {
			return nil, err
		}
		if !s.eof() {
			return nil, malformed("section %d has %d trailing bytes", id, s.remaining())
		}
	}
	m.indexImports()
	if len(m.Code) != len(m.Funcs) {
		return nil, malformed("%d function declarations but %d bodies", len(m.Funcs), len(m.Code))
	}
	if m.DataCount != nil && int(*m.DataCount) != len(m.Data) {
		return nil, malformed("data count %d but %d data segments", *m.DataCount, len(m.Data))
	}
	nt := int(m.NumImported(KindTable)) + len(m.Tables)
	nm := int(m.NumImported(KindMemory)) + len(m.Mems)
	if nt > 1 && v == FVM3 {
		// FVM v3 and v4 pool instances with one table each (fvm-gas-next.md
		// §6.2), which wasmtime checks when it compiles the module. FVM v2
		// (2.12.1: wasmtime 36 with reference types on, no pooling) loads
		// more; its code can only reach table 0 (call_indirect, table.init
		// and table.copy read a zero byte for the table there).
		return nil, unsupported("%d tables: an FVM v3 or v4 instance has one", nt)
	}
	if nm > 1 {
		return nil, unsupported("%d memories (multi-memory)", nm)
	}
	return m, nil
}

func (m *Module) decodeSection(id byte, s *reader, v Version) error {
	switch id {
	case secType:
		n, err := s.count(3)
		if err != nil {
			return err
		}
		m.Types = make([]FuncType, n)
		for i := range m.Types {
			form, err := s.byte()
			if err != nil {
				return err
			}
			if form != 0x60 {
				return malformed("type form 0x%02x", form)
			}
			if m.Types[i].Params, err = valTypes(s, v); err != nil {
				return err
			}
			if m.Types[i].Results, err = valTypes(s, v); err != nil {
				return err
			}
			if len(m.Types[i].Results) > 1 {
				return unsupported("function type %d with %d results (multi-value)", i, len(m.Types[i].Results))
			}
		}
	case secImport:
		n, err := s.count(4)
		if err != nil {
			return err
		}
		m.Imports = make([]Import, n)
		for i := range m.Imports {
			im := &m.Imports[i]
			if im.Module, err = s.name(); err != nil {
				return err
			}
			if im.Name, err = s.name(); err != nil {
				return err
			}
			if im.Kind, err = s.byte(); err != nil {
				return err
			}
			start := s.pos
			switch im.Kind {
			case KindFunc:
				if im.TypeIdx, err = s.u32(); err != nil {
					return err
				}
				if int(im.TypeIdx) >= len(m.Types) {
					return malformed("import %q.%q: type index %d out of range", im.Module, im.Name, im.TypeIdx)
				}
			case KindTable:
				if err := tableType(s, v); err != nil {
					return err
				}
			case KindMemory:
				if err := memType(s); err != nil {
					return err
				}
			case KindGlobal:
				if im.Global, err = globalType(s, v); err != nil {
					return err
				}
			case 4:
				return unsupported("tag import (exception handling)")
			default:
				return malformed("import kind %d", im.Kind)
			}
			im.Desc = s.b[start:s.pos]
		}
	case secFunction:
		m.hasFuncSection = true
		n, err := s.count(1)
		if err != nil {
			return err
		}
		m.Funcs = make([]uint32, n)
		for i := range m.Funcs {
			if m.Funcs[i], err = s.u32(); err != nil {
				return err
			}
			if int(m.Funcs[i]) >= len(m.Types) {
				return malformed("function %d: type index %d out of range", i, m.Funcs[i])
			}
		}
	case secTable:
		n, err := s.count(3)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			start := s.pos
			if err := tableType(s, v); err != nil {
				return err
			}
			m.Tables = append(m.Tables, s.b[start:s.pos])
		}
	case secMemory:
		n, err := s.count(2)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			start := s.pos
			if err := memType(s); err != nil {
				return err
			}
			m.Mems = append(m.Mems, s.b[start:s.pos])
		}
	case secGlobal:
		n, err := s.count(4)
		if err != nil {
			return err
		}
		m.Globals = make([]Global, n)
		for i := range m.Globals {
			if m.Globals[i].GlobalType, err = globalType(s, v); err != nil {
				return err
			}
			if m.Globals[i].Init, err = constExpr(s, v); err != nil {
				return err
			}
		}
	case secExport:
		n, err := s.count(3)
		if err != nil {
			return err
		}
		m.Exports = make([]Export, n)
		for i := range m.Exports {
			e := &m.Exports[i]
			if e.Name, err = s.name(); err != nil {
				return err
			}
			if e.Kind, err = s.byte(); err != nil {
				return err
			}
			if e.Kind > KindGlobal {
				if e.Kind == 4 {
					return unsupported("tag export (exception handling)")
				}
				return malformed("export kind %d", e.Kind)
			}
			if e.Index, err = s.u32(); err != nil {
				return err
			}
		}
	case secStart:
		m.HasStart = true
		var err error
		if m.Start, err = s.u32(); err != nil {
			return err
		}
	case secElement:
		n, err := s.count(2)
		if err != nil {
			return err
		}
		m.Elems = make([]Elem, n)
		for i := range m.Elems {
			if err := m.decodeElem(&m.Elems[i], s, v); err != nil {
				return err
			}
		}
	case secDataCount:
		c, err := s.u32()
		if err != nil {
			return err
		}
		m.DataCount = &c
	case secCode:
		m.hasCodeSection = true
		n, err := s.count(2)
		if err != nil {
			return err
		}
		m.Code = make([][]byte, n)
		for i := range m.Code {
			size, err := s.u32()
			if err != nil {
				return err
			}
			if m.Code[i], err = s.bytes(int(size)); err != nil {
				return err
			}
		}
	case secData:
		n, err := s.count(2)
		if err != nil {
			return err
		}
		m.Data = make([]Data, n)
		for i := range m.Data {
			d := &m.Data[i]
			if d.Flags, err = s.u32(); err != nil {
				return err
			}
			switch d.Flags {
			case 0, 2:
				if d.Flags == 2 {
					if d.Mem, err = s.u32(); err != nil {
						return err
					}
					if d.Mem != 0 {
						return unsupported("data segment for memory %d (multi-memory)", d.Mem)
					}
				}
				if d.Offset, err = constExpr(s, v); err != nil {
					return err
				}
			case 1:
			default:
				return malformed("data segment flags %d", d.Flags)
			}
			l, err := s.u32()
			if err != nil {
				return err
			}
			if d.Init, err = s.bytes(int(l)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *Module) decodeElem(e *Elem, s *reader, v Version) error {
	var err error
	if e.Flags, err = s.u32(); err != nil {
		return err
	}
	if e.Flags > 7 {
		return malformed("element segment flags %d", e.Flags)
	}
	if v == FVM2 && e.Flags != 0 {
		// The FVM v2 decoder reads flags 1 and 2 in a draft encoding
		// without the element-kind byte and refuses the others
		// (parity-wasm 0.42.2 src/elements/segment.rs).
		return unsupported("element segment flags %d: the FVM v2 instrumenter cannot decode them", e.Flags)
	}
	if e.Flags == 2 || e.Flags == 6 {
		if e.Table, err = s.u32(); err != nil {
			return err
		}
		if e.Table != 0 {
			return unsupported("element segment for table %d: a module has one table", e.Table)
		}
	}
	if e.Flags&1 == 0 {
		if e.Offset, err = constExpr(s, v); err != nil {
			return err
		}
	}
	switch e.Flags {
	case 1, 2, 3: // elemkind: 0x00 is funcref
		k, err := s.byte()
		if err != nil {
			return err
		}
		if k != 0 {
			return malformed("element kind 0x%02x", k)
		}
	case 5, 6, 7: // reftype
		t, err := s.byte()
		if err != nil {
			return err
		}
		if t != byte(FuncRef) {
			if err := checkValType(t, v, "element segment"); err != nil {
				return err
			}
			return malformed("element segment of type 0x%02x", t)
		}
	}
	n, err := s.count(1)
	if err != nil {
		return err
	}
	if e.Flags&4 != 0 {
		// Items written as expressions (ref.func, ref.null): the FVM v3
		// metering applies its bare-`i32.const` offset test to every such
		// item (fvm-wasm-instrument 0.4.0 src/gas_metering/mod.rs), and no
		// valid funcref item passes it. A segment without items does.
		if n != 0 {
			return unsupported("element segment with %d expression items: the FVM v3 instrumenter refuses them", n)
		}
		return nil
	}
	e.Funcs = make([]uint32, n)
	for i := range e.Funcs {
		if e.Funcs[i], err = s.u32(); err != nil {
			return err
		}
	}
	return nil
}

func valTypes(s *reader, v Version) ([]ValType, error) {
	n, err := s.count(1)
	if err != nil {
		return nil, err
	}
	out := make([]ValType, n)
	for i := range out {
		c, err := s.byte()
		if err != nil {
			return nil, err
		}
		if err := checkValType(c, v, "parameter or result"); err != nil {
			return nil, err
		}
		out[i] = ValType(c)
	}
	return out, nil
}

func limits(s *reader, what string) error {
	f, err := s.byte()
	if err != nil {
		return err
	}
	switch f {
	case 0, 1:
	case 2, 3:
		return unsupported("shared %s (threads)", what)
	default:
		if f < 8 {
			return unsupported("64-bit %s (memory64)", what)
		}
		return malformed("%s limits flag 0x%02x", what, f)
	}
	min, err := s.u32()
	if err != nil {
		return err
	}
	if f == 1 {
		max, err := s.u32()
		if err != nil {
			return err
		}
		if max < min {
			return malformed("%s maximum %d below minimum %d", what, max, min)
		}
	}
	return nil
}

// Limits is the size range of a table (elements) or memory (pages).
type Limits struct {
	Min, Max uint32
	HasMax   bool
}

// parseLimits reads limits that DecodeModule has already checked.
func parseLimits(raw []byte) Limits {
	r := &reader{b: raw}
	f, _ := r.byte()
	var l Limits
	l.Min, _ = r.u32()
	if f&1 != 0 {
		l.Max, _ = r.u32()
		l.HasMax = true
	}
	return l
}

func appendLimits(b []byte, l Limits) []byte {
	if !l.HasMax {
		return appendU32(append(b, 0), l.Min)
	}
	return appendU32(appendU32(append(b, 1), l.Min), l.Max)
}

// TableLimits is the limits of an imported table.
func (im *Import) TableLimits() Limits { return parseLimits(im.Desc[1:]) }

// TableLimits and MemoryLimits are the limits of the i-th defined table or
// memory.
func (m *Module) TableLimits(i int) Limits  { return parseLimits(m.Tables[i][1:]) }
func (m *Module) MemoryLimits(i int) Limits { return parseLimits(m.Mems[i]) }

func tableType(s *reader, v Version) error {
	t, err := s.byte()
	if err != nil {
		return err
	}
	if t != byte(FuncRef) {
		if err := checkValType(t, v, "table"); err != nil {
			return err
		}
		return malformed("table of type 0x%02x", t)
	}
	return limits(s, "table")
}

func memType(s *reader) error { return limits(s, "memory") }

func globalType(s *reader, v Version) (GlobalType, error) {
	t, err := s.byte()
	if err != nil {
		return GlobalType{}, err
	}
	if err := checkValType(t, v, "global"); err != nil {
		return GlobalType{}, err
	}
	mu, err := s.byte()
	if err != nil {
		return GlobalType{}, err
	}
	if mu > 1 {
		return GlobalType{}, malformed("global mutability 0x%02x", mu)
	}
	return GlobalType{ValType(t), mu == 1}, nil
}

// constExpr reads a constant expression up to its end and returns its raw
// bytes (end included). For FVM v3 a funcref global may start as ref.null
// func or ref.func: the instrumenter copies global initialisers as they
// are, and its stack limiter checks only function bodies.
func constExpr(s *reader, v Version) ([]byte, error) {
	start := s.pos
	for {
		op, err := s.byte()
		if err != nil {
			return nil, err
		}
		switch op {
		case 0x0B:
			return s.b[start:s.pos], nil
		case 0x41:
			_, err = s.s32()
		case 0x42:
			_, err = s.s64()
		case 0x43:
			_, err = s.bytes(4)
		case 0x44:
			_, err = s.bytes(8)
		case 0x23:
			_, err = s.u32()
		case 0xD0:
			if v != FVM3 {
				return nil, unsupported("ref.null in a constant expression: the FVM v2 instrumenter has no reference types")
			}
			var t byte
			if t, err = s.byte(); err == nil {
				err = checkValType(t, v, "ref.null")
			}
		case 0xD2:
			if v != FVM3 {
				return nil, unsupported("ref.func in a constant expression: the FVM v2 instrumenter has no reference types")
			}
			_, err = s.u32()
		default:
			return nil, malformed("opcode 0x%02x in a constant expression", op)
		}
		if err != nil {
			return nil, err
		}
	}
}

// isI32ConstExpr reports whether a constant expression is exactly
// `i32.const k; end`, the only segment offset both instrumenters accept
// (fvm-gas.md §4).
func isI32ConstExpr(e []byte) bool {
	if len(e) < 2 || e[0] != 0x41 {
		return false
	}
	r := &reader{b: e, pos: 1}
	if _, err := r.s32(); err != nil {
		return false
	}
	return r.remaining() == 1 && e[len(e)-1] == 0x0B
}
