package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
)

// The numbers below are the fact sheet's (fvm-gas.md §2.1–§2.3, fvm-abi.md §10),
// cross-checked against fvm/src/gas/price_list.rs at fvm@v2.12.1 (SKYR_PRICES)
// and fvm@v3.1.0 (HYGGE_PRICES).

var aggregate32 = AggregatePrice{
	PerProof: NewGas(449_900),
	Steps: []AggregateStep{
		{4, NewGas(103_994_170)}, {7, NewGas(112_356_810)}, {13, NewGas(122_912_610)},
		{26, NewGas(137_559_930)}, {52, NewGas(162_039_100)}, {103, NewGas(210_960_780)},
		{205, NewGas(318_351_180)}, {410, NewGas(528_274_980)},
	},
}

var aggregate64 = AggregatePrice{
	PerProof: NewGas(359_272),
	Steps: []AggregateStep{
		{4, NewGas(102_581_240)}, {7, NewGas(110_803_030)}, {13, NewGas(120_803_700)},
		{26, NewGas(134_642_130)}, {52, NewGas(157_357_890)}, {103, NewGas(203_017_690)},
		{205, NewGas(304_253_590)}, {410, NewGas(509_880_640)},
	},
}

// skyrList is the nv17 list written out in full (FVM v2 has a storage
// multiplier of 1300; it is folded into the numbers here).
func skyrList() *PriceList {
	return &PriceList{
		Name:  "skyr",
		Rules: Rules{SignedGas: true},

		OnChainMessageCompute:        NewGas(38_863),
		OnChainMessageStorageBase:    NewGas(36 * 1300),
		OnChainMessageStoragePerByte: NewGas(1300),
		OnChainReturnValuePerByte:    NewGas(1300),

		SendBase:                NewGas(29_233),
		SendTransferFunds:       NewGas(27_500),
		SendTransferOnlyPremium: NewGas(159_672),
		SendInvokeMethod:        NewGas(-5_377),

		SyscallCost: NewGas(14_000),
		ExternCost:  NewGas(21_000),

		CreateActorCompute: NewGas(1_108_454),
		CreateActorStorage: NewGas((36 + 40) * 1300),
		DeleteActorStorage: NewGas(-(36 + 40) * 1300),

		SigSecp256k1:       Scaling{Flat: NewGas(1_637_292)},
		SigBLS:             Scaling{Flat: NewGas(16_598_605)},
		Secp256k1Recover:   NewGas(1_637_292),
		HashingFlat:        NewGas(31_355),
		ComputeUnsealedCid: NewGas(98_647),
		VerifySeal:         NewGas(2_000),
		AggregateSeal32:    aggregate32,
		AggregateSeal64:    aggregate64,
		VerifyReplica:      NewGas(36_316_136),
		VerifyPost:         Scaling{Flat: NewGas(117_680_921), PerUnit: NewGas(43_780)},
		ConsensusFault:     NewGas(21_000 + 495_422), // extern + verify

		RandomnessBase: NewGas(21_000), // extern only

		BlockOpenBase:            NewGas(21_000 + 114_617), // extern + open
		BlockMemcpyPerByte:       Milli(500),
		BlockOpenMemretPerByte:   NewGas(10),
		BlockCreateMemretPerByte: NewGas(10),
		BlockLinkComputeBase:     NewGas(353_640),
		BlockLinkMemcpies:        2, // registry → buffer, buffer → node store
		BlockPersistPerByte:      NewGas(1300),

		Exec: WasmPrices{Instruction: NewGas(4)},
	}
}

// priceChange is one named edit of the previous list.
type priceChange struct {
	name  string
	apply func(*PriceList)
}

