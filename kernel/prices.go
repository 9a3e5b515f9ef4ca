package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/gas"
)

// prices is the part of the price list (fvm-gas.md §2, fvm-abi.md §10) the
// kernel charges itself. It lives here, keyed by the two lines, until
// kernel/gas exports the per-version list; every amount is milligas.
type prices struct {
	v3 bool
}

func pricesFor(v3 bool) *prices { return &prices{v3: v3} }

func g(whole int64) gas.Gas { return gas.NewGas(whole) }
func mg(m int64) gas.Gas    { return gas.Milli(m) }

func ch(name string, compute, other gas.Gas) gas.Charge {
	return gas.Charge{Name: name, Compute: compute, Other: other}
}

// OnChainMessage: v2 38,863 + 1300·(36+L); v3 adds the sender update 475,000.
func (p *prices) OnChainMessage(l int) gas.Charge {
	other := g(1300).Mul(int64(36 + l))
	if p.v3 {
		other = other.Add(g(475_000))
	}
	return ch("OnChainMessage", g(38_863), other)
}

// OnChainReturnValue: 1300 per byte of the top-level return block.
func (p *prices) OnChainReturnValue(n int) gas.Charge {
	return ch("OnChainReturnValue", 0, g(1300).Mul(int64(n)))
}

// OnMethodInvocation: v2 29,233 (+27,500 value, +159,672 value∧method 0,
// −5,377 method≠0); v3 75,000 (charged only when method ≠ 0).
func (p *prices) OnMethodInvocation(value abi.TokenAmount, method abi.MethodNum) gas.Charge {
	if p.v3 {
		return ch("OnMethodInvocation", g(75_000), 0)
	}
	c := g(29_233)
	if !value.IsZero() {
		c = c.Add(g(27_500))
		if method == 0 {
			c = c.Add(g(159_672))
		}
	}
	if method != 0 {
		c = c.Add(g(-5_377))
	}
	return ch("OnMethodInvocation", c, 0)
}

// OnValueTransfer (v3): 6,000.
func (p *prices) OnValueTransfer() gas.Charge { return ch("OnValueTransfer", g(6_000), 0) }

// OnCreateActor: v2 1,108,454 + 98,800; v3 650,000 (+2,050,000 with a new address).
func (p *prices) OnCreateActor(newAddress bool) gas.Charge {
	if !p.v3 {
		return ch("OnCreateActor", g(1_108_454), g(98_800))
	}
	o := g(650_000)
	if newAddress {
		o = o.Add(g(2_050_000))
	}
	return ch("OnCreateActor", 0, o)
}

// OnDeleteActor: v2 refunds 98,800; v3 0.
func (p *prices) OnDeleteActor() gas.Charge {
	if p.v3 {
		return ch("OnDeleteActor", 0, 0)
	}
	return ch("OnDeleteActor", 0, g(-98_800))
}

// OnActorLookup / OnActorUpdate (v3 state-access tracker, fvm-abi.md §6.10).
func (p *prices) OnActorLookup() gas.Charge { return ch("OnActorLookup", 0, g(500_000)) }
func (p *prices) OnActorUpdate() gas.Charge { return ch("OnActorUpdate", 0, g(475_000)) }

func (p *prices) OnBlockOpenBase() gas.Charge {
	if p.v3 {
		return ch("OnBlockOpenBase", 0, g(187_440))
	}
	return ch("OnBlockOpenBase", g(135_617), 0)
}

func (p *prices) OnBlockOpenPerByte(n int) gas.Charge {
	if p.v3 {
		return ch("OnBlockOpenPerByte", mg(2_400).Mul(int64(n)), mg(7_600).Mul(int64(n)))
	}
	return ch("OnBlockOpenPerByte", mg(10_500).Mul(int64(n)), 0)
}

func (p *prices) OnBlockRead(n int) gas.Charge {
	if p.v3 {
		return ch("OnBlockRead", mg(400).Mul(int64(n)), 0)
	}
	return ch("OnBlockRead", mg(500).Mul(int64(n)), 0)
}

func (p *prices) OnBlockCreate(n int) gas.Charge {
	if p.v3 {
		return ch("OnBlockCreate", mg(2_400).Mul(int64(n)), mg(7_600).Mul(int64(n)))
	}
	return ch("OnBlockCreate", mg(10_500).Mul(int64(n)), 0)
}

func (p *prices) OnBlockLink(n int) gas.Charge {
	if p.v3 {
		return ch("OnBlockLink", mg(12_400).Mul(int64(n)), g(506_000).Add(g(3_340).Mul(int64(n))))
	}
	return ch("OnBlockLink", g(353_640).Add(g(1).Mul(int64(n))), g(1300).Mul(int64(n)))
}

func (p *prices) OnBlockStat() gas.Charge { return ch("OnBlockStat", 0, 0) }

