package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
)

// PriceList holds the prices of one network version (fvm-gas.md §2,
// fvm-abi.md §10, fvm-gas-next.md §2). Its methods are named after the
// charges they produce and return a Charge with that trace name; the package
// documentation says which method the kernel calls for each syscall.
//
// SKYR (nv16–17, FVM v2) is written out in full; HYGGE (nv18–20, FVM v3) is
// SKYR plus hyggeChanges, WATERMELON (nv21–24, FVM v4) is HYGGE plus
// watermelonChanges and TEEP (nv25–28) is WATERMELON plus teepChanges, each
// applied and checked at init. A PriceList is shared and must not be
// modified by callers.
//
// Every amount is in milligas. Fields hold the formulas' parameters so the
// lists differ only in numbers and in a few Rules.
type PriceList struct {
	Name  string
	Rules Rules
	// Changes names the edits applied on top of the previous list (empty for Skyr).
	Changes []string

	// Message inclusion and return (fvm-gas.md §5.1, §5.2).
	OnChainMessageCompute        Gas
	OnChainMessageStorageBase    Gas // 36·1300 in every list
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

	// SyscallCost is OnSyscall (FVM v4.1+: the wasm host_call_cost, same
	// value, fvm-gas-next.md §2.2).
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
	BLSPairing         Gas         // Watermelon: per pairing of verify_bls_aggregate (signers + 1)
	BLSHashing         Scaling     // Watermelon: per plaintext byte of verify_bls_aggregate
	ComputeUnsealedCid Gas
	VerifySeal         Gas // per seal, also inside batch_verify_seals
	// Aggregate seal verification (fvm-gas.md §2.3, fvm-gas-next.md §5.2):
	// per-proof price and step table by seal proof type. A type missing from
	// either table uses that table's 32GiB V1P1 entry, independently.
	AggregateSealPerProof []SealProofPrice
	AggregateSealSteps    []SealProofSteps
	VerifyReplica         Gas
	// Window PoSt (fvm-gas-next.md §5.1): flat + per challenged sector, by the
	// first proof's type; no proof or an unknown type uses VerifyPostFallback's row.
	VerifyPost         []PoStPrice
	VerifyPostFallback abi.RegisteredPoStProof
	ConsensusFault     Gas

	// Chain.
	RandomnessBase      Gas     // Skyr, Hygge
	TipsetCidLatest     Gas     // Hygge, offset == 1
	TipsetCidHistorical Gas     // Hygge, offset > 1
	Lookback            Scaling // Watermelon (FIP-0075): flat + per epoch of lookback

	// Blocks (fvm-gas.md §2.1/§2.2). Skyr/Hygge OnBlockOpenPerByte and
	// OnBlockCreate are compute = (memret + alloc + memcpy)·n, other =
	// max(retentionMin·n − compute, 0); Watermelon moves the split (see
	// OnBlockOpen).
	BlockOpenBase            Gas
	BlockMemcpyPerByte       Gas
	BlockAllocPerByte        Gas
	BlockOpenMemretPerByte   Gas
	BlockCreateMemretPerByte Gas
	BlockRetentionMinPerByte Gas
	// OnBlockLink: compute = LinkComputeBase + LinkTracked + (LinkMemcpies·memcpy + alloc + blake2b)·n,
	// other = PersistBase + PersistPerByte·n.
	BlockLinkComputeBase Gas
	BlockLinkMemcpies    int64
	BlockPersistBase     Gas
	BlockPersistPerByte  Gas

	// IPLD reachability (Watermelon, FIP-0071, fvm-gas-next.md §3).
	ScanPerField Gas // per CBOR item scanned
	ScanPerCID   Gas // per tag-42 CID scanned
	LinkTracked  Gas // per link made reachable: params, returns, opened blocks, block_link, root
	LinkChecked  Gas // per link checked reachable: block_open's CID, created blocks' links, set_root

	// Events. Hygge (FIP-0049): validate and accept. Watermelon (FIP-0072):
	// one OnActorEvent, per entry and per key byte.
	EventValidateBase    Gas
	EventValidatePerByte Gas
	EventPerEntry        Scaling
	EventUTF8            Scaling

	// Wasm execution (fvm-gas.md §3.2) and per-instantiation init (§2.2).
	Exec WasmPrices

	// PreloadedActors are never charged lookup or update (Hygge, FIP-0055),
	// ascending.
	PreloadedActors []abi.ActorID
}

