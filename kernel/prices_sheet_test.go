package kernel

// This file is the fact sheet's price table (fvm-gas.md §2, fvm-abi.md §10)
// transcribed independently of kernel/gas, as the expected values of
// TestPricesAgreeWithGasPackage.

import (
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/gas"
)

// sheetPrices is the transcription; every amount is milligas.
type sheetPrices struct {
	v3 bool
}

func sheetPricesFor(v3 bool) *sheetPrices { return &sheetPrices{v3: v3} }

func sg(whole int64) gas.Gas { return gas.NewGas(whole) }
func smg(m int64) gas.Gas    { return gas.Milli(m) }

func sch(name string, compute, other gas.Gas) gas.Charge {
	return gas.Charge{Name: name, Compute: compute, Other: other}
}

// OnChainMessage: v2 38,863 + 1300·(36+L); v3 adds the sender update 475,000.
func (p *sheetPrices) OnChainMessage(l int) gas.Charge {
	other := sg(1300).Mul(int64(36 + l))
	if p.v3 {
		other = other.Add(sg(475_000))
	}
	return sch("OnChainMessage", sg(38_863), other)
}

// OnChainReturnValue: 1300 per byte of the top-level return block.
func (p *sheetPrices) OnChainReturnValue(n int) gas.Charge {
	return sch("OnChainReturnValue", 0, sg(1300).Mul(int64(n)))
}

// OnMethodInvocation: v2 29,233 (+27,500 value, +159,672 value∧method 0,
// −5,377 method≠0); v3 75,000 (charged only when method ≠ 0).
func (p *sheetPrices) OnMethodInvocation(value abi.TokenAmount, method abi.MethodNum) gas.Charge {
	if p.v3 {
		return sch("OnMethodInvocation", sg(75_000), 0)
	}
	c := sg(29_233)
	if !value.IsZero() {
		c = c.Add(sg(27_500))
		if method == 0 {
			c = c.Add(sg(159_672))
		}
	}
	if method != 0 {
		c = c.Add(sg(-5_377))
	}
	return sch("OnMethodInvocation", c, 0)
}

// OnValueTransfer (v3): 6,000.
func (p *sheetPrices) OnValueTransfer() gas.Charge { return sch("OnValueTransfer", sg(6_000), 0) }

// OnCreateActor: v2 1,108,454 + 98,800; v3 650,000 (+2,050,000 with a new address).
func (p *sheetPrices) OnCreateActor(newAddress bool) gas.Charge {
	if !p.v3 {
		return sch("OnCreateActor", sg(1_108_454), sg(98_800))
	}
	o := sg(650_000)
	if newAddress {
		o = o.Add(sg(2_050_000))
	}
	return sch("OnCreateActor", 0, o)
}

// OnDeleteActor: v2 refunds 98,800; v3 0.
func (p *sheetPrices) OnDeleteActor() gas.Charge {
	if p.v3 {
		return sch("OnDeleteActor", 0, 0)
	}
	return sch("OnDeleteActor", 0, sg(-98_800))
}

// OnActorLookup / OnActorUpdate (v3 state-access tracker, fvm-abi.md §6.10).
func (p *sheetPrices) OnActorLookup() gas.Charge { return sch("OnActorLookup", 0, sg(500_000)) }
func (p *sheetPrices) OnActorUpdate() gas.Charge { return sch("OnActorUpdate", 0, sg(475_000)) }

func (p *sheetPrices) OnBlockOpenBase() gas.Charge {
	if p.v3 {
		return sch("OnBlockOpenBase", 0, sg(187_440))
	}
	return sch("OnBlockOpenBase", sg(135_617), 0)
}

func (p *sheetPrices) OnBlockOpenPerByte(n int) gas.Charge {
	if p.v3 {
		return sch("OnBlockOpenPerByte", smg(2_400).Mul(int64(n)), smg(7_600).Mul(int64(n)))
	}
	return sch("OnBlockOpenPerByte", smg(10_500).Mul(int64(n)), 0)
}

func (p *sheetPrices) OnBlockRead(n int) gas.Charge {
	if p.v3 {
		return sch("OnBlockRead", smg(400).Mul(int64(n)), 0)
	}
	return sch("OnBlockRead", smg(500).Mul(int64(n)), 0)
}

func (p *sheetPrices) OnBlockCreate(n int) gas.Charge {
	if p.v3 {
		return sch("OnBlockCreate", smg(2_400).Mul(int64(n)), smg(7_600).Mul(int64(n)))
	}
	return sch("OnBlockCreate", smg(10_500).Mul(int64(n)), 0)
}

func (p *sheetPrices) OnBlockLink(n int) gas.Charge {
	if p.v3 {
		return sch("OnBlockLink", smg(12_400).Mul(int64(n)), sg(506_000).Add(sg(3_340).Mul(int64(n))))
	}
	return sch("OnBlockLink", sg(353_640).Add(sg(1).Mul(int64(n))), sg(1300).Mul(int64(n)))
}

func (p *sheetPrices) OnBlockStat() gas.Charge { return sch("OnBlockStat", 0, 0) }