// OnVerifySignature: sigType 1 secp, 2 BLS.
func (p *prices) OnVerifySignature(sigType int32, plaintextLen int) gas.Charge {
	var base, per int64 = 1_637_292, 10
	if sigType == 2 {
		base, per = 16_598_605, 26
	}
	c := g(base)
	if p.v3 {
		c = c.Add(g(per).Mul(int64(plaintextLen)))
	}
	return ch("OnVerifySignature", c, 0)
}

func (p *prices) OnRecoverSecpPublicKey() gas.Charge {
	return ch("OnRecoverSecpPublicKey", g(1_637_292), 0)
}

// OnHashing: v2 flat 31,355; v3 per byte by hash code (ok=false if unknown).
func (p *prices) OnHashing(code uint64, n int) (gas.Charge, bool) {
	if !p.v3 {
		return ch("OnHashing", g(31_355), 0), true
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
	return ch("OnHashing", g(per).Mul(int64(n)), 0), true
}

func (p *prices) OnComputeUnsealedSectorCid() gas.Charge {
	return ch("OnComputeUnsealedSectorCid", g(98_647), 0)
}

func (p *prices) OnVerifySeal() gas.Charge { return ch("OnVerifySeal", g(2_000), 0) }

func (p *prices) OnVerifyReplicaUpdate() gas.Charge {
	return ch("OnVerifyReplicaUpdate", g(36_316_136), 0)
}

func (p *prices) OnVerifyPost(challenged int) gas.Charge {
	return ch("OnVerifyPost", g(117_680_921).Add(g(43_780).Mul(int64(challenged))), 0)
}

// OnVerifyAggregateSeals: per-proof·n + step(n) (fvm-gas.md §2.3).
func (p *prices) OnVerifyAggregateSeals(proofType abi.RegisteredSealProof, n int) gas.Charge {
	per, steps := int64(449_900), aggSteps32
	if proofType == abi.RegisteredSealProof_StackedDrg64GiBV1_1 {
		per, steps = 359_272, aggSteps64
	}
	var step int64
	for i, start := range aggStarts {
		if n >= start {
			step = steps[i]
		}
	}
	return ch("OnVerifyAggregateSeals", g(per).Mul(int64(n)).Add(g(step)), 0)
}

var (
	aggStarts  = []int{4, 7, 13, 26, 52, 103, 205, 410}
	aggSteps32 = []int64{103_994_170, 112_356_810, 122_912_610, 137_559_930, 162_039_100, 210_960_780, 318_351_180, 528_274_980}
	aggSteps64 = []int64{102_581_240, 110_803_030, 120_803_700, 134_642_130, 157_357_890, 203_017_690, 304_253_590, 509_880_640}
)

func (p *prices) OnVerifyConsensusFault() gas.Charge {
	if p.v3 {
		return ch("OnVerifyConsensusFault", 0, g(516_422))
	}
	return ch("OnVerifyConsensusFault", g(516_422), 0)
}

// OnGetRandomness: v2 21,000; v3 21,000 + 10·(entropy + 48).
func (p *prices) OnGetRandomness(entropyLen int) gas.Charge {
	if p.v3 {
		return ch("OnGetRandomness", 0, g(21_000).Add(g(10).Mul(int64(entropyLen+48))))
	}
	return ch("OnGetRandomness", g(21_000), 0)
}

// OnTipsetCid (v3): 50,000 for the previous epoch, 215,000 older.
func (p *prices) OnTipsetCid(offset int64) gas.Charge {
	if offset == 1 {
		return ch("OnTipsetCid", 0, g(50_000))
	}
	return ch("OnTipsetCid", 0, g(215_000))
}

// OnActorEventValidate (v3): 1,750 + 27.4·n.
func (p *prices) OnActorEventValidate(n int) gas.Charge {
	return ch("OnActorEventValidate", g(1_750).Add(mg(27_400).Mul(int64(n))), 0)
}

// OnActorEventAccept (v3): s = n + 12; 2.4·s compute + 12.8·s other.
func (p *prices) OnActorEventAccept(n int) gas.Charge {
	s := int64(n + 12)
	return ch("OnActorEventAccept", mg(2_400).Mul(s), mg(12_800).Mul(s))
}

// zero-priced v3 charges that still appear in traces.
func (p *prices) zero(name string) gas.Charge { return ch(name, 0, 0) }

// wasmMemoryInit (v3): 0.4 gas per byte of the exported memory's minimum.
func (p *prices) wasmMemoryInit(bytes uint64) gas.Charge {
	return ch("wasm_memory_init", mg(400).Mul(int64(bytes)), 0)
}

// wasmTableInit (v3): 0.4 gas × 8 bytes per minimum element.
func (p *prices) wasmTableInit(elems uint64) gas.Charge {
	return ch("wasm_table_init", mg(3_200).Mul(int64(elems)), 0)
}
