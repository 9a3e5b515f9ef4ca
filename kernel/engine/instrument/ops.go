package instrument

// Op is an instruction opcode: the byte itself for single-byte opcodes, and
// 0xFC00|sub for the 0xFC-prefixed ones (saturating truncation, bulk memory).
type Op uint16

// Opcodes used by name in this package. The full set is in opTable.
const (
	OpUnreachable   Op = 0x00
	OpNop           Op = 0x01
	OpBlock         Op = 0x02
	OpLoop          Op = 0x03
	OpIf            Op = 0x04
	OpElse          Op = 0x05
	OpEnd           Op = 0x0B
	OpBr            Op = 0x0C
	OpBrIf          Op = 0x0D
	OpBrTable       Op = 0x0E
	OpReturn        Op = 0x0F
	OpCall          Op = 0x10
	OpCallIndirect  Op = 0x11
	OpDrop          Op = 0x1A
	OpSelect        Op = 0x1B
	OpLocalGet      Op = 0x20
	OpLocalSet      Op = 0x21
	OpLocalTee      Op = 0x22
	OpGlobalGet     Op = 0x23
	OpGlobalSet     Op = 0x24
	OpMemorySize    Op = 0x3F
	OpMemoryGrow    Op = 0x40
	OpI32Const      Op = 0x41
	OpI64Const      Op = 0x42
	OpF32Const      Op = 0x43
	OpF64Const      Op = 0x44
	OpI32GtU        Op = 0x4B
	OpI64LtS        Op = 0x53
	OpF32Eq         Op = 0x5B
	OpF64Eq         Op = 0x61
	OpI32Add        Op = 0x6A
	OpI32Sub        Op = 0x6B
	OpI64Sub        Op = 0x7D
	OpI64Mul        Op = 0x7E
	OpI64ExtendI32U Op = 0xAD

	OpMemoryInit Op = 0xFC08
	OpDataDrop   Op = 0xFC09
	OpMemoryCopy Op = 0xFC0A
	OpMemoryFill Op = 0xFC0B
	OpTableInit  Op = 0xFC0C
	OpElemDrop   Op = 0xFC0D
	OpTableCopy  Op = 0xFC0E
	OpTableGrow  Op = 0xFC0F
	OpTableSize  Op = 0xFC10
	OpTableFill  Op = 0xFC11
	OpTableGet   Op = 0x25
	OpTableSet   Op = 0x26

	OpF32DemoteF64  Op = 0xB6
	OpF64PromoteF32 Op = 0xBB

	// OpPhantomUnreachable is not a wasm instruction. The FVM v2 decoder
	// (parity-wasm 0.42.2, src/elements/ops.rs) reads only one of the two
	// reserved bytes of memory.copy and table.copy, and reads the second
	// 0x00 as an `unreachable`. The FVM v2 stack limiter and metering
	// therefore see an `unreachable` after each of them; this op stands for
	// it and encodes to nothing, the copy writing both bytes itself.
	OpPhantomUnreachable Op = 0xFFFF
)

type immKind uint8

const (
	immNone immKind = iota
	immBlock
	immLabel
	immBrTable
	immIndex
	immCallIndirect
	immMemarg
	immZeroByte // memory.size, memory.grow: a single zero byte in every version
	immMemIndex // memory.fill: the memory index
	immI32
	immI64
	immF32
	immF64
	immMemInit
	immZeroZero
	immTableInit
	immTableIndex // table.get/set/grow/size/fill: the table index
)

// stackClass is an instruction's effect in the stack-height simulation
// (fvm-gas.md §4, "max_height algorithm").
type stackClass uint8

const (
	stNone      stackClass = iota
	stControl              // handled one by one
	stPush1                // push 1
	stPop1                 // pop 1
	stPop1Push1            // pop 1, push 1
	stPop2                 // pop 2
	stPop2Push1            // pop 2, push 1
	stPop3                 // pop 3
	stSelect               // pop 2, pop 1, push 1
)

type opInfo struct {
	name string
	imm  immKind
	st   stackClass
	// fvm3Only: the FVM v2 decoder cannot read it; proposal names its
	// wasm proposal for messages.
	fvm3Only bool
	proposal string
	nan      uint8 // 4 or 8: result is an f32/f64 that cranelift canonicalises
	known    bool
}

