package engine

// A tiny WebAssembly binary writer for test modules (core spec §5). It writes
// only what the tests need and validates nothing: wazero does.

const (
	tI32     = 0x7f
	tI64     = 0x7e
	tF64     = 0x7c
	tFuncref = 0x70
)

// Opcodes used by the tests.
const (
	opUnreachable  = 0x00
	opBlock        = 0x02
	opLoop         = 0x03
	opIf           = 0x04
	opEnd          = 0x0b
	opBr           = 0x0c
	opBrIf         = 0x0d
	opReturn       = 0x0f
	opCall         = 0x10
	opCallIndirect = 0x11
	opDrop         = 0x1a
	opLocalGet     = 0x20
	opLocalSet     = 0x21
	opLocalTee     = 0x22
	opGlobalGet    = 0x23
	opGlobalSet    = 0x24
	opI32Load      = 0x28
	opI64Load      = 0x29
	opF64Load      = 0x2b
	opI32Store     = 0x36
	opI64Store     = 0x37
	opF64Store     = 0x39
	opMemorySize   = 0x3f
	opMemoryGrow   = 0x40
	opI32Const     = 0x41
	opI64Const     = 0x42
	opF64Const     = 0x44
	opI32Eqz       = 0x45
	opI32LtU       = 0x49
	opI64LtS       = 0x53
	opI32Add       = 0x6a
	opI32Sub       = 0x6b
	opI32Mul       = 0x6c
	opI32RemU      = 0x70
	opI32Xor       = 0x73
	opI64Add       = 0x7c
	opI64Sub       = 0x7d
	opI64Mul       = 0x7e
	opI64Xor       = 0x85
	opF64Sqrt      = 0x9f
	opF64Add       = 0xa0
	opF64Sub       = 0xa1
	opF64Mul       = 0xa2
	opF64Div       = 0xa3
	opI32TruncF64U = 0xab
	opF64ConvI32U  = 0xb8
	opI64ReinterpF = 0xbd
	opPrefixFC     = 0xfc // bulk memory: 0x0a memory.copy, 0x0b memory.fill
)

func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func i32c(v int32) []byte { return sleb([]byte{opI32Const}, int64(v)) }
func i64c(v int64) []byte { return sleb([]byte{opI64Const}, v) }
func op(code byte, imm ...uint32) []byte {
	b := []byte{code}
	for _, i := range imm {
		b = uleb(b, uint64(i))
	}
	return b
}
func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

type wImport struct {
	mod, name string
	typ       uint32
}

type wFunc struct {
	typ    uint32
	locals []byte // valtypes, one per local
	body   []byte // without the final end
}

type wGlobal struct {
	vt   byte
	mut  bool
	init []byte // const expr without end
}

type wExport struct {
	name string
	kind byte
	idx  uint32
}

type wData struct {
	offset uint32
	data   []byte
}

type wasmBuilder struct {
	types   [][2][]byte
	imports []wImport
	funcs   []wFunc
	table   *[2]uint32 // min, max
	memory  *[2]int64  // min, max (-1: none)
	globals []wGlobal
	exports []wExport
	elem    []uint32 // at offset 0
	data    []wData
	start   *uint32
}

func (b *wasmBuilder) typ(params, results []byte) uint32 {
	for i, t := range b.types {
		if string(t[0]) == string(params) && string(t[1]) == string(results) {
			return uint32(i)
		}
	}
	b.types = append(b.types, [2][]byte{params, results})
	return uint32(len(b.types) - 1)
}

func (b *wasmBuilder) importFunc(mod, name string, params, results []byte) uint32 {
	b.imports = append(b.imports, wImport{mod, name, b.typ(params, results)})
	return uint32(len(b.imports) - 1)
}

// fn adds a function and returns its index (after all imports: add imports
// first).
func (b *wasmBuilder) fn(params, results, locals []byte, body ...[]byte) uint32 {
	b.funcs = append(b.funcs, wFunc{b.typ(params, results), locals, cat(body...)})
	return uint32(len(b.imports) + len(b.funcs) - 1)
}

