package instrument

// Price is what one instruction costs, in milligas: Base alone, or — when
// PerUnit is not 0 — Base plus PerUnit for each unit the instruction works
// on, the unit count being the i32 on top of the stack when it runs
// (fvm-gas.md §3.2: bytes copied or filled, table elements, memory pages).
type Price struct {
	Base    uint64
	PerUnit uint32
}

// Prices is a price table for the metering pass. Price sees the instruction
// as the reference's decoder produces it, so the FVM v2 phantom
// `unreachable` (OpPhantomUnreachable) arrives as OpUnreachable. An error
// refuses the module. ChargeCost is added to every charge the metering
// inserts and DynamicChargeCost to the fixed part of every linearly priced
// instruction charged at run time; the FVM's prices make both 0, and the
// FVM v2 metering has neither.
type Prices interface {
	Price(in Instr) (Price, error)
	ChargeCost() uint64
	DynamicChargeCost() uint64
}

// FlatPrices charges every instruction Cost, control flow included, with no
// linear part: the prices the reference instrumenter's own tests use, and
// so the prices of the golden fixtures.
type FlatPrices struct{ Cost uint64 }

func (f FlatPrices) Price(Instr) (Price, error) { return Price{Base: f.Cost}, nil }
func (FlatPrices) ChargeCost() uint64           { return 0 }
func (FlatPrices) DynamicChargeCost() uint64    { return 0 }

// The FVM's wasm prices in milligas (fvm-gas.md §3.2, unchanged up to nv28
// by fvm-gas-next.md §6.1).
const (
	instructionPrice = 4000      // every instruction that is not free
	bytePrice        = 400       // FVM v3: per byte copied, filled or initialised
	elementPrice     = 400 * 8   // FVM v3: per table element (8 bytes)
	pagePrice        = 400 << 16 // FVM v3: per 64 KiB page of memory.grow
	// maxPerUnit bounds a per-unit price: the metering pass refuses a
	// price list with a larger one, which keeps its products in 63 bits.
	maxPerUnit = 1 << 31
)

// free reports the instructions FIP-0032 makes free in both lines.
func free(op Op) bool {
	switch op {
	case OpNop, OpDrop, OpBlock, OpLoop, OpUnreachable, OpReturn, OpElse, OpEnd, OpPhantomUnreachable:
		return true
	}
	return false
}

// FVMPrices is the FVM's price table for v: FVM v2 charges 4 gas for every
// instruction that is not free; FVM v3 adds the linear parts of the bulk
// memory and table instructions and of memory.grow.
func FVMPrices(v Version) Prices {
	if v == FVM2 {
		return fvm2Prices{}
	}
	return fvm3Prices{}
}

type fvm2Prices struct{}

func (fvm2Prices) Price(in Instr) (Price, error) {
	if free(in.Op) {
		return Price{}, nil
	}
	return Price{Base: instructionPrice}, nil
}
func (fvm2Prices) ChargeCost() uint64        { return 0 }
func (fvm2Prices) DynamicChargeCost() uint64 { return 0 }

type fvm3Prices struct{}

// Price covers every instruction the FVM v3 decoder accepts; the
// instructions the FVM refuses (SIMD, atomics, exceptions, tail calls,
// ref.*) never reach it.
func (fvm3Prices) Price(in Instr) (Price, error) {
	if free(in.Op) {
		return Price{}, nil
	}
	switch in.Op {
	case OpMemoryGrow:
		return Price{Base: instructionPrice, PerUnit: pagePrice}, nil
	case OpMemoryFill, OpMemoryCopy, OpMemoryInit:
		return Price{Base: instructionPrice, PerUnit: bytePrice}, nil
	case OpTableInit, OpTableCopy, OpTableGrow, OpTableFill:
		// table.grow and table.fill only validate where reference types
		// are on (fvm-gas-next.md §6.2).
		return Price{Base: instructionPrice, PerUnit: elementPrice}, nil
	}
	return Price{Base: instructionPrice}, nil
}
func (fvm3Prices) ChargeCost() uint64        { return 0 }
func (fvm3Prices) DynamicChargeCost() uint64 { return 0 }
