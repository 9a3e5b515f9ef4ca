package gas

import (
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Expected numbers are typed from fvm-gas-next.md §2.2–§2.4, §4, §5 and
// fvm-abi-next.md §8 (whole gas × g unless written in mg), never computed by
// the code under test.

const (
	p32NI = abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep
	p64NI = abi.RegisteredSealProof_StackedDrg64GiBV1_2_Feat_NiPoRep
	p2kNI = abi.RegisteredSealProof_StackedDrg2KiBV1_2_Feat_NiPoRep
)

func mustE(c Charge, err error) Charge {
	if err != nil {
		panic(err)
	}
	return c
}

func postTyped(typ abi.RegisteredPoStProof, n int) *proof.WindowPoStVerifyInfo {
	return &proof.WindowPoStVerifyInfo{Proofs: []proof.PoStProof{{PoStProof: typ}}, ChallengedSectors: make([]proof.SectorInfo, n)}
}

// The charges WATERMELON and TEEP share (fvm-gas-next.md §2.2, §2.4).
func v4Cases(p *PriceList) []priceCase {
	return []priceCase{
		{"inclusion L=100", p.OnChainMessage(100), "OnChainMessage", 38_863 * g, (475_000 + 46_800 + 130_000) * g},
		{"invoke m2, no links", must(p.OnMethodInvocation(zero, 2)), "OnMethodInvocation", 75_000 * g, 0},
		{"invoke m2, 2 param links", must(p.OnMethodInvocationLinks(one, 2, 2)), "OnMethodInvocation", 75_600 * g, 0},
		{"invoke m2, 1000 param links", must(p.OnMethodInvocationLinks(zero, 2, 1000)), "OnMethodInvocation", 375_000 * g, 0},
		{"transfer", must(p.OnValueTransfer(one)), "OnValueTransfer", 6_000 * g, 0},
		{"return depth 1, 40 bytes, links ignored", must(p.OnMethodReturn(1, 40, 5)), "OnChainReturnValue", 0, 52_000 * g},
		{"return depth 2, 3 links", must(p.OnMethodReturn(2, 40, 3)), "OnReturnValue", 900 * g, 0},
		{"return depth 2, no links", must(p.OnMethodReturn(2, 40, 0)), "OnReturnValue", 0, 0},
		{"syscall", p.OnSyscall(), "OnSyscall", 14_000 * g, 0},
		{"create new address", p.OnCreateActor(true), "OnCreateActor", 0, 2_700_000 * g},
		{"delete", p.OnDeleteActor(), "OnDeleteActor", 0, 0},
		{"get root", must(p.OnActorGetRoot()), "OnActorGetRoot", 300 * g, 0},
		{"set root", must(p.OnActorSetRoot()), "OnActorSetRoot", 300 * g, 0},
		{"lookup", p.OnActorLookup(), "OnActorLookup", 0, 500_000 * g},
		{"update", p.OnActorUpdate(), "OnActorUpdate", 0, 475_000 * g},
		{"sig secp 100", mustErr(p.OnVerifySignature(crypto.SigTypeSecp256k1, 100)), "OnVerifySignature", 1_638_292 * g, 0},
		{"sig bls 100", mustErr(p.OnVerifySignature(crypto.SigTypeBLS, 100)), "OnVerifySignature", 16_601_205 * g, 0},
		{"bls aggregate 3, 300 bytes", mustE(p.OnVerifyBlsAggregateSignature(3, 300)), "OnVerifyBlsAggregateSignature", 33_199_308 * g, 0},
		{"bls aggregate 0, 0 bytes", mustE(p.OnVerifyBlsAggregateSignature(0, 0)), "OnVerifyBlsAggregateSignature", 8_299_302 * g, 0},
		{"keccak-256 100", must(p.OnHashing(0x1b, 100)), "OnHashing", 3_300 * g, 0},
		{"commd", p.OnComputeUnsealedSectorCid(p32, nil), "OnComputeUnsealedSectorCid", 98_647 * g, 0},
		{"agg 32 V1P1 n=4", p.OnVerifyAggregateSeals(agg(p32, 4)), "OnVerifyAggregateSeals", 105_793_770 * g, 0},
		{"agg 64 V1P1 n=410", p.OnVerifyAggregateSeals(agg(p64, 410)), "OnVerifyAggregateSeals", 657_182_160 * g, 0},
		{"agg 2KiB NI → 32 V1P1 n=13", p.OnVerifyAggregateSeals(agg(p2kNI, 13)), "OnVerifyAggregateSeals", 128_761_310 * g, 0},
		{"replica", p.OnVerifyReplicaUpdate(), "OnVerifyReplicaUpdate", 36_316_136 * g, 0},
		{"post V1P1 32GiB 10", p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1, 10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"post V1 32GiB → fallback 10", p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1, 10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"post no proof → fallback 0", p.OnVerifyPost(post(0)), "OnVerifyPost", 117_680_921 * g, 0},
		{"fault", p.OnVerifyConsensusFault(), "OnVerifyConsensusFault", 0, 516_422 * g},
		{"randomness lookback 0", p.OnGetRandomnessLookback(32, 0), "OnGetRandomness", 0, 146_200 * g},
		{"randomness lookback 2880", p.OnGetRandomnessLookback(0, 2880), "OnGetRandomness", 0, 362_200 * g},
		{"randomness lookback −1 saturates", p.OnGetRandomnessLookback(0, -1), "OnGetRandomness", 0, 1<<63 - 1},
		{"tipset 1", mustErr(p.OnTipsetCid(1)), "OnTipsetCid", 0, 146_275 * g},
		{"tipset 900 (no finality bound)", mustErr(p.OnTipsetCid(900)), "OnTipsetCid", 0, 213_700 * g},
		{"open base", p.OnBlockOpenBase(), "OnBlockOpenBase", 300 * g, 187_440 * g},
		{"open 1000, no links", p.OnBlockOpen(1000, 0), "OnBlockOpen", 0, 10_000 * g},
		{"open 1000, 10 links", p.OnBlockOpen(1000, 10), "OnBlockOpen", 3_000 * g, 7_000 * g},
		{"open 1, 1 link (2.4 + 300)", p.OnBlockOpen(1, 1), "OnBlockOpen", 300 * g, 2_400},
		{"open per byte = open without links", p.OnBlockOpenPerByte(1000), "OnBlockOpen", 0, 10_000 * g},
		{"read 1001 (0.4/byte)", p.OnBlockRead(1001), "OnBlockRead", 400_400, 0},
		{"create 1000, no links", p.OnBlockCreate(1000), "OnBlockCreate", 2_400 * g, 7_600 * g},
		{"create 1000, 10 links", p.OnBlockCreateLinks(1000, 10), "OnBlockCreate", 5_400 * g, 4_600 * g},
		{"create 1, 1 link", p.OnBlockCreateLinks(1, 1), "OnBlockCreate", 302_400, 0},
		{"link 100", p.OnBlockLink(100), "OnBlockLink", 1_540 * g, (506_000 + 334_000) * g},
		{"link 1 (12.4 + 300 + 3,340)", p.OnBlockLink(1), "OnBlockLink", 312_400, 509_340 * g},
		{"scan 4 fields 2 CIDs", mustE(p.OnScanIpldLinks(4, 2)), "OnScanIpldLinks", 940 * g, 0},
		{"scan nothing (raw block)", mustE(p.OnScanIpldLinks(0, 0)), "OnScanIpldLinks", 0, 0},
		{"event 0/0/0 (S=12)", mustE(p.OnActorEvent(0, 0, 0)), "OnActorEvent", 2_557_600, 148_800},
		{"event 1/1/32 (S=54)", mustE(p.OnActorEvent(1, 1, 32)), "OnActorEvent", 4_175_200, 669_600},
		{"stat", p.OnBlockStat(), "OnBlockStat", 0, 0},
		{"memory init 17 pages", p.WasmMemoryInit(17 * 65536), "wasm_memory_init", 445_644_800, 0},
		{"table init 455", p.WasmTableInit(455), "wasm_table_init", 1_456 * g, 0},
	}
}

func TestWatermelonPrices(t *testing.T) {
	p := Watermelon()
	check(t, "watermelon", v4Cases(p))
	check(t, "watermelon", []priceCase{
		{"seal", p.OnVerifySeal(), "OnVerifySeal", 2_000 * g, 0},
		{"agg 32 NI → 32 V1P1 n=10", p.OnVerifyAggregateSeals(agg(p32NI, 10)), "OnVerifyAggregateSeals", 116_855_810 * g, 0},
		{"agg 64 NI → 32 V1P1 n=3 (no step)", p.OnVerifyAggregateSeals(agg(p64NI, 3)), "OnVerifyAggregateSeals", 1_349_700 * g, 0},
	})
	testV4Refusals(t, p)
}

func TestTeepPrices(t *testing.T) {
	p := Teep()
	check(t, "teep", v4Cases(p))
	check(t, "teep", []priceCase{
		{"seal", p.OnVerifySeal(), "OnVerifySeal", 42_000_000 * g, 0},
		{"agg 32 NI n=0", p.OnVerifyAggregateSeals(agg(p32NI, 0)), "OnVerifyAggregateSeals", 0, 0},
		{"agg 32 NI n=1", p.OnVerifyAggregateSeals(agg(p32NI, 1)), "OnVerifyAggregateSeals", (5_668_740 + 112_356_810) * g, 0},
		{"agg 32 NI n=2", p.OnVerifyAggregateSeals(agg(p32NI, 2)), "OnVerifyAggregateSeals", (2*5_668_740 + 122_912_610) * g, 0},
		{"agg 32 NI n=4", p.OnVerifyAggregateSeals(agg(p32NI, 4)), "OnVerifyAggregateSeals", (4*5_668_740 + 137_559_930) * g, 0},
		{"agg 32 NI n=33", p.OnVerifyAggregateSeals(agg(p32NI, 33)), "OnVerifyAggregateSeals", (33*5_668_740 + 528_274_980) * g, 0},
		{"agg 64 NI n=5", p.OnVerifyAggregateSeals(agg(p64NI, 5)), "OnVerifyAggregateSeals", (5*4_526_928 + 157_357_890) * g, 0},
		{"agg 64 NI n=16", p.OnVerifyAggregateSeals(agg(p64NI, 16)), "OnVerifyAggregateSeals", (16*4_526_928 + 203_017_690) * g, 0},
		{"agg 64 NI n=17", p.OnVerifyAggregateSeals(agg(p64NI, 17)), "OnVerifyAggregateSeals", (17*4_526_928 + 304_253_590) * g, 0},
	})
	testV4Refusals(t, p)
}

// testV4Refusals: the HYGGE charges WATERMELON removed are refused, and
// WATERMELON's own ranges hold.
func testV4Refusals(t *testing.T, p *PriceList) {
	t.Helper()
	for _, c := range []Charge{p.OnActorEventValidate(10), p.OnActorEventAccept(10), p.OnGetRandomness(32)} {
		if !errors.Is(c.Err(), ErrNoSuchCharge) {
			t.Errorf("%s %s: Err() = %v, want ErrNoSuchCharge", p.Name, c.Name, c.Err())
		}
		tr := NewTrackerFor(p, NewGas(1_000_000))
		if err := tr.Apply(c); !errors.Is(err, ErrNoSuchCharge) || tr.Used() != 0 {
			t.Errorf("%s %s: Apply = %v, used %d; want ErrNoSuchCharge and nothing charged", p.Name, c.Name, err, tr.Used())
		}
	}
	if _, ok := p.OnMethodInvocationLinks(one, 0, 3); ok {
		t.Errorf("%s: method 0 charges no invocation", p.Name)
	}
	for _, off := range []int64{0, -1, -1 << 62} {
		if _, err := p.OnTipsetCid(off); !isErrno(err, errno.IllegalArgument) {
			t.Errorf("%s tipset offset %d: %v", p.Name, off, err)
		}
	}
	if _, err := p.OnTipsetCid(1 << 40); err != nil {
		t.Errorf("%s: tipset offsets have no upper bound: %v", p.Name, err)
	}
	r := p.Rules
	if !r.LookbackPricing || !r.ReachabilityCharges || !r.BLSAggregate || r.Events != EventsPerEntry || r.HashedRandomness ||
		!r.SplitSendCharges || !r.StateAccessCharging || r.SignedGas {
		t.Errorf("%s rules %+v", p.Name, r)
	}
}

// The lists without a charge say so, and the ok=false cases charge nothing.
func TestChargesMissingBeforeWatermelon(t *testing.T) {
	for _, p := range []*PriceList{Skyr(), Hygge()} {
		if _, err := p.OnActorEvent(1, 1, 1); !errors.Is(err, ErrNoSuchCharge) {
			t.Errorf("%s OnActorEvent: %v", p.Name, err)
		}
		if _, err := p.OnScanIpldLinks(1, 1); !errors.Is(err, ErrNoSuchCharge) {
			t.Errorf("%s OnScanIpldLinks: %v", p.Name, err)
		}
		if _, err := p.NewScanMeter(NewGas(1)); !errors.Is(err, ErrNoSuchCharge) {
			t.Errorf("%s NewScanMeter: %v", p.Name, err)
		}
		if _, err := p.OnVerifyBlsAggregateSignature(1, 1); !errors.Is(err, ErrNoSuchCharge) {
			t.Errorf("%s OnVerifyBlsAggregateSignature: %v", p.Name, err)
		}
		if _, ok := p.OnActorGetRoot(); ok {
			t.Errorf("%s: self.root is free", p.Name)
		}
		if _, ok := p.OnActorSetRoot(); ok {
			t.Errorf("%s: self.set_root has no charge of its own", p.Name)
		}
		if _, ok := p.OnMethodReturn(2, 100, 3); ok {
			t.Errorf("%s: no return charge below the top level", p.Name)
		}
		// The older forms with the extra inputs are the same charges.
		if a, b := p.OnGetRandomnessLookback(32, -1), p.OnGetRandomness(32); a != b {
			t.Errorf("%s randomness: %+v vs %+v", p.Name, a, b)
		}
		if a, b := p.OnBlockOpen(100, 3), p.OnBlockOpenPerByte(100); a != b || a.Name != "OnBlockOpenPerByte" {
			t.Errorf("%s open: %+v vs %+v", p.Name, a, b)
		}
		if a, b := p.OnBlockCreateLinks(100, 3), p.OnBlockCreate(100); a != b {
			t.Errorf("%s create: %+v vs %+v", p.Name, a, b)
		}
		a, _ := p.OnMethodInvocationLinks(one, 2, 3)
		b, _ := p.OnMethodInvocation(one, 2)
		if a != b {
			t.Errorf("%s invocation: %+v vs %+v", p.Name, a, b)
		}
	}
	if c := Skyr().OnActorEventValidate(10); !errors.Is(c.Err(), ErrNoSuchCharge) {
		t.Errorf("skyr has no events: %v", c.Err())
	}
	if _, err := Skyr().OnTipsetCid(1); !errors.Is(err, ErrNoSuchCharge) {
		t.Errorf("skyr tipset_cid: %v", err)
	}
	if c := Hygge().OnActorEventValidate(10); c.Err() != nil {
		t.Errorf("hygge validate: %v", c.Err())
	}
}

// fvm-gas-next.md §2.2 "Unchanged from HYGGE": the later lists price these
// exactly as HYGGE does.
func TestUnchangedFromHygge(t *testing.T) {
	h := Hygge()
	for _, p := range []*PriceList{Watermelon(), Teep()} {
		for _, n := range []int{0, 1, 100, 65536} {
			pairs := [][2]Charge{
				{p.OnChainMessage(n), h.OnChainMessage(n)},
				{p.OnChainReturnValue(n), h.OnChainReturnValue(n)},
				{must(p.OnValueTransfer(one)), must(h.OnValueTransfer(one))},
				{p.OnCreateActor(true), h.OnCreateActor(true)},
				{p.OnCreateActor(false), h.OnCreateActor(false)},
				{p.OnActorLookup(), h.OnActorLookup()},
				{p.OnActorUpdate(), h.OnActorUpdate()},
				{mustErr(p.OnVerifySignature(crypto.SigTypeSecp256k1, n)), mustErr(h.OnVerifySignature(crypto.SigTypeSecp256k1, n))},
				{mustErr(p.OnVerifySignature(crypto.SigTypeBLS, n)), mustErr(h.OnVerifySignature(crypto.SigTypeBLS, n))},
				{p.OnRecoverSecpPublicKey(), h.OnRecoverSecpPublicKey()},
				{p.OnComputeUnsealedSectorCid(p32, nil), h.OnComputeUnsealedSectorCid(p32, nil)},
				{p.OnVerifyReplicaUpdate(), h.OnVerifyReplicaUpdate()},
				{p.OnVerifyConsensusFault(), h.OnVerifyConsensusFault()},
				{p.OnVerifyAggregateSeals(agg(p32, n)), h.OnVerifyAggregateSeals(agg(p32, n))},
				{p.OnVerifyAggregateSeals(agg(p64, n)), h.OnVerifyAggregateSeals(agg(p64, n))},
				{p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow64GiBV1_1, n)), h.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow64GiBV1_1, n))},
				{p.OnBlockRead(n), h.OnBlockRead(n)},
				{p.OnBlockCreate(n), h.OnBlockCreate(n)},
				{p.WasmMemoryInit(int64(n)), h.WasmMemoryInit(int64(n))},
				{p.WasmTableInit(int64(n)), h.WasmTableInit(int64(n))},
				{p.OnSyscall(), h.OnSyscall()},
			}
			for _, code := range []uint64{HashSha2_256, HashBlake2b256, HashBlake2b512, HashKeccak256, HashRipemd160} {
				pairs = append(pairs, [2]Charge{must(p.OnHashing(code, n)), must(h.OnHashing(code, n))})
			}
			for _, c := range pairs {
				if c[0] != c[1] {
					t.Errorf("%s n=%d: %+v, hygge %+v", p.Name, n, c[0], c[1])
				}
			}
		}
		if p.Exec != h.Exec {
			t.Errorf("%s exec prices %+v, hygge %+v", p.Name, p.Exec, h.Exec)
		}
		if len(p.PreloadedActors) != len(h.PreloadedActors) {
			t.Errorf("%s preloaded %v", p.Name, p.PreloadedActors)
		}
	}
}

