package rules

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/gas"
)

// skyr is nv16, the first FVM version, written out in full: FVM 2.12.1 with
// the SKYR price list and builtin-actors v8 (fvm-abi-next.md §9, §10).
func skyr() *Rules {
	return &Rules{
		NetworkVersion:          network.Version16,
		Name:                    "skyr",
		Engine:                  FVMv2,
		Prices:                  gas.MustPriceList("skyr"),
		StateRootVersion:        4,
		StateRootVersionsLoaded: []uint64{3, 4},
		RegistryCodecs:          codecs.SetOf(codecs.DagCBOR),
		ActorsVersion:           8,
		MaxCallDepthFrames:      1025,
		OnlyManifestCode:        true,
		CreateActorSingletons:   true,
		VerifySealSyscall:       true,
		PoStV1:                  true,
		Flush:                   blocks.V2,
	}
}

// change is one named edit of the previous version's rules.
type change struct {
	name  string
	apply func(*Rules)
}

// version is one step of the table: a network version, its name, and what it
// changes on top of the previous one.
type version struct {
	nv      network.Version
	name    string
	changes []change
}

func actors(v int) change {
	return change{fmt.Sprintf("builtin-actors v%d", v), func(r *Rules) { r.ActorsVersion = v }}
}

func prices(name string) change {
	return change{"price list " + name, func(r *Rules) { r.Prices = gas.MustPriceList(name) }}
}

