package gas

import (
	"math"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The charges of messages, sends, actors, crypto, proofs and the chain, one
// method per trace name (fvm-gas.md §2, fvm-abi.md §10, fvm-gas-next.md §2.4).
// Block and event charges are in blocks.go and events.go.

func (p *PriceList) split(name string, g Gas) Charge {
	if p.Rules.OtherColumn {
		return Charge{Name: name, Other: g}
	}
	return Charge{Name: name, Compute: g}
}

// count reads a length or count as the reference's usize/u64 does.
func count(n int) uint64 { return uint64(n) }

// OnChainMessage is the inclusion charge for a message of L chain bytes (§5.1).
func (p *PriceList) OnChainMessage(l int) Charge {
	return Charge{
		Name:    "OnChainMessage",
		Compute: p.OnChainMessageCompute,
		Other:   p.OnChainMessageSenderUpdate.Add(p.OnChainMessageStorageBase).Add(p.OnChainMessageStoragePerByte.Mul(int64(l))),
	}
}

// OnChainReturnValue is charged for a top-level return block of n bytes.
// It is OnMethodReturn at depth 1.
func (p *PriceList) OnChainReturnValue(n int) Charge {
	return Charge{Name: "OnChainReturnValue", Other: p.OnChainReturnValuePerByte.Mul(int64(n))}
}

// OnMethodReturn is the charge for a return block of size bytes carrying
// links links, paid in the callee's frame at call depth depth (1 = the
// message's top-level call): OnChainReturnValue at depth 1 in every list;
// below it OnReturnValue, 300 per link, from WATERMELON (FIP-0071,
// fvm-gas-next.md §2.4, §3.3). ok is false when nothing is charged (depth > 1
// before WATERMELON). When a return is charged at all (SKYR: success only,
// Rules.ReturnValueOnFailure) is the caller's business.
func (p *PriceList) OnMethodReturn(depth, size, links int) (c Charge, ok bool) {
	if depth == 1 {
		return p.OnChainReturnValue(size), true
	}
	if !p.Rules.ReachabilityCharges {
		return Charge{}, false
	}
	return Charge{Name: "OnReturnValue", Compute: p.LinkTracked.MulCount(count(links))}, true
}

// OnMethodInvocation is the send charge for params without links (every
// top-level message and implicit constructor); see OnMethodInvocationLinks.
func (p *PriceList) OnMethodInvocation(value abi.TokenAmount, method abi.MethodNum) (c Charge, ok bool) {
	return p.OnMethodInvocationLinks(value, method, 0)
}

// OnMethodInvocationLinks is the send charge for a params block carrying
// paramLinks links. ok is false when none applies (Hygge and later, method
// 0). Skyr: base, +transfer if value≠0 (+only-premium if also method 0),
// +invoke (negative) if method≠0. Hygge: 75,000. Watermelon: 75,000 + 300
// per param link (fvm-gas-next.md §2.4).
func (p *PriceList) OnMethodInvocationLinks(value abi.TokenAmount, method abi.MethodNum, paramLinks int) (c Charge, ok bool) {
	if p.Rules.SplitSendCharges {
		if method == 0 {
			return Charge{}, false
		}
		g := p.SendInvokeMethod.Add(p.LinkTracked.MulCount(count(paramLinks)))
		return Charge{Name: "OnMethodInvocation", Compute: g}, true
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

// zeroValue is a zero token amount.
var zeroValue = big.Zero()

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

// OnDeleteActor is −98,800 in Skyr (a refund) and 0 in Hygge and later.
func (p *PriceList) OnDeleteActor() Charge {
	return Charge{Name: "OnDeleteActor", Other: p.DeleteActorStorage}
}

// OnActorGetRoot is self.root's charge from WATERMELON: 300 for tracking the
// root CID (fvm-gas-next.md §2.4). ok is false before (self.root is free).
func (p *PriceList) OnActorGetRoot() (c Charge, ok bool) {
	if !p.Rules.ReachabilityCharges {
		return Charge{}, false
	}
	return Charge{Name: "OnActorGetRoot", Compute: p.LinkTracked}, true
}

// OnActorSetRoot is self.set_root's charge from WATERMELON: 300 for checking
// the new root is reachable, before the check and before any state-access
// charge (fvm-gas-next.md §2.4, §3.3). ok is false before.
func (p *PriceList) OnActorSetRoot() (c Charge, ok bool) {
	if !p.Rules.ReachabilityCharges {
		return Charge{}, false
	}
	return Charge{Name: "OnActorSetRoot", Compute: p.LinkChecked}, true
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

// OnVerifyBlsAggregateSignature prices crypto.verify_bls_aggregate of an
// aggregate over signers signatures and plaintextBytes concatenated
// plaintext bytes: 8,299,302 per pairing (signers + 1) + 7 per byte
// (FIP-0079, fvm-gas-next.md §5.5). The error wraps ErrNoSuchCharge before
// WATERMELON, which has no such syscall.
func (p *PriceList) OnVerifyBlsAggregateSignature(signers, plaintextBytes int) (Charge, error) {
	if !p.Rules.BLSAggregate {
		return Charge{}, noSuchCharge(p.Name, "OnVerifyBlsAggregateSignature", "")
	}
	pairings := count(signers)
	if pairings < math.MaxUint64 {
		pairings++
	}
	g := p.BLSPairing.MulCount(pairings).Add(p.BLSHashing.ApplyCount(count(plaintextBytes)))
	return Charge{Name: "OnVerifyBlsAggregateSignature", Compute: g}, nil
}

// OnRecoverSecpPublicKey is flat in every list.
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

// OnVerifySeal is flat: 2,000, 42,000,000 from TEEP. Hygge and later charge
// it once per entry of batch_verify_seals, each a separate charge
// (fvm-gas-next.md §5.3).
func (p *PriceList) OnVerifySeal() Charge { return Charge{Name: "OnVerifySeal", Compute: p.VerifySeal} }

// OnVerifyAggregateSeals is perProof·n + step(n) of the seal proof's rows;
// a type without its own per-proof price or step table uses the 32GiB V1P1
// one, each independently (fvm-gas.md §2.3, fvm-gas-next.md §5.2). Only
// TEEP has NI-PoRep rows.
func (p *PriceList) OnVerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) Charge {
	per, steps, _ := p.aggregatePrice(agg.SealProof)
	n := int64(len(agg.Infos))
	return Charge{Name: "OnVerifyAggregateSeals", Compute: per.Mul(n).Add(stepCost(steps, n))}
}

// aggregateOf is an aggregate of n infos of typ (for figures and tests).
func aggregateOf(typ abi.RegisteredSealProof, n int) *proof.AggregateSealVerifyProofAndInfos {
	return &proof.AggregateSealVerifyProofAndInfos{SealProof: typ, Infos: make([]proof.AggregateSealVerifyInfo, n)}
}

// OnVerifyReplicaUpdate is flat.
func (p *PriceList) OnVerifyReplicaUpdate() Charge {
	return Charge{Name: "OnVerifyReplicaUpdate", Compute: p.VerifyReplica}
}

// OnVerifyPost is flat + per challenged sector, from the row of the first
// proof's type, or VerifyPostFallback's row when there is no proof or the
// type has none (SKYR: V1 rows; HYGGE: V1 and V1P1; WATERMELON: V1P1 only;
// fvm-gas-next.md §5.1). Every row has the same price.
func (p *PriceList) OnVerifyPost(info *proof.WindowPoStVerifyInfo) Charge {
	typ := p.VerifyPostFallback
	if len(info.Proofs) > 0 {
		typ = info.Proofs[0].PoStProof
	}
	s, _ := p.postPrice(typ)
	return Charge{Name: "OnVerifyPost", Compute: s.Apply(int64(len(info.ChallengedSectors)))}
}

// postOf is a Window PoSt of one typ proof over n sectors (for figures and tests).
func postOf(typ abi.RegisteredPoStProof, n int) *proof.WindowPoStVerifyInfo {
	return &proof.WindowPoStVerifyInfo{
		Proofs:            []proof.PoStProof{{PoStProof: typ}},
		ChallengedSectors: make([]proof.SectorInfo, n),
	}
}

// OnVerifyConsensusFault: 516,422 in every list (v2: extern 21,000 + 495,422).
func (p *PriceList) OnVerifyConsensusFault() Charge {
	return p.split("OnVerifyConsensusFault", p.ConsensusFault)
}

// OnGetRandomness: Skyr the extern cost only; Hygge adds blake2b of
// (entropy + 48) bytes (DST u64, VRF digest 32, round u64). From WATERMELON
// the price depends on the lookback, which this form does not take: it
// returns an unpriced charge there (Charge.Err) — call
// OnGetRandomnessLookback.
func (p *PriceList) OnGetRandomness(entropyLen int) Charge {
	if p.Rules.LookbackPricing {
		return unpriced(p.Name, "OnGetRandomness", "OnGetRandomnessLookback")
	}
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

// OnGetRandomnessLookback prices a randomness draw of entropyLen bytes of
// entropy at lookback = current epoch − requested epoch, in every list.
// Skyr and Hygge ignore the lookback (OnGetRandomness). From WATERMELON
// (FIP-0075): other = 146,200 + 75·lookback, the lookback read as unsigned,
// so a future epoch (lookback < 0) saturates and runs out of gas on a
// NewTrackerFor tracker (fvm-gas-next.md §4.2, §10 example 7). Lookback 0
// is legal. The caller refuses an overflowing subtraction first.
func (p *PriceList) OnGetRandomnessLookback(entropyLen int, lookback int64) Charge {
	if !p.Rules.LookbackPricing {
		return p.OnGetRandomness(entropyLen)
	}
	return Charge{Name: "OnGetRandomness", Other: p.Lookback.ApplyCount(uint64(lookback))}
}

// OnTipsetCid prices tipset_cid at offset = current epoch − epoch. Hygge:
// 50,000 for offset 1, 215,000 up to 899; offset ≤ 0 or ≥ 900 (finality) is
// IllegalArgument, uncharged. Watermelon (FIP-0075): 146,200 + 75·offset,
// any offset ≥ 1; ≤ 0 is IllegalArgument (fvm-gas-next.md §4.3). Skyr has no
// tipset_cid (the error wraps ErrNoSuchCharge).
func (p *PriceList) OnTipsetCid(offset int64) (Charge, error) {
	switch {
	case p.Rules.LookbackPricing:
		if offset <= 0 {
			return Charge{}, errno.New(errno.IllegalArgument, "tipset cid offset %d out of range", offset)
		}
		return Charge{Name: "OnTipsetCid", Other: p.Lookback.ApplyCount(uint64(offset))}, nil
	case p.TipsetCidLatest == 0:
		return Charge{}, noSuchCharge(p.Name, "OnTipsetCid", "")
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

// The free charges: 0 in every list, present in Hygge traces.
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