// OnVerifySignature: sigType 1 secp, 2 BLS.
func (p *sheetPrices) OnVerifySignature(sigType int32, plaintextLen int) gas.Charge {
	var base, per int64 = 1_637_292, 10
	if sigType == 2 {
		base, per = 16_598_605, 26
	}
	c := sg(base)
	if p.v3 {
		c = c.Add(sg(per).Mul(int64(plaintextLen)))
	}
	return sch("OnVerifySignature", c, 0)
}

func (p *sheetPrices) OnRecoverSecpPublicKey() gas.Charge {
	return sch("OnRecoverSecpPublicKey", sg(1_637_292), 0)
}

// OnHashing: v2 flat 31,355; v3 per byte by hash code (ok=false if unknown).
func (p *sheetPrices) OnHashing(code uint64, n int) (gas.Charge, bool) {
	if !p.v3 {
		return sch("OnHashing", sg(31_355), 0), true
	}
	var per int64
	switch code {
	case 0x12:
		per = 7
	case 0xb220, 0xb240:
		per = 10
	case 0x1b:
		per = 33
	case 0x1053:
		per = 35
	default:
		return gas.Charge{}, false
	}
	return sch("OnHashing", sg(per).Mul(int64(n)), 0), true
}

func (p *sheetPrices) OnComputeUnsealedSectorCid() gas.Charge {
	return sch("OnComputeUnsealedSectorCid", sg(98_647), 0)
}

func (p *sheetPrices) OnVerifySeal() gas.Charge { return sch("OnVerifySeal", sg(2_000), 0) }

func (p *sheetPrices) OnVerifyReplicaUpdate() gas.Charge {
	return sch("OnVerifyReplicaUpdate", sg(36_316_136), 0)
}

func (p *sheetPrices) OnVerifyPost(challenged int) gas.Charge {
	return sch("OnVerifyPost", sg(117_680_921).Add(sg(43_780).Mul(int64(challenged))), 0)
}

// OnVerifyAggregateSeals: per-proof·n + step(n) (fvm-gas.md §2.3).
func (p *sheetPrices) OnVerifyAggregateSeals(proofType abi.RegisteredSealProof, n int) gas.Charge {
	per, steps := int64(449_900), sheetAggSteps32
	if proofType == abi.RegisteredSealProof_StackedDrg64GiBV1_1 {
		per, steps = 359_272, sheetAggSteps64
	}
	var step int64
	for i, start := range sheetAggStarts {
		if n >= start {
			step = steps[i]
		}
	}
	return sch("OnVerifyAggregateSeals", sg(per).Mul(int64(n)).Add(sg(step)), 0)
}

var (
	sheetAggStarts  = []int{4, 7, 13, 26, 52, 103, 205, 410}
	sheetAggSteps32 = []int64{103_994_170, 112_356_810, 122_912_610, 137_559_930, 162_039_100, 210_960_780, 318_351_180, 528_274_980}
	sheetAggSteps64 = []int64{102_581_240, 110_803_030, 120_803_700, 134_642_130, 157_357_890, 203_017_690, 304_253_590, 509_880_640}
)

func (p *sheetPrices) OnVerifyConsensusFault() gas.Charge {
	if p.v3 {
		return sch("OnVerifyConsensusFault", 0, sg(516_422))
	}
	return sch("OnVerifyConsensusFault", sg(516_422), 0)
}

// OnGetRandomness: v2 21,000; v3 21,000 + 10·(entropy + 48).
func (p *sheetPrices) OnGetRandomness(entropyLen int) gas.Charge {
	if p.v3 {
		return sch("OnGetRandomness", 0, sg(21_000).Add(sg(10).Mul(int64(entropyLen+48))))
	}
	return sch("OnGetRandomness", sg(21_000), 0)
}

// OnTipsetCid (v3): 50,000 for the previous epoch, 215,000 older.
func (p *sheetPrices) OnTipsetCid(offset int64) gas.Charge {
	if offset == 1 {
		return sch("OnTipsetCid", 0, sg(50_000))
	}
	return sch("OnTipsetCid", 0, sg(215_000))
}

// OnActorEventValidate (v3): 1,750 + 27.4·n.
func (p *sheetPrices) OnActorEventValidate(n int) gas.Charge {
	return sch("OnActorEventValidate", sg(1_750).Add(smg(27_400).Mul(int64(n))), 0)
}

// OnActorEventAccept (v3): s = n + 12; 2.4·s compute + 12.8·s other.
func (p *sheetPrices) OnActorEventAccept(n int) gas.Charge {
	s := int64(n + 12)
	return sch("OnActorEventAccept", smg(2_400).Mul(s), smg(12_800).Mul(s))
}

// zero-priced v3 charges that still appear in traces.
func (p *sheetPrices) zero(name string) gas.Charge { return sch(name, 0, 0) }

// wasmMemoryInit (v3): 0.4 gas per byte of the exported memory's minimum.
func (p *sheetPrices) wasmMemoryInit(bytes uint64) gas.Charge {
	return sch("wasm_memory_init", smg(400).Mul(int64(bytes)), 0)
}

// wasmTableInit (v3): 0.4 gas × 8 bytes per minimum element.
func (p *sheetPrices) wasmTableInit(elems uint64) gas.Charge {
	return sch("wasm_table_init", smg(3_200).Mul(int64(elems)), 0)
}
