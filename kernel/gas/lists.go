package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
)

// The numbers below are the fact sheets' (fvm-gas.md §2.1–§2.3, fvm-abi.md §10;
// fvm-gas-next.md §2.2–§2.4, §4, §5; fvm-abi-next.md §8), cross-checked against
// fvm/src/gas/price_list.rs at fvm@v2.12.1 (SKYR_PRICES), fvm@v3.14.1
// (HYGGE_PRICES) and fvm@v4.8.2 (WATERMELON_PRICES, TEEP_PRICES).

// Seal proof types with their own aggregate rows.
const (
	seal32GiBV1P1 = abi.RegisteredSealProof_StackedDrg32GiBV1_1
	seal64GiBV1P1 = abi.RegisteredSealProof_StackedDrg64GiBV1_1
	seal32GiBNI   = abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep
	seal64GiBNI   = abi.RegisteredSealProof_StackedDrg64GiBV1_2_Feat_NiPoRep
)

// The interactive aggregate rows, the same in every list (fvm-gas.md §2.3).
var (
	aggregatePerProof = []SealProofPrice{
		{seal32GiBV1P1, NewGas(449_900)},
		{seal64GiBV1P1, NewGas(359_272)},
	}
	aggregateSteps = []SealProofSteps{
		{seal32GiBV1P1, []AggregateStep{
			{4, NewGas(103_994_170)}, {7, NewGas(112_356_810)}, {13, NewGas(122_912_610)},
			{26, NewGas(137_559_930)}, {52, NewGas(162_039_100)}, {103, NewGas(210_960_780)},
			{205, NewGas(318_351_180)}, {410, NewGas(528_274_980)},
		}},
		{seal64GiBV1P1, []AggregateStep{
			{4, NewGas(102_581_240)}, {7, NewGas(110_803_030)}, {13, NewGas(120_803_700)},
			{26, NewGas(134_642_130)}, {52, NewGas(157_357_890)}, {103, NewGas(203_017_690)},
			{205, NewGas(304_253_590)}, {410, NewGas(509_880_640)},
		}},
	}
)

// postRows prices each of types at 117,680,921 + 43,780 per challenged
// sector: every Window-PoSt row of every list (fvm-gas-next.md §5.1).
func postRows(types ...abi.RegisteredPoStProof) []PoStPrice {
	rows := make([]PoStPrice, len(types))
	for i, t := range types {
		rows[i] = PoStPrice{t, Scaling{Flat: NewGas(117_680_921), PerUnit: NewGas(43_780)}}
	}
	return rows
}

