package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
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
	Name           string
	NetworkVersion network.Version
	Rules          Rules
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

// PriceListFor returns the list for a network version: 17 → Skyr, 18 → Hygge.
func PriceListFor(nv network.Version) (*PriceList, error) {
	switch nv {
	case network.Version17:
		return skyr, nil
	case network.Version18:
		return hygge, nil
	}
	return nil, fmt.Errorf("gas: no price list for network version %d", nv)
}

// Skyr returns the nv17 list (FVM v2).
func Skyr() *PriceList { return skyr }

// Hygge returns the nv18 list (FVM v3): Skyr plus hyggeChanges.
func Hygge() *PriceList { return hygge }

func (p *PriceList) split(name string, g Gas) Charge {
	if p.Rules.OtherColumn {
		return Charge{Name: name, Other: g}
	}
	return Charge{Name: name, Compute: g}
}

// OnChainMessage is the inclusion charge for a message of L chain bytes (§5.1).
func (p *PriceList) OnChainMessage(l int) Charge {
	return Charge{
		Name:    "OnChainMessage",
		Compute: p.OnChainMessageCompute,
		Other:   p.OnChainMessageSenderUpdate.Add(p.OnChainMessageStorageBase).Add(p.OnChainMessageStoragePerByte.Mul(int64(l))),
	}
}

// OnChainReturnValue is charged for a top-level return block of n bytes.
func (p *PriceList) OnChainReturnValue(n int) Charge {
	return Charge{Name: "OnChainReturnValue", Other: p.OnChainReturnValuePerByte.Mul(int64(n))}
}

// OnMethodInvocation is the send charge. ok is false when none applies
// (Hygge, method 0). Skyr: base, +transfer if value≠0 (+only-premium if also
// method 0), +invoke (negative) if method≠0.
func (p *PriceList) OnMethodInvocation(value abi.TokenAmount, method abi.MethodNum) (c Charge, ok bool) {
	if p.Rules.SplitSendCharges {
		if method == 0 {
			return Charge{}, false
		}
		return Charge{Name: "OnMethodInvocation", Compute: p.SendInvokeMethod}, true
	}
	g := p.SendBase
	if !isZero(value) {
		g = g.Add(p.SendTransferFunds)
		if method == 0 {
			g = g.Add(p.SendTransferOnlyPremium)
		}
	}
	if method != 0 {
		g = g.Add(p.SendInvokeMethod)
	}
	return Charge{Name: "OnMethodInvocation", Compute: g}, true
}

// OnValueTransfer is the Hygge transfer charge; ok is false in Skyr or for a
// zero value.
func (p *PriceList) OnValueTransfer(value abi.TokenAmount) (c Charge, ok bool) {
	if !p.Rules.SplitSendCharges || isZero(value) {
		return Charge{}, false
	}
	return Charge{Name: "OnValueTransfer", Compute: p.SendTransferFunds}, true
}

func isZero(v abi.TokenAmount) bool { return v.Int == nil || v.Sign() == 0 }

// OnSyscall is charged by the wrapper of every syscall.
func (p *PriceList) OnSyscall() Charge { return Charge{Name: "OnSyscall", Compute: p.SyscallCost} }

// OnCreateActor: Skyr ignores newAddress; Hygge adds address assignment and
// lookup for send-triggered creation.
func (p *PriceList) OnCreateActor(newAddress bool) Charge {
	other := p.CreateActorStorage
	if newAddress {
		other = other.Add(p.AddressAssignment).Add(p.AddressLookup)
	}
	return Charge{Name: "OnCreateActor", Compute: p.CreateActorCompute, Other: other}
}

// OnDeleteActor is −98,800 in Skyr (a refund) and 0 in Hygge.
func (p *PriceList) OnDeleteActor() Charge {
	return Charge{Name: "OnDeleteActor", Other: p.DeleteActorStorage}
}

// OnVerifySignature prices a signature check; unknown types are an
// IllegalArgument error (the reference cannot even decode them).
func (p *PriceList) OnVerifySignature(sigType crypto.SigType, plaintextLen int) (Charge, error) {
	var s Scaling
	switch sigType {
	case crypto.SigTypeSecp256k1:
		s = p.SigSecp256k1
	case crypto.SigTypeBLS:
		s = p.SigBLS
	default:
		return Charge{}, errno.New(errno.IllegalArgument, "unknown signature type %d", sigType)
	}
	return Charge{Name: "OnVerifySignature", Compute: s.Apply(int64(plaintextLen))}, nil
}

// OnRecoverSecpPublicKey is flat in both lists.
func (p *PriceList) OnRecoverSecpPublicKey() Charge {
	return Charge{Name: "OnRecoverSecpPublicKey", Compute: p.Secp256k1Recover}
}

