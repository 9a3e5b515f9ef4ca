package instrument

import (
	"fmt"
	"math"
)

// ValType is a wasm value type byte.
type ValType byte

// The value types the engines accept: the four numeric types everywhere,
// funcref with the 0.4.0 instrumenter (wasmtime validates reference types
// for FVM v3 and v4 today, fvm-gas-next.md §6.2). No v128 (SIMD is off) and
// no externref (it needs wasmtime's GC types, which the FVM's wasmtime
// build leaves out).
const (
	I32     ValType = 0x7F
	I64     ValType = 0x7E
	F32     ValType = 0x7D
	F64     ValType = 0x7C
	FuncRef ValType = 0x70
)

func (t ValType) numeric() bool { return t >= F64 && t <= I32 }

// checkValType accepts the value types of v; what names the position.
func checkValType(t byte, v Version, what string) error {
	switch {
	case ValType(t).numeric():
		return nil
	case ValType(t) == FuncRef && v == FVM3:
		return nil
	case ValType(t) == FuncRef:
		return unsupported("%s of type funcref: the FVM v2 instrumenter has no reference types", what)
	case t == 0x6F:
		return unsupported("%s of type externref: the FVM's wasmtime is built without GC types", what)
	case t == 0x7B:
		return unsupported("%s of type v128 (SIMD)", what)
	}
	return unsupported("%s of type 0x%02x", what, t)
}

// BlockEmpty is the block type of a block without result.
const BlockEmpty = 0x40

// Instr is one decoded instruction. The meaning of X and Y depends on Op:
//   - block/loop/if: X = block type byte (0x40 or a value type);
//   - br/br_if, call, local.*, global.*, data.drop, elem.drop: X = index;
//   - br_table: X = index into Body.BrTables, Y = default label;
//   - call_indirect: X = type index (the table is 0);
//   - loads/stores: X = alignment exponent, Y = offset;
//   - i32.const/i64.const: Y = the value as int64 bits; f32/f64.const: Y = IEEE bits;
//   - memory.init: X = data index; table.init: X = element index.
type Instr struct {
	Op Op
	X  uint32
	Y  uint64
}

// I32 returns the immediate of an i32.const.
func (in Instr) I32() int32 { return int32(int64(in.Y)) }

// LocalGroup is one local declaration: Count locals of Type.
type LocalGroup struct {
	Count uint32
	Type  ValType
}

// Body is a decoded function body.
type Body struct {
	Locals   []LocalGroup
	Instrs   []Instr
	BrTables [][]uint32
}

// NumLocals is the total number of declared locals (not parameters).
func (b *Body) NumLocals() uint64 {
	var n uint64
	for _, g := range b.Locals {
		n += uint64(g.Count)
	}
	return n
}

// DecodeOptions selects the instruction set a body may use.
type DecodeOptions struct {
	// Version is the line whose decoder is reproduced: FVM2 refuses sign
	// extension, saturating truncation and the reference-types ops, and
	// sees an OpPhantomUnreachable after memory.copy and table.copy.
	Version Version
}

// maxLocals is the most locals a function may declare: wasmtime's
// validator refuses more.
const maxLocals = 50000