func (b *wasmBuilder) global(vt byte, mut bool, init []byte) uint32 {
	b.globals = append(b.globals, wGlobal{vt, mut, init})
	return uint32(len(b.globals) - 1)
}

func (b *wasmBuilder) export(name string, kind byte, idx uint32) {
	b.exports = append(b.exports, wExport{name, kind, idx})
}

func section(out []byte, id byte, body []byte) []byte {
	out = append(out, id)
	out = uleb(out, uint64(len(body)))
	return append(out, body...)
}

func wname(b []byte, s string) []byte { return append(uleb(b, uint64(len(s))), s...) }

func (b *wasmBuilder) bytes() []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	var s []byte
	s = uleb(s, uint64(len(b.types)))
	for _, t := range b.types {
		s = append(s, 0x60)
		s = append(uleb(s, uint64(len(t[0]))), t[0]...)
		s = append(uleb(s, uint64(len(t[1]))), t[1]...)
	}
	out = section(out, 1, s)
	if len(b.imports) > 0 {
		s = uleb(nil, uint64(len(b.imports)))
		for _, im := range b.imports {
			s = wname(wname(s, im.mod), im.name)
			s = uleb(append(s, 0x00), uint64(im.typ))
		}
		out = section(out, 2, s)
	}
	if len(b.funcs) > 0 {
		s = uleb(nil, uint64(len(b.funcs)))
		for _, f := range b.funcs {
			s = uleb(s, uint64(f.typ))
		}
		out = section(out, 3, s)
	}
	if b.table != nil {
		s = uleb([]byte{1, tFuncref, 1}, uint64(b.table[0]))
		s = uleb(s, uint64(b.table[1]))
		out = section(out, 4, s)
	}
	if b.memory != nil {
		if b.memory[1] < 0 {
			s = uleb([]byte{1, 0}, uint64(b.memory[0]))
		} else {
			s = uleb(uleb([]byte{1, 1}, uint64(b.memory[0])), uint64(b.memory[1]))
		}
		out = section(out, 5, s)
	}
	if len(b.globals) > 0 {
		s = uleb(nil, uint64(len(b.globals)))
		for _, g := range b.globals {
			mut := byte(0)
			if g.mut {
				mut = 1
			}
			s = append(append(append(s, g.vt, mut), g.init...), opEnd)
		}
		out = section(out, 6, s)
	}
	if len(b.exports) > 0 {
		s = uleb(nil, uint64(len(b.exports)))
		for _, e := range b.exports {
			s = uleb(append(wname(s, e.name), e.kind), uint64(e.idx))
		}
		out = section(out, 7, s)
	}
	if b.start != nil {
		out = section(out, 8, uleb(nil, uint64(*b.start)))
	}
	if len(b.elem) > 0 {
		s = append([]byte{1, 0}, i32c(0)...)
		s = append(s, opEnd)
		s = uleb(s, uint64(len(b.elem)))
		for _, f := range b.elem {
			s = uleb(s, uint64(f))
		}
		out = section(out, 9, s)
	}
	if len(b.data) > 0 {
		// Bulk memory requires a data count section before code.
		out = section(out, 12, uleb(nil, uint64(len(b.data))))
	}
	s = uleb(nil, uint64(len(b.funcs)))
	for _, f := range b.funcs {
		var body []byte
		body = uleb(body, uint64(len(f.locals)))
		for _, l := range f.locals {
			body = append(body, 1, l)
		}
		body = append(append(body, f.body...), opEnd)
		s = append(uleb(s, uint64(len(body))), body...)
	}
	out = section(out, 10, s)
	if len(b.data) > 0 {
		out = section(out, 11, b.dataSection())
	}
	return out
}

func (b *wasmBuilder) dataSection() []byte {
	s := uleb(nil, uint64(len(b.data)))
	for _, d := range b.data {
		s = append(s, 0)
		s = append(s, i32c(int32(d.offset))...)
		s = append(s, opEnd)
		s = uleb(s, uint64(len(d.data)))
		s = append(s, d.data...)
	}
	return s
}