// OnHashing prices hashing n bytes with a multihash code. Skyr: flat for any
// code (charged before validation). Hygge: per byte; ok=false for an
// unsupported code (which then costs only the syscall).
func (p *PriceList) OnHashing(code uint64, n int) (c Charge, ok bool) {
	if p.HashingPerByte == nil {
		return Charge{Name: "OnHashing", Compute: p.HashingFlat}, true
	}
	per, ok := p.hashPerByte(code)
	if !ok {
		return Charge{}, false
	}
	return Charge{Name: "OnHashing", Compute: per.Mul(int64(n))}, true
}

func (p *PriceList) hashPerByte(code uint64) (Gas, bool) {
	for _, h := range p.HashingPerByte {
		if h.Code == code {
			return h.PerByte, true
		}
	}
	return 0, false
}

// OnComputeUnsealedSectorCid is flat; the arguments do not matter.
func (p *PriceList) OnComputeUnsealedSectorCid(_ abi.RegisteredSealProof, _ []abi.PieceInfo) Charge {
	return Charge{Name: "OnComputeUnsealedSectorCid", Compute: p.ComputeUnsealedCid}
}

// OnVerifySeal is flat (Hygge also charges it per entry of batch_verify_seals).
func (p *PriceList) OnVerifySeal() Charge { return Charge{Name: "OnVerifySeal", Compute: p.VerifySeal} }

// OnVerifyAggregateSeals is perProof·n + step(n) of the seal proof's row;
// every type but 64GiB V1_1 uses the 32GiB row (fvm-gas.md §2.3).
func (p *PriceList) OnVerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) Charge {
	row := p.AggregateSeal32
	if agg.SealProof == abi.RegisteredSealProof_StackedDrg64GiBV1_1 {
		row = p.AggregateSeal64
	}
	n := int64(len(agg.Infos))
	return Charge{Name: "OnVerifyAggregateSeals", Compute: row.PerProof.Mul(n).Add(row.step(n))}
}

// OnVerifyReplicaUpdate is flat.
func (p *PriceList) OnVerifyReplicaUpdate() Charge {
	return Charge{Name: "OnVerifyReplicaUpdate", Compute: p.VerifyReplica}
}

// OnVerifyPost is flat + per challenged sector; every window-PoSt type (and
// the fallback for unknown ones) has the same row.
func (p *PriceList) OnVerifyPost(info *proof.WindowPoStVerifyInfo) Charge {
	return Charge{Name: "OnVerifyPost", Compute: p.VerifyPost.Apply(int64(len(info.ChallengedSectors)))}
}

// OnVerifyConsensusFault: 516,422 in both (v2: extern 21,000 + 495,422).
func (p *PriceList) OnVerifyConsensusFault() Charge {
	return p.split("OnVerifyConsensusFault", p.ConsensusFault)
}

// OnGetRandomness: Skyr the extern cost only; Hygge adds blake2b of
// (entropy + 48) bytes (DST u64, VRF digest 32, round u64).
func (p *PriceList) OnGetRandomness(entropyLen int) Charge {
	g := p.RandomnessBase
	if per, _ := p.hashPerByte(HashBlake2b256); p.Rules.HashedRandomness {
		n := int64(entropyLen)
		if n > (1<<63-1)-48 {
			n = 1<<63 - 1
		} else {
			n += 48
		}
		g = g.Add(per.Mul(n))
	}
	return p.split("OnGetRandomness", g)
}

// OnTipsetCid prices tipset_cid at offset = current epoch − epoch (Hygge
// only). offset ≤ 0 or ≥ 900 (finality) is IllegalArgument, uncharged.
func (p *PriceList) OnTipsetCid(offset int64) (Charge, error) {
	if p.TipsetCidLatest == 0 {
		return Charge{}, fmt.Errorf("gas: tipset_cid does not exist in %s", p.Name)
	}
	if offset <= 0 || offset >= 900 {
		return Charge{}, errno.New(errno.IllegalArgument, "tipset cid offset %d out of range", offset)
	}
	g := p.TipsetCidLatest
	if offset > 1 {
		g = p.TipsetCidHistorical
	}
	return Charge{Name: "OnTipsetCid", Other: g}, nil
}

// OnBlockOpenBase is charged per block open.
func (p *PriceList) OnBlockOpenBase() Charge { return p.split("OnBlockOpenBase", p.BlockOpenBase) }

// OnBlockOpenPerByte is charged for the n bytes of an opened block.
func (p *PriceList) OnBlockOpenPerByte(n int) Charge {
	return p.retention("OnBlockOpenPerByte", p.BlockOpenMemretPerByte, int64(n))
}

// OnBlockCreate is charged for an n-byte block created by an actor.
func (p *PriceList) OnBlockCreate(n int) Charge {
	return p.retention("OnBlockCreate", p.BlockCreateMemretPerByte, int64(n))
}

