package instrument

// Version selects which reference instrumenter is reproduced.
type Version int

const (
	// NV17 reproduces fvm-wasm-instrument 0.2.0 (parity-wasm 0.42, `bulk`),
	// used by FVM v2 for network version 17 (fvm-gas.md §0).
	NV17 Version = iota
	// NV18 reproduces fvm-wasm-instrument 0.4.0 (wasmparser 0.95), used by
	// FVM v3 for network version 18.
	NV18
)

func (v Version) String() string {
	switch v {
	case NV17:
		return "nv17"
	case NV18:
		return "nv18"
	}
	return "nv?"
}

// Cost is the price of one instruction. PerUnit == 0 means a fixed price;
// otherwise the instruction is linearly priced: Base plus PerUnit times the
// u32 on top of the stack (fvm-gas.md §3.2, InstructionCost::Linear).
type Cost struct {
	Base    uint64
	PerUnit uint32
}

// Rules prices instructions, the Go form of the reference `Rules` trait.
// InstructionCost sees the instruction as the reference parser saw it: an
// OpPhantomUnreachable is passed as OpUnreachable. A non-nil error rejects
// the module.
type Rules interface {
	InstructionCost(in Instr) (Cost, error)
	// GasChargeCost and LinearCalcCost are added to block and dynamic charges
	// (nv18 only); both are 0 in the FVM.
	GasChargeCost() uint64
	LinearCalcCost() uint64
}

// ConstantRules prices every instruction at Cost, with no linear parts:
// the reference crates' ConstantCostRules::default() when Cost is 1, the
// rules of their diff tests and of the fixtures.
type ConstantRules struct{ Cost uint64 }

func (c ConstantRules) InstructionCost(Instr) (Cost, error) { return Cost{Base: c.Cost}, nil }
func (ConstantRules) GasChargeCost() uint64                 { return 0 }
func (ConstantRules) LinearCalcCost() uint64                { return 0 }

// FVM instruction prices, in milligas (fvm-gas.md §3.2).
const (
	instrCost      = 4000    // 4 gas for every priced instruction
	perByteCost    = 400     // 0.4 gas per byte copied or filled (v3)
	perElementCost = 400 * 8 // table element = 8 bytes (TABLE_ELEMENT_SIZE)
	perPageCost    = 400 * 65536
	linearLimit    = 0x8000_0000
)

// freeInFVM is FIP-0032's free set, the same in v2 and v3.
func freeInFVM(op Op) bool {
	switch op {
	case OpNop, OpDrop, OpBlock, OpLoop, OpUnreachable, OpReturn, OpElse, OpEnd, OpPhantomUnreachable:
		return true
	}
	return false
}

// FVMRules returns the FVM's rules for v: flat 4000 mg (v2, Skyr) or 4000 mg
// plus the linear parts of the bulk-memory and memory.grow ops (v3, Hygge).
func FVMRules(v Version) Rules {
	if v == NV17 {
		return fvmV2Rules{}
	}
	return fvmV3Rules{}
}

type fvmV2Rules struct{}

// InstructionCost follows `impl Rules for WasmGasPrices` of fvm@v2.12.1
// (identical at fvm@2.2.0): free set 0, anything else 4000 mg, no memory.grow
// cost (MemoryGrowCost::Free).
func (fvmV2Rules) InstructionCost(in Instr) (Cost, error) {
	if freeInFVM(in.Op) {
		return Cost{}, nil
	}
	return Cost{Base: instrCost}, nil
}
func (fvmV2Rules) GasChargeCost() uint64  { return 0 }
func (fvmV2Rules) LinearCalcCost() uint64 { return 0 }

type fvmV3Rules struct{}

// InstructionCost follows `impl Rules for WasmGasPrices` at ref-fvm 06a3c4c4
// (3.0.0). Every operator this decoder can produce is priced there; the
// ones it rejects (SIMD, atomics, exceptions, tail calls, ref.*) never get
// here.
func (fvmV3Rules) InstructionCost(in Instr) (Cost, error) {
	if freeInFVM(in.Op) {
		return Cost{}, nil
	}
	switch in.Op {
	case OpMemoryGrow:
		return Cost{Base: instrCost, PerUnit: perPageCost}, nil
	case OpMemoryFill, OpMemoryCopy, OpMemoryInit:
		return Cost{Base: instrCost, PerUnit: perByteCost}, nil
	case OpTableInit, OpTableCopy, OpTableGrow, OpTableFill:
		// table.grow and table.fill are reachable only where reference
		// types validate (fvm-gas-next.md §6.2).
		return Cost{Base: instrCost, PerUnit: perElementCost}, nil
	}
	return Cost{Base: instrCost}, nil
}
func (fvmV3Rules) GasChargeCost() uint64  { return 0 }
func (fvmV3Rules) LinearCalcCost() uint64 { return 0 }
