package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The charges, one method per trace name (fvm-gas.md §2, fvm-abi.md §10).

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