// hyggeChanges turn Skyr into Hygge (nv18, FIP-0057 and friends).
var hyggeChanges = []priceChange{
	{"gas is unsigned: no negative charges", func(p *PriceList) { p.Rules.SignedGas = false }},
	{"extern-backed charges booked as other gas", func(p *PriceList) { p.Rules.OtherColumn = true; p.ExternCost = 0 }},
	{"inclusion pays the sender's actor update", func(p *PriceList) {
		p.OnChainMessageSenderUpdate = NewGas(475_000)
	}},
	{"return value charged whenever present", func(p *PriceList) { p.Rules.ReturnValueOnFailure = true }},
	{"send split into OnValueTransfer 6,000 and OnMethodInvocation 75,000", func(p *PriceList) {
		p.Rules.SplitSendCharges = true
		p.SendBase = 0
		p.SendTransferFunds = NewGas(6_000)
		p.SendTransferOnlyPremium = 0
		p.SendInvokeMethod = NewGas(75_000)
	}},
	{"state-access charging (lookup 500,000, update 475,000)", func(p *PriceList) {
		p.Rules.StateAccessCharging = true
		p.ActorLookup = NewGas(500_000)
		p.ActorUpdate = NewGas(475_000)
		p.PreloadedActors = []abi.ActorID{0, 1, 2, 3, 4, 5, 6, 7, 10, 99}
	}},
	{"create actor 650,000 storage (+2,050,000 for a new address); no delete refund", func(p *PriceList) {
		p.CreateActorCompute = 0
		p.CreateActorStorage = NewGas(650_000)
		p.AddressAssignment = NewGas(1_000_000)
		p.AddressLookup = NewGas(1_050_000)
		p.DeleteActorStorage = 0
	}},
	{"signatures priced per plaintext byte", func(p *PriceList) {
		p.SigSecp256k1.PerUnit = NewGas(10)
		p.SigBLS.PerUnit = NewGas(26)
	}},
	{"hashing per byte, after validation", func(p *PriceList) {
		p.Rules.HashAfterValidation = true
		p.HashingFlat = 0
		p.HashingPerByte = []HashPrice{
			{HashSha2_256, NewGas(7)}, {HashBlake2b256, NewGas(10)}, {HashBlake2b512, NewGas(10)},
			{HashKeccak256, NewGas(33)}, {HashRipemd160, NewGas(35)},
		}
	}},
	{"randomness hashes entropy + 48 bytes", func(p *PriceList) { p.Rules.HashedRandomness = true }},
	{"tipset_cid 50,000 / 215,000", func(p *PriceList) {
		p.TipsetCidLatest = NewGas(50_000)
		p.TipsetCidHistorical = NewGas(215_000)
	}},
	{"block open 187,440; 10 gas/byte retention minimum", func(p *PriceList) {
		p.BlockOpenBase = NewGas(187_440)
		p.BlockMemcpyPerByte = Milli(400)
		p.BlockAllocPerByte = NewGas(2)
		p.BlockOpenMemretPerByte = 0
		p.BlockCreateMemretPerByte = 0
		p.BlockRetentionMinPerByte = NewGas(10)
	}},
	{"block link: alloc + memcpy + blake2b; persist 172,000 + 334,000 + 3,340/byte", func(p *PriceList) {
		p.Rules.HashedLink = true
		p.BlockLinkComputeBase = 0
		p.BlockLinkMemcpies = 1
		p.BlockPersistBase = NewGas(172_000 + 334_000)
		p.BlockPersistPerByte = NewGas(3_340)
	}},
	{"actor events (FIP-0049)", func(p *PriceList) {
		p.EventValidateBase = NewGas(1_750)
		p.EventValidatePerByte = NewGas(25)
	}},
	{"wasm memory/table init and linear exec costs", func(p *PriceList) {
		p.Rules.WasmInitCharges = true
		p.Rules.ExecLinear = true
		p.Exec.MemoryGrowPerPage = Milli(400 * wasmPageSize)
		p.Exec.MemoryFillPerByte = Milli(400)
		p.Exec.MemoryCopyPerByte = Milli(400)
		p.Exec.TablePerElement = Milli(400 * tableElementSize)
		p.Exec.MemoryInitPerByte = Milli(400)
		p.Exec.TableInitPerElem = Milli(400 * tableElementSize)
	}},
}