// table lists nv17 … nv28 as changes on top of the version before. The FVM
// gates behaviour by engine line and price list, not by network version
// (fvm-abi-next.md §0.2), so most steps change only the actors and the rest
// happens at the engine boundaries nv18 and nv21.
var table = []version{
	// nv17: no kernel change; the v9 bundle adds datacap (fvm-abi-next.md §9).
	{network.Version17, "shark", []change{actors(9)}},
	// nv18: FVM v3 as 3.14.1 runs it (fvm-abi.md §0.1, fvm-abi-next.md §0.1).
	{network.Version18, "hygge", []change{
		actors(10),
		prices("hygge"),
		{"FVM v3 engine: ABI v3, instrumenter 0.4.0, memory limits", func(r *Rules) { r.Engine = FVMv3 }},
		{"StateRoot version 5 (and only 5 loads)", func(r *Rules) {
			r.StateRootVersion, r.StateRootVersionsLoaded = 5, []uint64{5}
		}},
		{"CBOR and raw blocks in registries", func(r *Rules) {
			r.RegistryCodecs = codecs.SetOf(codecs.DagCBOR, codecs.CBOR, codecs.Raw)
		}},
		{"call depth 1024 frames (depth ≥ 1024 refused)", func(r *Rules) { r.MaxCallDepthFrames = 1024 }},
		{"delegated (f4) addresses, placeholders, EAM, Ethereum accounts", func(r *Rules) { r.DelegatedAddresses = true }},
		{"read-only sends", func(r *Rules) { r.ReadOnlySends = true }},
		{"sub-call gas limits", func(r *Rules) { r.SendGasLimits = true }},
		{"vm.exit with a return block on any exit code", func(r *Rules) { r.ExitWithData = true }},
		{"CBOR (raw for method 0) top-level and account-constructor params", func(r *Rules) { r.CBORParams = true }},
		{"block_create limited to 1 MiB", func(r *Rules) { r.BlockCreateLimit = true }},
		{"empty-array block written at machine start", func(r *Rules) { r.EmptyArrayAtStart = true }},
		{"refused instantiation exits with an illegal instruction", func(r *Rules) { r.InstantiationTrap = true }},
		{"any installed code may run", func(r *Rules) { r.OnlyManifestCode = false }},
		{"verify_signature takes key signers only", func(r *Rules) { r.KeySignersOnly = true }},
		{"create_actor refuses placeholder code instead of singletons", func(r *Rules) { r.CreateActorSingletons = false }},
		{"next_actor_address leaves the f2 counter alone", func(r *Rules) { r.NextActorAddress = true }},
		{"effective gas premium in the message context", func(r *Rules) { r.EffectivePremium = true }},
		{"zero-priced lookups charged (and traced)", func(r *Rules) { r.ZeroPricedCharges = true }},
		{"BLS zero address refused before OnCreateActor", func(r *Rules) { r.CheckBLSZeroFirst = true }},
		{"batch_verify_seals charges OnVerifySeal per entry", func(r *Rules) { r.BatchVerifySealCharges = true }},
		{"charge_for_exec keeps the exec-gas baseline", func(r *Rules) { r.ExecChargeKeepsBaseline = true }},
		{"out of gas traced as CallReturn(7)", func(r *Rules) { r.TraceOutOfGasAsReturn = true }},
		{"CBOR actor events (FIP-0049)", func(r *Rules) { r.Events = CBOREvents }},
		{"4-field receipts with an events root", func(r *Rules) { r.ReceiptEventsRoot = true }},
		// What 3.14.1 changed after 3.1.0 (fvm-abi-next.md §11).
		{"crypto.verify_seal unlinked (3.7.0)", func(r *Rules) { r.VerifySealSyscall = false }},
		{"tipset_cid's out-of-gas aborts at once (3.6.0)", func(r *Rules) { r.TipsetCidChargeAborts = true }},
		{"tipset_cid refuses offsets of 900 or more", func(r *Rules) { r.TipsetCidFinality = true }},
		{"depth-limit sub-limit leak (3.6.0–4.0.0)", func(r *Rules) { r.DepthLimitLeak = true }},
		{"V1P1 Window PoSt accepted, one type per call, seal types checked (3.2.0)", func(r *Rules) {
			r.PoStV1P1, r.PoStConsistency = true, true
		}},
		{"calibnet V1P1 PoSt fix-up (3.3.x)", func(r *Rules) { r.CalibnetPoStFixup = true }},
		{"Synthetic PoRep seal proofs (3.8.0)", func(r *Rules) { r.SyntheticPoRep = true }},
		{"flush traversal of 3.6.0", func(r *Rules) { r.Flush = blocks.V3 }},
	}},
	{network.Version19, "lightning", []change{actors(11)}},
	{network.Version20, "thunder", nil},
	// nv21: FVM v4 as 4.8.2 runs it (fvm-abi-next.md §0.3, §3–§5).
	{network.Version21, "watermelon", []change{
		actors(12),
		prices("watermelon"),
		{"FVM v4 engine: ABI v4", func(r *Rules) { r.Engine = FVMv4 }},
		{"FIP-0071 reachability as consensus", func(r *Rules) { r.Reachability = true }},
		{"FIP-0072 packed events", func(r *Rules) { r.Events = PackedEvents }},
		{"CBOR event values (4.1.2)", func(r *Rules) { r.CBOREventValues = true }},
		{"FIP-0075 randomness returns the client's digest", func(r *Rules) { r.RandomnessDigest = true }},
		{"tipset_cid without the finality limit", func(r *Rules) { r.TipsetCidFinality = false }},
		{"FIP-0073 self_destruct(burn_funds)", func(r *Rules) { r.SelfDestructBurn = true }},
		{"FIP-0079 verify_bls_aggregate (4.3.0)", func(r *Rules) { r.VerifyBLSAggregate = true }},
		{"missing entry point exits with SYS_INVALID_RECEIVER (4.1.0)", func(r *Rules) { r.MissingEntryPointExit = true }},
		{"depth-limit leak fixed (4.1.0)", func(r *Rules) { r.DepthLimitLeak = false }},
		{"V1 Window PoSt refused", func(r *Rules) { r.PoStV1 = false }},
		{"no calibnet PoSt fix-up", func(r *Rules) { r.CalibnetPoStFixup = false }},
		{"NI-PoRep seal proofs (4.3.0)", func(r *Rules) { r.NiPoRep = true }},
	}},
	{network.Version22, "dragon", []change{actors(13)}},
	{network.Version23, "waffle", []change{actors(14)}},
	{network.Version24, "tuktuk", []change{actors(15)}},
	{network.Version25, "teep", []change{actors(16), prices("teep")}},
	{network.Version26, "tock", nil},
	{network.Version27, "goldenweek", []change{actors(17)}},
	{network.Version28, "firehorse", []change{actors(18)}},
}

var (
	all       []*Rules
	byVersion = map[network.Version]*Rules{}
)

func init() {
	r := skyr()
	all = append(all, r)
	for _, v := range table {
		next := *r
		next.NetworkVersion, next.Name, next.Changes = v.nv, v.name, nil
		for _, c := range v.changes {
			c.apply(&next)
			next.Changes = append(next.Changes, c.name)
		}
		r = &next
		all = append(all, r)
	}
	for _, r := range all {
		if err := r.check(); err != nil {
			panic(err)
		}
		byVersion[r.NetworkVersion] = r
	}
}