// Deriving must not write through to the previous list, and each list
// records its named changes.
func TestDerivationIsolated(t *testing.T) {
	h, w, te := Hygge(), Watermelon(), Teep()
	if h.Rules.LookbackPricing || h.Rules.ReachabilityCharges || h.Rules.Events != EventsValidateAccept || h.LinkTracked != 0 {
		t.Errorf("hygge modified by watermelon: %+v", h.Rules)
	}
	if len(h.VerifyPost) != 6 || h.VerifyPostFallback != abi.RegisteredPoStProof_StackedDrgWindow512MiBV1 {
		t.Errorf("hygge post rows %v fallback %d", h.VerifyPost, h.VerifyPostFallback)
	}
	if len(w.AggregateSealPerProof) != 2 || len(w.AggregateSealSteps) != 2 || w.VerifySeal != NewGas(2_000) {
		t.Errorf("watermelon modified by teep: %v", w.AggregateSealPerProof)
	}
	if len(te.AggregateSealPerProof) != 4 || len(te.AggregateSealSteps) != 4 {
		t.Errorf("teep rows %v", te.AggregateSealPerProof)
	}
	if len(w.Changes) != len(watermelonChanges) || len(te.Changes) != len(teepChanges) {
		t.Errorf("changes: %v / %v", w.Changes, te.Changes)
	}
	for _, name := range []string{"watermelon", "teep"} {
		p, err := ByName(name)
		if err != nil || p.Name != name {
			t.Errorf("ByName(%q) = %v, %v", name, p, err)
		}
	}
	for _, p := range []*PriceList{w, te} {
		if err := p.check(); err != nil {
			t.Error(err)
		}
	}
	// A wrong change fails the check loudly.
	broken := *te
	broken.VerifySeal = NewGas(2_000)
	if broken.check() == nil {
		t.Error("check accepts teep with watermelon's seal price")
	}
	broken = *w
	broken.LinkChecked = 0
	if broken.check() == nil {
		t.Error("check accepts watermelon without the 300 link check")
	}
	broken = *te
	broken.AggregateSealSteps = broken.AggregateSealSteps[2:]
	if broken.check() == nil {
		t.Error("check accepts teep without the interactive 32GiB fallback steps")
	}
	broken = *w
	broken.VerifyPostFallback = abi.RegisteredPoStProof_StackedDrgWindow512MiBV1
	if broken.check() == nil {
		t.Error("check accepts watermelon with a fallback it has no row for")
	}
}
