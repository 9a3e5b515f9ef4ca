package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
)

// PriceList holds the prices of one network version (fvm-gas.md §2,
// fvm-abi.md §10). Its methods are named after the charges they produce and
// return a Charge with that trace name.
//
// Skyr (nv17, FVM v2) is written out in full; Hygge (nv18, FVM v3) is Skyr plus
// the named changes in hyggeChanges, applied and checked at init. A PriceList
// is shared and must not be modified by callers.
//
// Every amount is in milligas. Fields hold the formula's parameters so the two
// lists differ only in numbers and in a few Rules.
type PriceList struct {
	Name  string
	Rules Rules
	// Changes names the edits applied on top of the previous list (empty for Skyr).
	Changes []string

	// Message inclusion and return (fvm-gas.md §5.1, §5.2).
	OnChainMessageCompute        Gas
	OnChainMessageStorageBase    Gas // 36·1300 in both lists
	OnChainMessageStoragePerByte Gas
	OnChainMessageSenderUpdate   Gas // Hygge: the sender's actor update (475,000)
	OnChainReturnValuePerByte    Gas

	// Sends. Skyr: base/transfer/only-premium/invoke combine into one
	// OnMethodInvocation. Hygge (Rules.SplitSendCharges): ValueTransfer and
	// InvokeMethod are separate charges.
	SendBase                Gas
	SendTransferFunds       Gas
	SendTransferOnlyPremium Gas
	SendInvokeMethod        Gas

	SyscallCost Gas
	ExternCost  Gas // v2 extern round-trip, folded into extern-backed charges

	// Actors.
	CreateActorCompute Gas
	CreateActorStorage Gas
	AddressAssignment  Gas // Hygge, OnCreateActor(newAddress=true)
	AddressLookup      Gas // Hygge, OnCreateActor(newAddress=true)
	DeleteActorStorage Gas // Skyr: a refund (negative)
	ActorLookup        Gas // Hygge, state-access tracker
	ActorUpdate        Gas // Hygge, state-access tracker

	// Crypto.
	SigSecp256k1       Scaling // per plaintext byte in Hygge
	SigBLS             Scaling
	Secp256k1Recover   Gas
	HashingFlat        Gas         // Skyr: any code, any length
	HashingPerByte     []HashPrice // Hygge: per supported multihash code
	ComputeUnsealedCid Gas
	VerifySeal         Gas
	AggregateSeal32    AggregatePrice
	AggregateSeal64    AggregatePrice
	VerifyReplica      Gas
	VerifyPost         Scaling // flat + per challenged sector
	ConsensusFault     Gas

	// Chain.
	RandomnessBase      Gas
	TipsetCidLatest     Gas // Hygge, offset == 1
	TipsetCidHistorical Gas // Hygge, offset > 1

	// Blocks (fvm-gas.md §2.1/§2.2). OnBlockOpenPerByte and OnBlockCreate are
	// compute = (memret + alloc + memcpy)·n, other = max(retentionMin·n − compute, 0).
	BlockOpenBase            Gas
	BlockMemcpyPerByte       Gas
	BlockAllocPerByte        Gas
	BlockOpenMemretPerByte   Gas
	BlockCreateMemretPerByte Gas
	BlockRetentionMinPerByte Gas
	// OnBlockLink: compute = LinkComputeBase + (LinkMemcpies·memcpy + alloc + blake2b)·n,
	// other = PersistBase + PersistPerByte·n.
	BlockLinkComputeBase Gas
	BlockLinkMemcpies    int64
	BlockPersistBase     Gas
	BlockPersistPerByte  Gas

	// Events (Hygge).
	EventValidateBase    Gas
	EventValidatePerByte Gas

	// Wasm execution (fvm-gas.md §3.2) and per-instantiation init (§2.2).
	Exec WasmPrices

	// PreloadedActors are never charged lookup or update (Hygge, FIP-0055),
	// ascending.
	PreloadedActors []abi.ActorID
}