// Rules are the behavioural switches between the lists (go-ethereum's
// ChainRules idea): what is charged and how a charge is shaped, not how much.
type Rules struct {
	// SignedGas: charges may be negative (v2 Gas is i64; the delete refund),
	// and the tracker saturates like an i64 (NewTrackerFor).
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
	// Events is how emit_event is priced.
	Events EventPricing
	// LookbackPricing: OnGetRandomness and OnTipsetCid cost Lookback by the
	// epochs looked back, and tipset_cid has no finality bound (v4,
	// FIP-0075, fvm-gas-next.md §4.2–§4.3).
	LookbackPricing bool
	// ReachabilityCharges: the FIP-0071 charges exist — OnScanIpldLinks,
	// OnActorGetRoot/SetRoot, OnReturnValue below the top level, link fees
	// in sends, opens, creates and links — and the per-byte open charge is
	// OnBlockOpen with its bytes booked as other (v4, fvm-gas-next.md §2.4).
	ReachabilityCharges bool
	// BLSAggregate: crypto.verify_bls_aggregate is priced (v4.3+, FIP-0079).
	BLSAggregate bool
}

// EventPricing is which event charges a list has.
type EventPricing uint8

const (
	// EventsUnpriced: no events (v2).
	EventsUnpriced EventPricing = iota
	// EventsValidateAccept: OnActorEventValidate on the raw CBOR event, then
	// OnActorEventAccept (v3, FIP-0049, fvm-gas.md §2.2).
	EventsValidateAccept
	// EventsPerEntry: one OnActorEvent by entries, key and value bytes (v4,
	// FIP-0072, fvm-gas-next.md §4.1).
	EventsPerEntry
)

// Scaling is flat + perUnit·n.
type Scaling struct{ Flat, PerUnit Gas }

// Apply is flat + perUnit·n (saturating).
func (s Scaling) Apply(n int64) Gas { return s.Flat.Add(s.PerUnit.Mul(n)) }

// ApplyCount is flat + perUnit·n for a count read as unsigned (saturating;
// see Gas.MulCount).
func (s Scaling) ApplyCount(n uint64) Gas { return s.Flat.Add(s.PerUnit.MulCount(n)) }

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

// AggregateStep is one row of an aggregate-seal step table.
type AggregateStep struct {
	Start int64
	Cost  Gas
}

// SealProofPrice is the aggregate per-proof price of one seal proof type.
type SealProofPrice struct {
	Proof    abi.RegisteredSealProof
	PerProof Gas
}

// SealProofSteps is the aggregate step table of one seal proof type,
// ascending by Start.
type SealProofSteps struct {
	Proof abi.RegisteredSealProof
	Steps []AggregateStep
}

// stepCost is the cost of the last step whose start ≤ n, 0 below the first.
func stepCost(steps []AggregateStep, n int64) Gas {
	var c Gas
	for _, s := range steps {
		if s.Start > n {
			break
		}
		c = s.Cost
	}
	return c
}

// aggregateFallback is the row a seal proof type without its own uses
// (fvm-gas-next.md §5.2).
const aggregateFallback = abi.RegisteredSealProof_StackedDrg32GiBV1_1

// aggregatePrice looks up the per-proof price and the step table of typ,
// each falling back to the 32GiB V1P1 entry on its own. ok is false only
// if a fallback entry is missing (check rules that out at init).
func (p *PriceList) aggregatePrice(typ abi.RegisteredSealProof) (per Gas, steps []AggregateStep, ok bool) {
	per, perOK := perProofOf(p.AggregateSealPerProof, typ)
	if !perOK {
		per, perOK = perProofOf(p.AggregateSealPerProof, aggregateFallback)
	}
	steps, stepsOK := stepsOf(p.AggregateSealSteps, typ)
	if !stepsOK {
		steps, stepsOK = stepsOf(p.AggregateSealSteps, aggregateFallback)
	}
	return per, steps, perOK && stepsOK
}

func perProofOf(rows []SealProofPrice, typ abi.RegisteredSealProof) (Gas, bool) {
	for _, r := range rows {
		if r.Proof == typ {
			return r.PerProof, true
		}
	}
	return 0, false
}

func stepsOf(rows []SealProofSteps, typ abi.RegisteredSealProof) ([]AggregateStep, bool) {
	for _, r := range rows {
		if r.Proof == typ {
			return r.Steps, true
		}
	}
	return nil, false
}

// PoStPrice is the Window-PoSt price of one PoSt proof type.
type PoStPrice struct {
	Proof abi.RegisteredPoStProof
	Scaling
}

// postPrice is the row of typ, or of VerifyPostFallback.
func (p *PriceList) postPrice(typ abi.RegisteredPoStProof) (Scaling, bool) {
	for _, r := range p.VerifyPost {
		if r.Proof == typ {
			return r.Scaling, true
		}
	}
	for _, r := range p.VerifyPost {
		if r.Proof == p.VerifyPostFallback {
			return r.Scaling, true
		}
	}
	return Scaling{}, false
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

// Hygge returns the nv18–20 list (FVM v3): Skyr plus hyggeChanges.
func Hygge() *PriceList { return hygge }

// Watermelon returns the nv21–24 list (FVM v4): Hygge plus watermelonChanges.
func Watermelon() *PriceList { return watermelon }

// Teep returns the nv25–28 list: Watermelon plus teepChanges.
func Teep() *PriceList { return teep }
