package rules

import (
	"fmt"
	"slices"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/codecs"
)

// expected is the sheets' version table transcribed a second time, apart from
// the change list, so that a mistaken change fails at init
// (fvm-abi-next.md §0.1 engine, §10 actors, fvm-gas-next.md §0.2 prices).
var expected = map[network.Version]struct {
	engine Engine
	prices string
	actors int
}{
	network.Version16: {FVMv2, "skyr", 8},
	network.Version17: {FVMv2, "skyr", 9},
	network.Version18: {FVMv3, "hygge", 10},
	network.Version19: {FVMv3, "hygge", 11},
	network.Version20: {FVMv3, "hygge", 11},
	network.Version21: {FVMv4, "watermelon", 12},
	network.Version22: {FVMv4, "watermelon", 13},
	network.Version23: {FVMv4, "watermelon", 14},
	network.Version24: {FVMv4, "watermelon", 15},
	network.Version25: {FVMv4, "teep", 16},
	network.Version26: {FVMv4, "teep", 16},
	network.Version27: {FVMv4, "teep", 17},
	network.Version28: {FVMv4, "teep", 18},
}

// span is a behaviour that holds from one version to another, inclusive.
type span struct {
	name      string
	get       func(*Rules) bool
	from, to  network.Version
	reference string // where the sheets say so
}

var spans = []span{
	{"DelegatedAddresses", func(r *Rules) bool { return r.DelegatedAddresses }, 18, 28, "fvm-abi.md §6.11"},
	{"ReadOnlySends", func(r *Rules) bool { return r.ReadOnlySends }, 18, 28, "fvm-abi.md §6.4"},
	{"SendGasLimits", func(r *Rules) bool { return r.SendGasLimits }, 18, 28, "fvm-abi.md §6.5"},
	{"ExitWithData", func(r *Rules) bool { return r.ExitWithData }, 18, 28, "fvm-abi.md §5.2"},
	{"CBORParams", func(r *Rules) bool { return r.CBORParams }, 18, 28, "fvm-abi-next.md §4.1"},
	{"BlockCreateLimit", func(r *Rules) bool { return r.BlockCreateLimit }, 18, 28, "fvm-abi.md §3.2"},
	{"ReceiptEventsRoot", func(r *Rules) bool { return r.ReceiptEventsRoot }, 18, 28, "fvm-abi-next.md §5.4"},
	{"ZeroPricedCharges", func(r *Rules) bool { return r.ZeroPricedCharges }, 18, 28, "fvm-abi.md §10"},
	{"CheckBLSZeroFirst", func(r *Rules) bool { return r.CheckBLSZeroFirst }, 18, 28, "fvm-abi.md §6.2, fvm-abi-next.md §7.5"},
	{"BatchVerifySealCharges", func(r *Rules) bool { return r.BatchVerifySealCharges }, 18, 28, "fvm-abi.md §3.2, fvm-abi-next.md §7.14"},
	{"ExecChargeKeepsBaseline", func(r *Rules) bool { return r.ExecChargeKeepsBaseline }, 18, 28, "fvm-abi-next.md §1.1"},
	{"TraceOutOfGasAsReturn", func(r *Rules) bool { return r.TraceOutOfGasAsReturn }, 18, 28, "fvm-abi.md §9"},
	{"EmptyArrayAtStart", func(r *Rules) bool { return r.EmptyArrayAtStart }, 18, 28, "fvm-abi.md §8.1"},
	{"KeySignersOnly", func(r *Rules) bool { return r.KeySignersOnly }, 18, 28, "fvm-abi.md §3.2, fvm-abi-next.md §3.3"},
	{"NextActorAddress", func(r *Rules) bool { return r.NextActorAddress }, 18, 28, "fvm-abi.md §6.7, fvm-abi-next.md §7.5"},
	{"EffectivePremium", func(r *Rules) bool { return r.EffectivePremium }, 18, 28, "fvm-abi.md §3.2"},
	{"TipsetCidChargeAborts", func(r *Rules) bool { return r.TipsetCidChargeAborts }, 18, 28, "fvm-abi-next.md §3.3"},
	{"PoStConsistency", func(r *Rules) bool { return r.PoStConsistency }, 18, 28, "fvm-abi-next.md §7.14"},
	{"SyntheticPoRep", func(r *Rules) bool { return r.SyntheticPoRep }, 18, 28, "fvm-abi-next.md §7.14"},
	{"CreateActorSingletons", func(r *Rules) bool { return r.CreateActorSingletons }, 16, 17, "fvm-abi.md §3.2, fvm-abi-next.md §7.5"},
	{"OnlyManifestCode", func(r *Rules) bool { return r.OnlyManifestCode }, 16, 17, "fvm-abi.md §5.1"},
	{"VerifySealSyscall", func(r *Rules) bool { return r.VerifySealSyscall }, 16, 17, "fvm-abi-next.md §3.1"},
	{"TipsetCidFinality", func(r *Rules) bool { return r.TipsetCidFinality }, 18, 20, "fvm-abi-next.md §3.3"},
	{"DepthLimitLeak", func(r *Rules) bool { return r.DepthLimitLeak }, 18, 20, "fvm-gas-next.md §1.2"},
	{"PoStV1", func(r *Rules) bool { return r.PoStV1 }, 16, 20, "fvm-abi-next.md §7.14"},
	{"PoStV1P1", func(r *Rules) bool { return r.PoStV1P1 }, 18, 28, "fvm-abi-next.md §7.14"},
	{"CalibnetPoStFixup", func(r *Rules) bool { return r.CalibnetPoStFixup }, 18, 20, "fvm-abi-next.md §7.14"},
	{"Reachability", func(r *Rules) bool { return r.Reachability }, 21, 28, "fvm-abi-next.md §4"},
	{"RandomnessDigest", func(r *Rules) bool { return r.RandomnessDigest }, 21, 28, "fvm-abi-next.md §6.1"},
	{"SelfDestructBurn", func(r *Rules) bool { return r.SelfDestructBurn }, 21, 28, "fvm-abi-next.md §3.3"},
	{"CBOREventValues", func(r *Rules) bool { return r.CBOREventValues }, 21, 28, "fvm-abi-next.md §5.3"},
	{"VerifyBLSAggregate", func(r *Rules) bool { return r.VerifyBLSAggregate }, 21, 28, "fvm-abi-next.md §3.1"},
	{"MissingEntryPointExit", func(r *Rules) bool { return r.MissingEntryPointExit }, 21, 28, "fvm-abi-next.md §1.2"},
	{"NiPoRep", func(r *Rules) bool { return r.NiPoRep }, 21, 28, "fvm-abi-next.md §7.14"},
}