// DecodeBody decodes a function body (without its size prefix): local
// declarations then instructions up to and including the final `end`.
func DecodeBody(code []byte, opts DecodeOptions) (*Body, error) {
	r := &reader{b: code}
	ng, err := r.count(2)
	if err != nil {
		return nil, err
	}
	b := &Body{Locals: make([]LocalGroup, 0, ng)}
	var total uint64
	for i := 0; i < ng; i++ {
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		t, err := r.byte()
		if err != nil {
			return nil, err
		}
		if err := checkValType(t, opts.Version, "local"); err != nil {
			return nil, err
		}
		total += uint64(n)
		if total > maxLocals {
			return nil, unsupported("too many locals (%d)", total)
		}
		b.Locals = append(b.Locals, LocalGroup{n, ValType(t)})
	}
	// A rough capacity: most instructions take 1-3 bytes.
	b.Instrs = make([]Instr, 0, r.remaining()/2+1)
	depth := 1
	for depth > 0 {
		if r.eof() {
			return nil, malformed("function body ends without final end")
		}
		start := r.pos
		op, err := r.byte()
		if err != nil {
			return nil, err
		}
		var in Instr
		var inf *opInfo
		if op == 0xFC {
			sub, err := r.u32()
			if err != nil {
				return nil, err
			}
			if sub >= uint32(len(fcTable)) {
				return nil, malformed("unknown opcode 0xFC %d at offset %d", sub, start)
			}
			in.Op = Op(0xFC00 | sub)
			inf = &fcTable[sub]
		} else {
			inf = &opTable[op]
			if !inf.known {
				if f := rejectedOp(op); f != "" {
					return nil, unsupported("opcode 0x%02x (%s) at offset %d", op, f, start)
				}
				return nil, malformed("unknown opcode 0x%02x at offset %d", op, start)
			}
			in.Op = Op(op)
		}
		if inf.fvm3Only && opts.Version == FVM2 {
			return nil, unsupported("%s at offset %d: the FVM v2 instrumenter cannot decode %s ops (fvm-gas.md §3.2)", inf.name, start, inf.proposal)
		}
		phantom := false
		switch inf.imm {
		case immNone:
		case immBlock:
			bt, err := r.s33()
			if err != nil {
				return nil, err
			}
			switch {
			case bt == -0x40:
				in.X = BlockEmpty
			case bt >= -4 && bt <= -1:
				in.X = uint32(0x80 + bt)
			case bt == -16 && opts.Version == FVM3: // funcref
				in.X = uint32(FuncRef)
			case bt >= 0:
				return nil, unsupported("type-indexed block type at offset %d (multi-value)", start)
			default:
				if err := checkValType(byte(bt&0x7F), opts.Version, "block"); err != nil {
					return nil, fmt.Errorf("at offset %d: %w", start, err)
				}
				return nil, malformed("block type %d at offset %d", bt, start)
			}
		case immLabel, immIndex:
			if in.X, err = r.u32(); err != nil {
				return nil, err
			}
		case immBrTable:
			n, err := r.count(1)
			if err != nil {
				return nil, err
			}
			t := make([]uint32, n)
			for i := range t {
				if t[i], err = r.u32(); err != nil {
					return nil, err
				}
			}
			d, err := r.u32()
			if err != nil {
				return nil, err
			}
			in.X = uint32(len(b.BrTables))
			in.Y = uint64(d)
			b.BrTables = append(b.BrTables, t)
		case immCallIndirect:
			if in.X, err = r.u32(); err != nil {
				return nil, err
			}
			if err := zeroIndex(r, opts.Version, "call_indirect table index", start); err != nil {
				return nil, err
			}
		case immMemarg:
			a, err := r.u32()
			if err != nil {
				return nil, err
			}
			if a&0x40 != 0 {
				return nil, unsupported("memory index in memarg at offset %d (multi-memory)", start)
			}
			o, err := r.u32()
			if err != nil {
				return nil, err
			}
			in.X, in.Y = a, uint64(o)
		case immZeroByte:
			if err := zeroByte(r, inf.name+" memory index", start); err != nil {
				return nil, err
			}
		case immMemIndex:
			if err := zeroIndex(r, opts.Version, inf.name+" memory index", start); err != nil {
				return nil, err
			}
		case immTableIndex:
			if err := zeroIndex(r, opts.Version, inf.name+" table index", start); err != nil {
				return nil, err
			}
		case immI32:
			v, err := r.s32()
			if err != nil {
				return nil, err
			}
			in.Y = uint64(int64(v))
		case immI64:
			v, err := r.s64()
			if err != nil {
				return nil, err
			}
			in.Y = uint64(v)
		case immF32:
			bs, err := r.bytes(4)
			if err != nil {
				return nil, err
			}
			in.Y = uint64(uint32(bs[0]) | uint32(bs[1])<<8 | uint32(bs[2])<<16 | uint32(bs[3])<<24)
		case immF64:
			bs, err := r.bytes(8)
			if err != nil {
				return nil, err
			}
			var v uint64
			for i := 7; i >= 0; i-- {
				v = v<<8 | uint64(bs[i])
			}
			in.Y = v
		case immMemInit, immTableInit:
			what := "memory.init data index"
			if inf.imm == immTableInit {
				what = "table.init element index"
			}
			if opts.Version == FVM2 {
				// The FVM v2 decoder expects the reserved zero byte before
				// the segment index rather than after it (parity-wasm 0.42.2
				// src/elements/ops.rs), so only the one-byte index 0 reads
				// as the segment it is.
				c, err := r.byte()
				if err != nil {
					return nil, err
				}
				if c != 0 {
					return nil, unsupported("%s %d at offset %d: the FVM v2 instrumenter reads the immediates in the wrong order and refuses them", what, c, start)
				}
				in.X = 0
			} else if in.X, err = r.u32(); err != nil {
				return nil, err
			}
			if err := zeroIndex(r, opts.Version, inf.name+" memory/table index", start); err != nil {
				return nil, err
			}
		case immZeroZero:
			if err := zeroIndex(r, opts.Version, inf.name+" index", start); err != nil {
				return nil, err
			}
			if err := zeroIndex(r, opts.Version, inf.name+" index", start); err != nil {
				return nil, err
			}
			phantom = opts.Version == FVM2
		}
		switch in.Op {
		case OpBlock, OpLoop, OpIf:
			depth++
		case OpEnd:
			depth--
		}
		b.Instrs = append(b.Instrs, in)
		if phantom {
			b.Instrs = append(b.Instrs, Instr{Op: OpPhantomUnreachable})
		}
	}
	if !r.eof() {
		return nil, malformed("%d trailing bytes after the final end of a function body", r.remaining())
	}
	return b, nil
}