func (p *PriceList) retention(name string, memret Gas, n int64) Charge {
	compute := memret.Add(p.BlockAllocPerByte).Add(p.BlockMemcpyPerByte).Mul(n)
	surcharge := p.BlockRetentionMinPerByte.Mul(n).Add(-compute)
	if surcharge < 0 {
		surcharge = 0
	}
	return Charge{Name: name, Compute: compute, Other: surcharge}
}

// OnBlockRead is charged for the n bytes actually copied out.
func (p *PriceList) OnBlockRead(n int) Charge {
	return Charge{Name: "OnBlockRead", Compute: p.BlockMemcpyPerByte.Mul(int64(n))}
}

// OnBlockLink is charged for linking an n-byte block (blake2b-256 CIDs only).
func (p *PriceList) OnBlockLink(n int) Charge {
	per := p.BlockMemcpyPerByte.Mul(p.BlockLinkMemcpies).Add(p.BlockAllocPerByte)
	if p.Rules.HashedLink {
		h, _ := p.hashPerByte(HashBlake2b256)
		per = per.Add(h)
	}
	return Charge{
		Name:    "OnBlockLink",
		Compute: p.BlockLinkComputeBase.Add(per.Mul(int64(n))),
		Other:   p.BlockPersistBase.Add(p.BlockPersistPerByte.Mul(int64(n))),
	}
}

// The free charges: 0 in both lists, present in Hygge traces.
func (p *PriceList) OnBlockStat() Charge           { return Charge{Name: "OnBlockStat"} }
func (p *PriceList) OnSelfBalance() Charge         { return Charge{Name: "OnSelfBalance"} }
func (p *PriceList) OnBalanceOf() Charge           { return Charge{Name: "OnBalanceOf"} }
func (p *PriceList) OnResolveAddress() Charge      { return Charge{Name: "OnResolveAddress"} }
func (p *PriceList) OnLookupAddress() Charge       { return Charge{Name: "OnLookupAddress"} }
func (p *PriceList) OnGetActorCodeCid() Charge     { return Charge{Name: "OnGetActorCodeCid"} }
func (p *PriceList) OnGetBuiltinActorType() Charge { return Charge{Name: "OnGetBuiltinActorType"} }
func (p *PriceList) OnGetCodeCidForType() Charge   { return Charge{Name: "OnGetCodeCidForType"} }
func (p *PriceList) OnNetworkContext() Charge      { return Charge{Name: "OnNetworkContext"} }
func (p *PriceList) OnMessageContext() Charge      { return Charge{Name: "OnMessageContext"} }

// OnActorLookup / OnActorUpdate are the Hygge state-access charges (0 in Skyr,
// where Rules.StateAccessCharging is off and they must not be applied).
func (p *PriceList) OnActorLookup() Charge {
	return Charge{Name: "OnActorLookup", Other: p.ActorLookup}
}
func (p *PriceList) OnActorUpdate() Charge {
	return Charge{Name: "OnActorUpdate", Other: p.ActorUpdate}
}

// OnActorEventValidate is charged on the raw n-byte event before decoding:
// memcpy + alloc + 1,750 + 25·n.
func (p *PriceList) OnActorEventValidate(n int) Charge {
	per := p.BlockMemcpyPerByte.Add(p.BlockAllocPerByte).Add(p.EventValidatePerByte)
	return Charge{Name: "OnActorEventValidate", Compute: p.EventValidateBase.Add(per.Mul(int64(n)))}
}

// OnActorEventAccept is charged for an accepted n-byte event: S = n + 12;
// compute memcpy+alloc, other 2·memcpy + alloc + blake2b (index costs are 0).
func (p *PriceList) OnActorEventAccept(n int) Charge {
	s := int64(n) + 12
	memcpy := p.BlockMemcpyPerByte.Mul(s)
	alloc := p.BlockAllocPerByte.Mul(s)
	h, _ := p.hashPerByte(HashBlake2b256)
	return Charge{
		Name:    "OnActorEventAccept",
		Compute: memcpy.Add(alloc),
		Other:   memcpy.Mul(2).Add(alloc).Add(h.Mul(s)),
	}
}

// WasmMemoryInit is charged at every Hygge instantiation for the exported
// memory's minimum size in bytes.
func (p *PriceList) WasmMemoryInit(minBytes int64) Charge {
	return Charge{Name: "wasm_memory_init", Compute: p.Exec.MemoryInitPerByte.Mul(minBytes)}
}

// WasmTableInit is charged (before the memory charge) only for a module
// exporting a table named exactly "table".
func (p *PriceList) WasmTableInit(minElems int64) Charge {
	return Charge{Name: "wasm_table_init", Compute: p.Exec.TableInitPerElem.Mul(minElems)}
}