var opTable [256]opInfo
var fcTable [18]opInfo

func def(op byte, name string, imm immKind, st stackClass) {
	opTable[op] = opInfo{name: name, imm: imm, st: st, known: true}
}

func init() {
	c := stControl
	def(0x00, "unreachable", immNone, c)
	def(0x01, "nop", immNone, stNone)
	def(0x02, "block", immBlock, c)
	def(0x03, "loop", immBlock, c)
	def(0x04, "if", immBlock, c)
	def(0x05, "else", immNone, c)
	def(0x0B, "end", immNone, c)
	def(0x0C, "br", immLabel, c)
	def(0x0D, "br_if", immLabel, c)
	def(0x0E, "br_table", immBrTable, c)
	def(0x0F, "return", immNone, c)
	def(0x10, "call", immIndex, c)
	def(0x11, "call_indirect", immCallIndirect, c)
	def(0x1A, "drop", immNone, stPop1)
	def(0x1B, "select", immNone, stSelect)
	def(0x20, "local.get", immIndex, stPush1)
	def(0x21, "local.set", immIndex, stPop1)
	def(0x22, "local.tee", immIndex, stPop1Push1)
	def(0x23, "global.get", immIndex, stPush1)
	def(0x24, "global.set", immIndex, stPop1)
	// Reference types (fvm-gas-next.md §6.2): wasmtime validates these from
	// 3.11.0 and 4.2.0, and the 0.4.0 instrumenter reads and prices them.
	def(0x25, "table.get", immTableIndex, stPop1Push1)
	def(0x26, "table.set", immTableIndex, stPop2)
	opTable[0x25].fvm3Only, opTable[0x25].proposal = true, "reference types"
	opTable[0x26].fvm3Only, opTable[0x26].proposal = true, "reference types"
	loads := []string{"i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s", "i32.load8_u",
		"i32.load16_s", "i32.load16_u", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u",
		"i64.load32_s", "i64.load32_u"}
	for i, n := range loads {
		def(byte(0x28+i), n, immMemarg, stPop1Push1)
	}
	stores := []string{"i32.store", "i64.store", "f32.store", "f64.store", "i32.store8", "i32.store16",
		"i64.store8", "i64.store16", "i64.store32"}
	for i, n := range stores {
		def(byte(0x36+i), n, immMemarg, stPop2)
	}
	def(0x3F, "memory.size", immZeroByte, stPush1)
	def(0x40, "memory.grow", immZeroByte, stPop1Push1)
	def(0x41, "i32.const", immI32, stPush1)
	def(0x42, "i64.const", immI64, stPush1)
	def(0x43, "f32.const", immF32, stPush1)
	def(0x44, "f64.const", immF64, stPush1)
	def(0x45, "i32.eqz", immNone, stPop1Push1)
	for i, n := range []string{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"} {
		def(byte(0x46+i), "i32."+n, immNone, stPop2Push1)
		def(byte(0x51+i), "i64."+n, immNone, stPop2Push1)
	}
	def(0x50, "i64.eqz", immNone, stPop1Push1)
	for i, n := range []string{"eq", "ne", "lt", "gt", "le", "ge"} {
		def(byte(0x5B+i), "f32."+n, immNone, stPop2Push1)
		def(byte(0x61+i), "f64."+n, immNone, stPop2Push1)
	}
	for i, n := range []string{"clz", "ctz", "popcnt"} {
		def(byte(0x67+i), "i32."+n, immNone, stPop1Push1)
		def(byte(0x79+i), "i64."+n, immNone, stPop1Push1)
	}
	for i, n := range []string{"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or",
		"xor", "shl", "shr_s", "shr_u", "rotl", "rotr"} {
		def(byte(0x6A+i), "i32."+n, immNone, stPop2Push1)
		def(byte(0x7C+i), "i64."+n, immNone, stPop2Push1)
	}
	for i, n := range []string{"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"} {
		def(byte(0x8B+i), "f32."+n, immNone, stPop1Push1)
		def(byte(0x99+i), "f64."+n, immNone, stPop1Push1)
		if i >= 2 { // ceil, floor, trunc, nearest, sqrt
			opTable[0x8B+i].nan = 4
			opTable[0x99+i].nan = 8
		}
	}
	for i, n := range []string{"add", "sub", "mul", "div", "min", "max", "copysign"} {
		def(byte(0x92+i), "f32."+n, immNone, stPop2Push1)
		def(byte(0xA0+i), "f64."+n, immNone, stPop2Push1)
		if i < 6 { // all but copysign
			opTable[0x92+i].nan = 4
			opTable[0xA0+i].nan = 8
		}
	}
	convs := []string{"i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s",
		"i32.trunc_f64_u", "i64.extend_i32_s", "i64.extend_i32_u", "i64.trunc_f32_s", "i64.trunc_f32_u",
		"i64.trunc_f64_s", "i64.trunc_f64_u", "f32.convert_i32_s", "f32.convert_i32_u",
		"f32.convert_i64_s", "f32.convert_i64_u", "f32.demote_f64", "f64.convert_i32_s",
		"f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
		"i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64"}
	for i, n := range convs {
		def(byte(0xA7+i), n, immNone, stPop1Push1)
	}
	for i, n := range []string{"i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"} {
		def(byte(0xC0+i), n, immNone, stPop1Push1)
		opTable[0xC0+i].fvm3Only, opTable[0xC0+i].proposal = true, "sign extension"
	}
	sat := []string{"i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
		"i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u", "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u"}
	for i, n := range sat {
		fcTable[i] = opInfo{name: n, imm: immNone, st: stPop1Push1, fvm3Only: true, proposal: "saturating float-to-int", known: true}
	}
	fcTable[8] = opInfo{name: "memory.init", imm: immMemInit, st: stPop3, known: true}
	fcTable[9] = opInfo{name: "data.drop", imm: immIndex, st: stNone, known: true}
	fcTable[10] = opInfo{name: "memory.copy", imm: immZeroZero, st: stPop3, known: true}
	fcTable[11] = opInfo{name: "memory.fill", imm: immMemIndex, st: stPop3, known: true}
	fcTable[12] = opInfo{name: "table.init", imm: immTableInit, st: stPop3, known: true}
	fcTable[13] = opInfo{name: "elem.drop", imm: immIndex, st: stNone, known: true}
	fcTable[14] = opInfo{name: "table.copy", imm: immZeroZero, st: stPop3, known: true}
	fcTable[15] = opInfo{name: "table.grow", imm: immTableIndex, st: stPop2Push1, fvm3Only: true, proposal: "reference types", known: true}
	fcTable[16] = opInfo{name: "table.size", imm: immTableIndex, st: stPush1, fvm3Only: true, proposal: "reference types", known: true}
	fcTable[17] = opInfo{name: "table.fill", imm: immTableIndex, st: stPop3, fvm3Only: true, proposal: "reference types", known: true}
	// wasmtime 36 (every current FVM line) canonicalises the NaN results of
	// fdemote and fpromote too (cranelift nan_canonicalization.rs, wasmtime
	// commit 9254273566, in v36.0.7).
	opTable[0xB6].nan = 4
	opTable[0xBB].nan = 8
}