// zeroIndex reads a memory or table index that must name the module's only
// memory or table. The FVM v3 instrumenter reads it as a u32 LEB128, so a
// padded zero (`80 80 80 80 00`, B17/B18's call_indirect, fvm-abi-next.md
// §1.5) is the index 0, written back in one byte; the FVM v2 instrumenter
// reads one byte, which must be zero.
func zeroIndex(r *reader, v Version, what string, start int) error {
	if v == FVM2 {
		return zeroByte(r, what, start)
	}
	x, err := r.u32()
	if err != nil {
		return err
	}
	if x != 0 {
		return unsupported("%s %d at offset %d: a module has one memory and one table", what, x, start)
	}
	return nil
}

func zeroByte(r *reader, what string, start int) error {
	c, err := r.byte()
	if err != nil {
		return err
	}
	if c != 0 {
		return unsupported("%s 0x%02x at offset %d (multiple memories/tables or non-minimal encoding)", what, c, start)
	}
	return nil
}

// EncodeBody appends the encoding of b (without size prefix) to dst.
func EncodeBody(dst []byte, b *Body) []byte {
	dst = appendU32(dst, uint32(len(b.Locals)))
	for _, g := range b.Locals {
		dst = appendU32(dst, g.Count)
		dst = append(dst, byte(g.Type))
	}
	for _, in := range b.Instrs {
		dst = appendInstr(dst, in, b.BrTables)
	}
	return dst
}

func appendInstr(dst []byte, in Instr, tables [][]uint32) []byte {
	if in.Op == OpPhantomUnreachable {
		return dst
	}
	var inf *opInfo
	if in.Op>>8 == 0xFC {
		dst = append(dst, 0xFC)
		dst = appendU32(dst, uint32(in.Op&0xFF))
		inf = &fcTable[in.Op&0xFF]
	} else {
		dst = append(dst, byte(in.Op))
		inf = &opTable[in.Op]
	}
	switch inf.imm {
	case immBlock:
		dst = append(dst, byte(in.X))
	case immLabel, immIndex:
		dst = appendU32(dst, in.X)
	case immBrTable:
		t := tables[in.X]
		dst = appendU32(dst, uint32(len(t)))
		for _, l := range t {
			dst = appendU32(dst, l)
		}
		dst = appendU32(dst, uint32(in.Y))
	case immCallIndirect:
		dst = appendU32(dst, in.X)
		dst = append(dst, 0)
	case immMemarg:
		dst = appendU32(dst, in.X)
		dst = appendU32(dst, uint32(in.Y))
	case immZeroByte, immMemIndex, immTableIndex:
		dst = append(dst, 0)
	case immI32, immI64:
		dst = appendS64(dst, int64(in.Y))
	case immF32:
		v := uint32(in.Y)
		dst = append(dst, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	case immF64:
		v := in.Y
		for i := 0; i < 8; i++ {
			dst = append(dst, byte(v>>(8*i)))
		}
	case immMemInit, immTableInit:
		dst = appendU32(dst, in.X)
		dst = append(dst, 0)
	case immZeroZero:
		dst = append(dst, 0, 0)
	}
	return dst
}

// Constructors used by the passes.

func iConst32(v int32) Instr      { return Instr{Op: OpI32Const, Y: uint64(int64(v))} }
func iConst64(v int64) Instr      { return Instr{Op: OpI64Const, Y: uint64(v)} }
func iF32Const(bits uint32) Instr { return Instr{Op: OpF32Const, Y: uint64(bits)} }
func iF64Const(bits uint64) Instr { return Instr{Op: OpF64Const, Y: bits} }
func iOp(op Op) Instr             { return Instr{Op: op} }
func iIdx(op Op, x uint32) Instr  { return Instr{Op: op, X: x} }

var _ = math.Float32bits