// check verifies one version against the independent transcription.
func (r *Rules) check() error {
	nv := r.NetworkVersion
	want, ok := expected[nv]
	if !ok {
		return fmt.Errorf("rules: %s (nv%d) is not in the version table", r.Name, nv)
	}
	if r.Engine != want.engine {
		return fmt.Errorf("rules: nv%d runs %s, want %s", nv, r.Engine, want.engine)
	}
	if r.Prices == nil || r.Prices.Name != want.prices {
		return fmt.Errorf("rules: nv%d is priced with %v, want %s", nv, r.Prices, want.prices)
	}
	if r.ActorsVersion != want.actors {
		return fmt.Errorf("rules: nv%d runs actors v%d, want v%d", nv, r.ActorsVersion, want.actors)
	}
	wantRoot := uint64(4)
	if r.Engine >= FVMv3 {
		wantRoot = 5
	}
	if r.StateRootVersion != wantRoot {
		return fmt.Errorf("rules: nv%d creates StateRoot v%d, want v%d", nv, r.StateRootVersion, wantRoot)
	}
	wantDepth := 1024
	if r.Engine == FVMv2 {
		wantDepth = 1025
	}
	if r.MaxCallDepthFrames != wantDepth {
		return fmt.Errorf("rules: nv%d allows %d frames, want %d (fvm-abi.md §6.1)", nv, r.MaxCallDepthFrames, wantDepth)
	}
	wantLoaded := []uint64{5}
	if r.Engine == FVMv2 {
		wantLoaded = []uint64{3, 4}
	}
	if !slices.Equal(r.StateRootVersionsLoaded, wantLoaded) {
		return fmt.Errorf("rules: nv%d loads StateRoot versions %v, want %v (fvm-abi.md §8.2)", nv, r.StateRootVersionsLoaded, wantLoaded)
	}
	wantCodecs := codecs.SetOf(codecs.DagCBOR, codecs.CBOR, codecs.Raw)
	wantFlush := blocks.V3
	if r.Engine == FVMv2 {
		wantCodecs, wantFlush = codecs.SetOf(codecs.DagCBOR), blocks.V2
	}
	if r.RegistryCodecs != wantCodecs {
		return fmt.Errorf("rules: nv%d registries hold %v, want %v (fvm-abi.md §4.1)", nv, r.RegistryCodecs, wantCodecs)
	}
	if r.Flush != wantFlush {
		return fmt.Errorf("rules: nv%d flushes in mode %d, want %d (fvm-abi-next.md §4.7)", nv, r.Flush, wantFlush)
	}
	for _, s := range spans {
		if in := nv >= s.from && nv <= s.to; s.get(r) != in {
			return fmt.Errorf("rules: nv%d %s = %v, but %s gives nv%d–%d", nv, s.name, s.get(r), s.reference, s.from, s.to)
		}
	}
	wantEvents := map[Engine]EventABI{FVMv2: NoEvents, FVMv3: CBOREvents, FVMv4: PackedEvents}[r.Engine]
	if r.Events != wantEvents {
		return fmt.Errorf("rules: nv%d event ABI %d, want %d", nv, r.Events, wantEvents)
	}
	return nil
}