func (op Op) info() *opInfo {
	if op == OpPhantomUnreachable {
		return &opTable[0x00]
	}
	if op>>8 == 0xFC {
		if int(op&0xFF) < len(fcTable) {
			return &fcTable[op&0xFF]
		}
		return &opInfo{}
	}
	if op > 0xFF {
		return &opInfo{}
	}
	return &opTable[op]
}

// String returns the text-format mnemonic.
func (op Op) String() string {
	if op == OpPhantomUnreachable {
		return "unreachable(phantom)"
	}
	if in := op.info(); in.known {
		return in.name
	}
	return "op?"
}

// rejectedOp names the proposal an opcode byte belongs to when neither
// engine configuration accepts it (fvm-gas.md §3.2, §4).
func rejectedOp(b byte) string {
	switch b {
	case 0x06, 0x07, 0x08, 0x09, 0x18, 0x19:
		return "exception handling"
	case 0x12, 0x13:
		return "tail calls"
	case 0x14, 0x15:
		return "typed function references"
	case 0x1C, 0xD0, 0xD1, 0xD2:
		// Decodable by 0.4.0, but its stack limiter refuses typed select
		// and ref.null/is_null/func (fvm-gas-next.md §6.2).
		return "reference types"
	case 0xFD:
		return "SIMD"
	case 0xFE:
		return "threads (atomics)"
	}
	return ""
}