func derive(prev *PriceList, name string, changes []priceChange) *PriceList {
	p := *prev
	p.Name, p.Changes = name, nil
	// Copy the slices so a change can never write through to prev.
	p.HashingPerByte = append([]HashPrice(nil), prev.HashingPerByte...)
	if prev.HashingPerByte == nil {
		p.HashingPerByte = nil
	}
	p.PreloadedActors = append([]abi.ActorID(nil), prev.PreloadedActors...)
	for _, c := range changes {
		c.apply(&p)
		p.Changes = append(p.Changes, c.name)
	}
	return &p
}

// watermelonChanges turn Hygge into Watermelon (nv21–24, FVM v4,
// fvm-gas-next.md §2.2).
var watermelonChanges []priceChange

// teepChanges turn Watermelon into Teep (nv25–28, fvm-gas-next.md §2.3).
var teepChanges []priceChange

var (
	skyr       = skyrList()
	hygge      = derive(skyr, "hygge", hyggeChanges)
	watermelon = derive(hygge, "watermelon", watermelonChanges)
	teep       = derive(watermelon, "teep", teepChanges)
	lists      = []*PriceList{skyr, hygge, watermelon, teep}
)

func init() {
	for _, p := range lists {
		if err := p.check(); err != nil {
			panic(err)
		}
	}
}

// check verifies the headline figures each list must produce (fvm-abi.md
// §10), so an edit of a field or a change that breaks another fails loudly.
func (p *PriceList) check() error {
	fail := func(what string, got, want Gas) error {
		return fmt.Errorf("gas: %s price list: %s = %d mg, want %d mg", p.Name, what, got, want)
	}
	type fig struct {
		what      string
		got, want Gas
	}
	var figs []fig
	switch p.Name {
	case "skyr":
		figs = []fig{
			{"OnChainMessage(0)", p.OnChainMessage(0).Total(), NewGas(85_663)},
			{"OnCreateActor", p.OnCreateActor(false).Total(), NewGas(1_207_254)},
			{"OnBlockLink(0)", p.OnBlockLink(0).Total(), NewGas(353_640)},
			{"OnBlockOpenPerByte(2)", p.OnBlockOpenPerByte(2).Total(), NewGas(21)},
		}
		if p.Rules != (Rules{SignedGas: true}) || len(p.PreloadedActors) != 0 {
			return fmt.Errorf("gas: skyr has Hygge rules")
		}
	case "hygge", "watermelon", "teep":
		figs = []fig{
			{"OnChainMessage(0)", p.OnChainMessage(0).Total(), NewGas(560_663)},
			{"OnCreateActor(true)", p.OnCreateActor(true).Total(), NewGas(2_700_000)},
			{"OnBlockLink(0)", p.OnBlockLink(0).Total(), NewGas(506_000)},
			{"OnBlockOpenPerByte(10)", p.OnBlockOpenPerByte(10).Total(), NewGas(100)},
			{"OnBlockCreate(10)", p.OnBlockCreate(10).Total(), NewGas(100)},
		}
		for i := 1; i < len(p.PreloadedActors); i++ {
			if p.PreloadedActors[i-1] >= p.PreloadedActors[i] {
				return fmt.Errorf("gas: hygge preloaded actors not ascending")
			}
		}
		if _, ok := p.hashPerByte(HashBlake2b256); !ok {
			return fmt.Errorf("gas: hygge has no blake2b-256 price")
		}
	default:
		return fmt.Errorf("gas: unknown price list %q", p.Name)
	}
	for _, f := range figs {
		if f.got != f.want {
			return fail(f.what, f.got, f.want)
		}
	}
	return nil
}