const (
	post512MiBV1   = abi.RegisteredPoStProof_StackedDrgWindow512MiBV1
	post32GiBV1    = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1
	post64GiBV1    = abi.RegisteredPoStProof_StackedDrgWindow64GiBV1
	post512MiBV1P1 = abi.RegisteredPoStProof_StackedDrgWindow512MiBV1_1
	post32GiBV1P1  = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1
	post64GiBV1P1  = abi.RegisteredPoStProof_StackedDrgWindow64GiBV1_1
)

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

		SigSecp256k1:          Scaling{Flat: NewGas(1_637_292)},
		SigBLS:                Scaling{Flat: NewGas(16_598_605)},
		Secp256k1Recover:      NewGas(1_637_292),
		HashingFlat:           NewGas(31_355),
		ComputeUnsealedCid:    NewGas(98_647),
		VerifySeal:            NewGas(2_000),
		AggregateSealPerProof: aggregatePerProof,
		AggregateSealSteps:    aggregateSteps,
		VerifyReplica:         NewGas(36_316_136),
		VerifyPost:            postRows(post512MiBV1, post32GiBV1, post64GiBV1),
		VerifyPostFallback:    post512MiBV1,
		ConsensusFault:        NewGas(21_000 + 495_422), // extern + verify

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
	{"actor events (FIP-0049): validate 1,750 + 25/byte, then accept", func(p *PriceList) {
		p.Rules.Events = EventsValidateAccept
		p.EventValidateBase = NewGas(1_750)
		p.EventValidatePerByte = NewGas(25)
	}},
	// fvm 3.2.0 (nv19, FIP-0061); 3.14.1 runs nv18–20 with it
	// (fvm-gas-next.md §2.1). Every row is the same price.
	{"Window PoSt V1P1 rows beside V1 (3.2.0)", func(p *PriceList) {
		p.VerifyPost = postRows(post512MiBV1, post32GiBV1, post64GiBV1, post512MiBV1P1, post32GiBV1P1, post64GiBV1P1)
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

// derive applies changes to a copy of prev. The slices are copied so a
// change can never write through to prev; changes replace a slice (or one of
// its rows) rather than editing a row's nested slice.
func derive(prev *PriceList, name string, changes []priceChange) *PriceList {
	p := *prev
	p.Name, p.Changes = name, nil
	p.HashingPerByte = clone(prev.HashingPerByte)
	p.AggregateSealPerProof = clone(prev.AggregateSealPerProof)
	p.AggregateSealSteps = clone(prev.AggregateSealSteps)
	p.VerifyPost = clone(prev.VerifyPost)
	p.PreloadedActors = clone(prev.PreloadedActors)
	for _, c := range changes {
		c.apply(&p)
		p.Changes = append(p.Changes, c.name)
	}
	return &p
}

// clone copies s, keeping nil nil.
func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

// watermelonChanges turn Hygge into Watermelon (nv21–24, FVM v4,
// fvm-gas-next.md §2.2, §2.4; fvm-abi-next.md §8). OnSyscall stays 14,000
// (FVM 4.1 moved it to the wasm host-call price, same value).
var watermelonChanges = []priceChange{
	{"FIP-0075 lookback pricing: randomness and tipset_cid 146,200 + 75 per epoch", func(p *PriceList) {
		p.Rules.LookbackPricing = true
		p.Rules.HashedRandomness = false
		p.RandomnessBase = 0
		p.TipsetCidLatest = 0
		p.TipsetCidHistorical = 0
		// 5,800 per 20-epoch skip × 19 + 15,000 for the operation + 21,000 extern.
		p.Lookback = Scaling{Flat: NewGas(5_800*19 + 15_000 + 21_000), PerUnit: NewGas(75)}
	}},
	{"FIP-0072 events: one OnActorEvent, 2,000 + 1,400 per entry, 500 + 16 per key byte", func(p *PriceList) {
		p.Rules.Events = EventsPerEntry
		p.EventValidateBase = 0
		p.EventValidatePerByte = 0
		p.EventPerEntry = Scaling{Flat: NewGas(2_000), PerUnit: NewGas(1_400)}
		p.EventUTF8 = Scaling{Flat: NewGas(500), PerUnit: NewGas(16)}
	}},
	{"FIP-0071 reachability: scan 35 per field, 400 per CID; 300 per link tracked or checked", func(p *PriceList) {
		p.Rules.ReachabilityCharges = true
		p.ScanPerField = NewGas(35)
		p.ScanPerCID = NewGas(400)
		p.LinkTracked = NewGas(300)
		p.LinkChecked = NewGas(300)
	}},
	{"Window PoSt V1P1 rows only, fallback 512MiB V1P1", func(p *PriceList) {
		p.VerifyPost = postRows(post512MiBV1P1, post32GiBV1P1, post64GiBV1P1)
		p.VerifyPostFallback = post512MiBV1P1
	}},
	{"FIP-0079 verify_bls_aggregate: 8,299,302 per pairing + 7 per plaintext byte (4.3.0)", func(p *PriceList) {
		p.Rules.BLSAggregate = true
		p.BLSPairing = NewGas(8_299_302)
		p.BLSHashing = Scaling{PerUnit: NewGas(7)}
	}},
}

// teepChanges turn Watermelon into Teep (nv25–28, fvm-gas-next.md §2.3,
// §5.2–§5.3; RF 4.6.0 for the seal price, 4.6.1 for the NI-PoRep rows).
var teepChanges = []priceChange{
	{"verify_seal_base 42,000,000 (FIP-0076)", func(p *PriceList) { p.VerifySeal = NewGas(42_000_000) }},
	{"NI-PoRep aggregate rows (FIP-0092, 4.6.1)", func(p *PriceList) {
		p.AggregateSealPerProof = append(p.AggregateSealPerProof,
			SealProofPrice{seal32GiBNI, NewGas(44_990 * 126)},
			SealProofPrice{seal64GiBNI, NewGas(35_928 * 126)})
		p.AggregateSealSteps = append(p.AggregateSealSteps,
			SealProofSteps{seal32GiBNI, []AggregateStep{
				{1, NewGas(112_356_810)}, {2, NewGas(122_912_610)}, {3, NewGas(137_559_930)},
				{5, NewGas(162_039_100)}, {9, NewGas(210_960_780)}, {17, NewGas(318_351_180)},
				{33, NewGas(528_274_980)},
			}},
			SealProofSteps{seal64GiBNI, []AggregateStep{
				{1, NewGas(110_803_030)}, {2, NewGas(120_803_700)}, {3, NewGas(134_642_130)},
				{5, NewGas(157_357_890)}, {9, NewGas(203_017_690)}, {17, NewGas(304_253_590)},
				{33, NewGas(509_880_640)},
			}})
	}},
}

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
// §10; fvm-gas-next.md §10, §2.3; fvm-abi-next.md §8), so an edit of a field or
// a change that breaks another fails loudly, and the lookups every charge
// relies on (fallback rows, the blake2b-256 price).
func (p *PriceList) check() error {
	type fig struct {
		what      string
		got, want Gas
	}
	var figs []fig
	add := func(f ...fig) { figs = append(figs, f...) }
	must := func(c Charge, err error) Gas {
		if err != nil {
			return -1
		}
		return c.Total()
	}
	mustOK := func(c Charge, ok bool) Gas {
		if !ok {
			return -1
		}
		return c.Total()
	}
	switch p.Name {
	case "skyr":
		add(fig{"OnChainMessage(0)", p.OnChainMessage(0).Total(), NewGas(85_663)},
			fig{"OnCreateActor", p.OnCreateActor(false).Total(), NewGas(1_207_254)},
			fig{"OnBlockLink(0)", p.OnBlockLink(0).Total(), NewGas(353_640)},
			fig{"OnBlockOpenPerByte(2)", p.OnBlockOpenPerByte(2).Total(), NewGas(21)})
		if p.Rules != (Rules{SignedGas: true}) || len(p.PreloadedActors) != 0 {
			return fmt.Errorf("gas: skyr has Hygge rules")
		}
	case "hygge", "watermelon", "teep":
		// Unchanged from HYGGE in every later list (fvm-gas-next.md §2.2).
		add(fig{"OnChainMessage(0)", p.OnChainMessage(0).Total(), NewGas(560_663)},
			fig{"OnCreateActor(true)", p.OnCreateActor(true).Total(), NewGas(2_700_000)},
			fig{"OnBlockOpenPerByte(10)", p.OnBlockOpenPerByte(10).Total(), NewGas(100)},
			fig{"OnBlockCreate(10)", p.OnBlockCreate(10).Total(), NewGas(100)},
			// fvm-gas-next.md §10 example 21, 24.
			fig{"OnVerifyAggregateSeals(32GiB V1P1, 10)", p.OnVerifyAggregateSeals(aggregateOf(seal32GiBV1P1, 10)).Total(), NewGas(116_855_810)},
			fig{"OnVerifyPost(10)", p.OnVerifyPost(postOf(post32GiBV1P1, 10)).Total(), NewGas(118_118_721)})
		for i := 1; i < len(p.PreloadedActors); i++ {
			if p.PreloadedActors[i-1] >= p.PreloadedActors[i] {
				return fmt.Errorf("gas: %s preloaded actors not ascending", p.Name)
			}
		}
		if _, ok := p.hashPerByte(HashBlake2b256); !ok {
			return fmt.Errorf("gas: %s has no blake2b-256 price", p.Name)
		}
	default:
		return fmt.Errorf("gas: unknown price list %q", p.Name)
	}
	switch p.Name {
	case "hygge":
		add(fig{"OnBlockLink(0)", p.OnBlockLink(0).Total(), NewGas(506_000)},
			fig{"OnBlockOpenBase", p.OnBlockOpenBase().Total(), NewGas(187_440)},
			fig{"OnTipsetCid(2)", must(p.OnTipsetCid(2)), NewGas(215_000)},
			fig{"OnGetRandomness(32)", p.OnGetRandomness(32).Total(), NewGas(21_800)})
	case "watermelon", "teep":
		// fvm-gas-next.md §2.2–§2.4 and §10 examples 1, 6, 8, 9, 17, 20, 22, 25.
		add(fig{"OnBlockLink(0)", p.OnBlockLink(0).Total(), NewGas(506_300)},
			fig{"OnBlockOpenBase", p.OnBlockOpenBase().Total(), NewGas(187_740)},
			fig{"OnBlockOpen(88, 2)", p.OnBlockOpen(88, 2).Total(), NewGas(880)},
			fig{"OnScanIpldLinks(4, 2)", must(p.OnScanIpldLinks(4, 2)), NewGas(940)},
			fig{"OnGetRandomnessLookback(0, 900)", p.OnGetRandomnessLookback(0, 900).Total(), NewGas(213_700)},
			fig{"OnTipsetCid(900)", must(p.OnTipsetCid(900)), NewGas(213_700)},
			fig{"OnActorEvent(0, 0, 0)", must(p.OnActorEvent(0, 0, 0)), Milli(2_706_400)},
			fig{"OnMethodInvocationLinks(2)", mustOK(p.OnMethodInvocationLinks(zeroValue, 2, 2)), NewGas(75_600)},
			fig{"OnMethodReturn(2, _, 3)", mustOK(p.OnMethodReturn(2, 0, 3)), NewGas(900)},
			fig{"OnActorSetRoot", mustOK(p.OnActorSetRoot()), NewGas(300)},
			fig{"OnVerifyBlsAggregateSignature(1, 0)", must(p.OnVerifyBlsAggregateSignature(1, 0)), NewGas(16_598_604)})
		if _, err := p.NewScanMeter(0); err != nil {
			return err
		}
	}
	switch p.Name {
	case "watermelon":
		add(fig{"OnVerifySeal", p.OnVerifySeal().Total(), NewGas(2_000)},
			fig{"OnVerifyAggregateSeals(32GiB NI, 10)", p.OnVerifyAggregateSeals(aggregateOf(seal32GiBNI, 10)).Total(), NewGas(116_855_810)})
	case "teep":
		// fvm-gas-next.md §2.3, §10 example 22 (RF 4.8.2 asserts the N = 1 pair).
		add(fig{"OnVerifySeal", p.OnVerifySeal().Total(), NewGas(42_000_000)},
			fig{"OnVerifyAggregateSeals(32GiB NI, 10)", p.OnVerifyAggregateSeals(aggregateOf(seal32GiBNI, 10)).Total(), NewGas(267_648_180)},
			fig{"OnVerifyAggregateSeals(32GiB NI, 1)", p.OnVerifyAggregateSeals(aggregateOf(seal32GiBNI, 1)).Total(), NewGas(118_025_550)},
			fig{"OnVerifyAggregateSeals(64GiB NI, 1)", p.OnVerifyAggregateSeals(aggregateOf(seal64GiBNI, 1)).Total(), NewGas(115_329_958)})
	}
	for _, f := range figs {
		if f.got != f.want {
			return fmt.Errorf("gas: %s price list: %s = %d mg, want %d mg", p.Name, f.what, f.got, f.want)
		}
	}
	if _, _, ok := p.aggregatePrice(aggregateFallback); !ok {
		return fmt.Errorf("gas: %s has no 32GiB V1P1 aggregate row", p.Name)
	}
	for _, r := range p.AggregateSealSteps {
		for i := 1; i < len(r.Steps); i++ {
			if r.Steps[i-1].Start >= r.Steps[i].Start {
				return fmt.Errorf("gas: %s aggregate steps of proof %d not ascending", p.Name, r.Proof)
			}
		}
	}
	if _, ok := p.postPrice(p.VerifyPostFallback); !ok {
		return fmt.Errorf("gas: %s has no Window PoSt fallback row", p.Name)
	}
	return nil
}
