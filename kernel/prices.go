package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/gas"
)

// prices is kernel/gas's price list for the machine's network version
// (fvm-gas.md §2) in the shape the kernel charges from: the kernel has
// already validated what the list would reject (signature type, tipset
// offset, hash code), so every method returns just the charge.
type prices struct {
	pl *gas.PriceList
}

func pricesFor(pl *gas.PriceList) *prices { return &prices{pl: pl} }

func (p *prices) OnChainMessage(l int) gas.Charge     { return p.pl.OnChainMessage(l) }
func (p *prices) OnChainReturnValue(n int) gas.Charge { return p.pl.OnChainReturnValue(n) }

// OnMethodInvocation: nv18 never asks for method 0 (no charge exists).
func (p *prices) OnMethodInvocation(value abi.TokenAmount, method abi.MethodNum) gas.Charge {
	c, _ := p.pl.OnMethodInvocation(value, method)
	return c
}

// OnValueTransfer (nv18) for a non-zero value.
func (p *prices) OnValueTransfer() gas.Charge {
	c, _ := p.pl.OnValueTransfer(big.NewInt(1))
	return c
}

func (p *prices) OnCreateActor(newAddress bool) gas.Charge { return p.pl.OnCreateActor(newAddress) }
func (p *prices) OnDeleteActor() gas.Charge                { return p.pl.OnDeleteActor() }
func (p *prices) OnActorLookup() gas.Charge                { return p.pl.OnActorLookup() }
func (p *prices) OnActorUpdate() gas.Charge                { return p.pl.OnActorUpdate() }
func (p *prices) OnBlockOpenBase() gas.Charge              { return p.pl.OnBlockOpenBase() }
func (p *prices) OnBlockOpenPerByte(n int) gas.Charge      { return p.pl.OnBlockOpenPerByte(n) }
func (p *prices) OnBlockRead(n int) gas.Charge             { return p.pl.OnBlockRead(n) }
func (p *prices) OnBlockCreate(n int) gas.Charge           { return p.pl.OnBlockCreate(n) }
func (p *prices) OnBlockLink(n int) gas.Charge             { return p.pl.OnBlockLink(n) }
func (p *prices) OnBlockStat() gas.Charge                  { return p.pl.OnBlockStat() }

// OnVerifySignature for sigType 1 (secp256k1) or 2 (BLS), checked by the caller.
func (p *prices) OnVerifySignature(sigType int32, plaintextLen int) gas.Charge {
	c, _ := p.pl.OnVerifySignature(crypto.SigType(sigType), plaintextLen)
	return c
}

func (p *prices) OnRecoverSecpPublicKey() gas.Charge { return p.pl.OnRecoverSecpPublicKey() }

// OnHashing: ok is false for a code nv18 does not price (unsupported).
func (p *prices) OnHashing(code uint64, n int) (gas.Charge, bool) { return p.pl.OnHashing(code, n) }

func (p *prices) OnComputeUnsealedSectorCid(pt abi.RegisteredSealProof, pieces []abi.PieceInfo) gas.Charge {
	return p.pl.OnComputeUnsealedSectorCid(pt, pieces)
}
func (p *prices) OnVerifySeal() gas.Charge          { return p.pl.OnVerifySeal() }
func (p *prices) OnVerifyReplicaUpdate() gas.Charge { return p.pl.OnVerifyReplicaUpdate() }
func (p *prices) OnVerifyPost(info *proof.WindowPoStVerifyInfo) gas.Charge {
	return p.pl.OnVerifyPost(info)
}
func (p *prices) OnVerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) gas.Charge {
	return p.pl.OnVerifyAggregateSeals(agg)
}
func (p *prices) OnVerifyConsensusFault() gas.Charge        { return p.pl.OnVerifyConsensusFault() }
func (p *prices) OnGetRandomness(entropyLen int) gas.Charge { return p.pl.OnGetRandomness(entropyLen) }

// OnTipsetCid for an offset the caller checked to be in 1..899.
func (p *prices) OnTipsetCid(offset int64) gas.Charge {
	c, _ := p.pl.OnTipsetCid(offset)
	return c
}

func (p *prices) OnActorEventValidate(n int) gas.Charge { return p.pl.OnActorEventValidate(n) }
func (p *prices) OnActorEventAccept(n int) gas.Charge   { return p.pl.OnActorEventAccept(n) }

// zero is one of the nv18 charges priced at 0 that still appear in traces.
func (p *prices) zero(name string) gas.Charge { return gas.Charge{Name: name} }

// wasmMemoryInit (nv18): 0.4 gas per byte of the exported memory's minimum.
func (p *prices) wasmMemoryInit(bytes uint64) gas.Charge { return p.pl.WasmMemoryInit(int64(bytes)) }

// wasmTableInit (nv18): 3.2 gas per minimum element of an export named "table".
func (p *prices) wasmTableInit(elems uint64) gas.Charge { return p.pl.WasmTableInit(int64(elems)) }