// Rules are the behavioural switches between the lists (go-ethereum's
// ChainRules idea): what is charged, not how much.
type Rules struct {
	// SignedGas: charges may be negative (v2 Gas is i64; the delete refund).
	SignedGas bool
	// SplitSendCharges: OnValueTransfer when value≠0, OnMethodInvocation only
	// when method≠0 (v3); otherwise one OnMethodInvocation for every send (v2).
	SplitSendCharges bool
	// StateAccessCharging: the per-message access tracker charges
	// OnActorLookup/OnActorUpdate (fvm-gas.md §5.4).
	StateAccessCharging bool
	// ReturnValueOnFailure: OnChainReturnValue whenever a value exists, even
	// with a non-zero exit (v3); v2 only on success.
	ReturnValueOnFailure bool
	// HashAfterValidation: OnHashing is charged after the code is validated
	// (v3); v2 charges first, for any code.
	HashAfterValidation bool
	// OtherColumn: v3 books extern-backed charges, block opens, actor
	// creation and randomness in the "other" column (trace only).
	OtherColumn bool
	// WasmInitCharges: wasm_memory_init / wasm_table_init per instantiation.
	WasmInitCharges bool
	// ExecLinear: memory.grow and bulk ops have per-unit costs (v3).
	ExecLinear bool
	// HashedRandomness: OnGetRandomness adds blake2b of entropy + 48 bytes (v3).
	HashedRandomness bool
	// HashedLink: OnBlockLink adds blake2b per byte to its compute (v3).
	HashedLink bool
}

// Scaling is flat + perUnit·n.
type Scaling struct{ Flat, PerUnit Gas }

// Apply is flat + perUnit·n (saturating).
func (s Scaling) Apply(n int64) Gas { return s.Flat.Add(s.PerUnit.Mul(n)) }

// HashPrice is the per-byte OnHashing price of one multihash code.
type HashPrice struct {
	Code    uint64
	PerByte Gas
}

// Multihash codes the hash syscall supports (fvm-abi.md §3.2 crypto.hash).
const (
	HashSha2_256   uint64 = 0x12
	HashKeccak256  uint64 = 0x1b
	HashRipemd160  uint64 = 0x1053
	HashBlake2b256 uint64 = 0xb220
	HashBlake2b512 uint64 = 0xb240
)

// AggregateStep is one row of the aggregate-seal step table.
type AggregateStep struct {
	Start int64
	Cost  Gas
}

// AggregatePrice prices one seal proof type (fvm-gas.md §2.3).
type AggregatePrice struct {
	PerProof Gas
	Steps    []AggregateStep // ascending Start
}

// step is the cost of the last step whose start ≤ n, 0 below the first.
func (a AggregatePrice) step(n int64) Gas {
	var c Gas
	for _, s := range a.Steps {
		if s.Start > n {
			break
		}
		c = s.Cost
	}
	return c
}

// WasmPrices are the execution prices the engine needs (fvm-gas.md §3.2).
// Every non-free instruction costs Instruction; with Rules.ExecLinear the
// listed ops add a per-unit part (unit = the i32 on top of the stack).
type WasmPrices struct {
	Instruction       Gas // 4 gas
	MemoryGrowPerPage Gas // 0.4 gas × 65536
	MemoryFillPerByte Gas
	MemoryCopyPerByte Gas // memory.copy, memory.init
	TablePerElement   Gas // table.init/copy/fill/grow: 0.4 gas × 8 bytes
	MemoryInitPerByte Gas // wasm_memory_init
	TableInitPerElem  Gas // wasm_table_init
}

const (
	wasmPageSize     = 65536
	tableElementSize = 8 // a usize per element (fvm/src/gas/price_list.rs @fvm@v3.1.0)
)

// ByName returns a price list by its reference name: "skyr" (nv16–17),
// "hygge" (nv18–20), "watermelon" (nv21–24) or "teep" (nv25–28). Which list
// a network version uses is decided by package rules.
func ByName(name string) (*PriceList, error) {
	for _, p := range lists {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("gas: no price list named %q", name)
}

// MustPriceList is ByName for the four names above; it panics otherwise.
func MustPriceList(name string) *PriceList {
	p, err := ByName(name)
	if err != nil {
		panic(err)
	}
	return p
}

// Skyr is the nv16–17 list.
func Skyr() *PriceList { return skyr }

// Hygge returns the nv18 list (FVM v3): Skyr plus hyggeChanges.
func Hygge() *PriceList { return hygge }
