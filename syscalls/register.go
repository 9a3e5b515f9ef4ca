package syscalls

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/rules"
)

// ABI is one version of the actor import ABI.
type ABI uint8

const (
	// ABIv2 is FVM v2's ABI (nv16–17).
	ABIv2 ABI = 2
	// ABIv3 is FVM v3's ABI (nv18–20).
	ABIv3 ABI = 3
	// ABIv4 is FVM v4's ABI (nv21–28).
	ABIv4 ABI = 4
)

// ABIFor returns the ABI a network version uses (its rules' engine line).
func ABIFor(nv network.Version) (ABI, error) {
	r, err := rules.For(nv)
	if err != nil {
		return 0, fmt.Errorf("syscalls: %w", err)
	}
	return ABI(r.Engine), nil
}

// Import is one host function of an ABI: its module and name and its exact
// wasm parameter types (ret_ptr included). Every import returns one i32.
type Import struct {
	Module, Name string
	Params       []api.ValueType
	fn           api.GoModuleFunc
}

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

func sig(ts ...api.ValueType) []api.ValueType { return ts }

// imports returns the import table a version's rules link, in the
// reference's binding order (fvm/src/syscalls/mod.rs): the FVM line gives the
// v2 or v3 shape (fvm-abi.md §3.1) and named rules give the later deltas
// (fvm-abi-next.md §3.1): crypto.verify_seal (Rules.VerifySealSyscall), the
// event ABI (Rules.Events), digest-only randomness (Rules.RandomnessDigest),
// self_destruct's burn flag (Rules.SelfDestructBurn) and
// crypto.verify_bls_aggregate (Rules.VerifyBLSAggregate).
// actor.install_actor (m2-native) and actor.upgrade_actor (upgrade-actor)
// are features Lotus does not enable and are never bound.
func imports(r *rules.Rules) []Import {
	ims := []Import{
		{"network", "total_fil_circ_supply", sig(i32), networkTotalFilCircSupply},
		{"ipld", "block_open", sig(i32, i32), ipldBlockOpen},
		{"ipld", "block_create", sig(i32, i64, i32, i32), ipldBlockCreate},
		{"ipld", "block_read", sig(i32, i32, i32, i32, i32), ipldBlockRead},
		{"ipld", "block_stat", sig(i32, i32), ipldBlockStat},
		{"ipld", "block_link", sig(i32, i32, i64, i32, i32, i32), ipldBlockLink},
		{"self", "root", sig(i32, i32, i32), selfRoot},
		{"self", "set_root", sig(i32), selfSetRoot},
		{"self", "current_balance", sig(i32), selfCurrentBalance},
	}
	if r.SelfDestructBurn {
		ims = append(ims, Import{"self", "self_destruct", sig(i32), selfSelfDestructBurn})
	} else {
		ims = append(ims, Import{"self", "self_destruct", sig(i32, i32), selfSelfDestruct})
	}
	ims = append(ims,
		Import{"actor", "resolve_address", sig(i32, i32, i32), actorResolveAddress},
		Import{"actor", "get_actor_code_cid", sig(i32, i64, i32, i32), actorGetActorCodeCid},
		Import{"actor", "get_builtin_actor_type", sig(i32, i32), actorGetBuiltinActorType},
		Import{"actor", "get_code_cid_for_type", sig(i32, i32, i32, i32), actorGetCodeCidForType},
		Import{"crypto", "verify_signature", sig(i32, i32, i32, i32, i32, i32, i32, i32), cryptoVerifySignature},
	)
	if r.VerifyBLSAggregate {
		ims = append(ims, Import{"crypto", "verify_bls_aggregate", sig(i32, i32, i32, i32, i32, i32), cryptoVerifyBLSAggregate})
	}
	ims = append(ims,
		Import{"crypto", "recover_secp_public_key", sig(i32, i32, i32), cryptoRecoverSecpPublicKey},
		Import{"crypto", "hash", sig(i32, i64, i32, i32, i32, i32), cryptoHash},
		Import{"crypto", "compute_unsealed_sector_cid", sig(i32, i64, i32, i32, i32, i32), cryptoComputeUnsealedSectorCid},
	)
	if r.VerifySealSyscall {
		ims = append(ims, Import{"crypto", "verify_seal", sig(i32, i32, i32), cryptoVerifySeal})
	}
	ims = append(ims,
		Import{"crypto", "verify_post", sig(i32, i32, i32), cryptoVerifyPost},
		Import{"crypto", "verify_consensus_fault", sig(i32, i32, i32, i32, i32, i32, i32), cryptoVerifyConsensusFault},
		Import{"crypto", "verify_aggregate_seals", sig(i32, i32, i32), cryptoVerifyAggregateSeals},
		Import{"crypto", "verify_replica_update", sig(i32, i32, i32), cryptoVerifyReplicaUpdate},
		Import{"crypto", "batch_verify_seals", sig(i32, i32, i32), cryptoBatchVerifySeals},
	)
	if r.RandomnessDigest {
		ims = append(ims,
			Import{"rand", "get_chain_randomness", sig(i32, i64), randDigest(false)},
			Import{"rand", "get_beacon_randomness", sig(i32, i64), randDigest(true)},
		)
	} else {
		ims = append(ims,
			Import{"rand", "get_chain_randomness", sig(i32, i64, i64, i32, i32), randRandomness(false)},
			Import{"rand", "get_beacon_randomness", sig(i32, i64, i64, i32, i32), randRandomness(true)},
		)
	}
	ims = append(ims,
		Import{"gas", "charge", sig(i32, i32, i64), gasCharge},
		Import{"debug", "log", sig(i32, i32), debugLog},
		Import{"debug", "enabled", sig(i32), debugEnabled},
		Import{"debug", "store_artifact", sig(i32, i32, i32, i32), debugStoreArtifact},
	)
	if r.Engine == rules.FVMv2 {
		return append(ims,
			Import{"vm", "abort", sig(i32, i32, i32), vmAbort},
			Import{"vm", "context", sig(i32), vmContext},
			Import{"network", "base_fee", sig(i32), networkBaseFee},
			Import{"actor", "new_actor_address", sig(i32, i32, i32), actorActorAddress(false)},
			Import{"actor", "create_actor", sig(i64, i32), actorCreateActor(false)},
			Import{"send", "send", sig(i32, i32, i32, i64, i32, i64, i64), sendSend(false)},
		)
	}
	ims = append(ims,
		Import{"vm", "exit", sig(i32, i32, i32, i32), vmExit},
		Import{"vm", "message_context", sig(i32), vmMessageContext},
		Import{"network", "context", sig(i32), networkContext},
		Import{"network", "tipset_cid", sig(i32, i64, i32, i32), networkTipsetCid},
		Import{"actor", "next_actor_address", sig(i32, i32, i32), actorActorAddress(true)},
		Import{"actor", "create_actor", sig(i64, i32, i32, i32), actorCreateActor(true)},
		Import{"actor", "lookup_delegated_address", sig(i32, i64, i32, i32), actorLookupDelegatedAddress},
		Import{"actor", "balance_of", sig(i32, i64), actorBalanceOf},
		Import{"gas", "available", sig(i32), gasAvailable},
	)
	switch r.Events {
	case rules.CBOREvents:
		ims = append(ims, Import{"event", "emit_event", sig(i32, i32), eventEmitEvent})
	case rules.PackedEvents:
		ims = append(ims, Import{"event", "emit_event", sig(i32, i32, i32, i32, i32, i32), eventEmitEventPacked})
	}
	return append(ims,
		Import{"send", "send", sig(i32, i32, i32, i64, i32, i64, i64, i64, i64), sendSend(true)},
	)
}

// rulesOf returns the rules whose imports an ABI binds: those of the first
// network version its FVM line runs. One runtime serves every version of a
// line, so every version of a line must link the same imports (checked at
// init).
func rulesOf(abi ABI) (*rules.Rules, error) {
	for _, nv := range rules.Supported() {
		if r := rules.MustFor(nv); ABI(r.Engine) == abi {
			return r, nil
		}
	}
	return nil, fmt.Errorf("syscalls: unknown ABI %d", abi)
}

// One runtime per FVM line binds rulesOf's imports for all its versions:
// refuse rules in which two versions of a line link different imports.
func init() {
	for _, nv := range rules.Supported() {
		r := rules.MustFor(nv)
		first, err := rulesOf(ABI(r.Engine))
		if err != nil {
			panic(err)
		}
		a, b := imports(first), imports(r)
		same := len(a) == len(b)
		for i := 0; same && i < len(a); i++ {
			same = a[i].Module == b[i].Module && a[i].Name == b[i].Name && slices.Equal(a[i].Params, b[i].Params)
		}
		if !same {
			panic(fmt.Sprintf("syscalls: nv%d links other imports than nv%d, which shares its FVM line",
				r.NetworkVersion, first.NetworkVersion))
		}
	}
}

// Imports lists the host functions bound for a network version, for
// documentation and link checks.
func Imports(nv network.Version) ([]Import, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, fmt.Errorf("syscalls: %w", err)
	}
	return imports(r), nil
}

// HostModules are the module names Register instantiates.
var HostModules = []string{"vm", "network", "ipld", "self", "actor", "crypto", "rand", "gas", "send", "event", "debug"}

var results = []api.ValueType{api.ValueTypeI32}

// Register instantiates the host modules of nv's ABI in r as stack-based Go
// functions. Call it once per runtime (one runtime per ABI variant). An
// actor importing anything not bound here, or with another signature, fails
// to instantiate; CheckImports reports the same condition as a *LinkError
// before instantiation.
func Register(ctx context.Context, r wazero.Runtime, nv network.Version) error {
	abi, err := ABIFor(nv)
	if err != nil {
		return err
	}
	return RegisterABI(ctx, r, abi)
}

// RegisterABI is Register for an ABI rather than a network version.
func RegisterABI(ctx context.Context, r wazero.Runtime, abi ABI) error {
	rs, err := rulesOf(abi)
	if err != nil {
		return err
	}
	byModule := map[string]wazero.HostModuleBuilder{}
	for _, m := range HostModules {
		byModule[m] = r.NewHostModuleBuilder(m)
	}
	for _, im := range imports(rs) {
		b, ok := byModule[im.Module]
		if !ok {
			return fmt.Errorf("syscalls: unknown host module %q", im.Module)
		}
		b.NewFunctionBuilder().
			WithGoModuleFunction(im.fn, im.Params, results).
			WithName(im.Module + "." + im.Name).
			Export(im.Name)
	}
	for _, m := range HostModules { // fixed order: deterministic instantiation
		if _, err := byModule[m].Instantiate(ctx); err != nil {
			return fmt.Errorf("syscalls: instantiating host module %s: %w", m, err)
		}
	}
	return nil
}

// LinkError says an actor imports something the ABI does not provide (or
// with another type). Instantiating such an actor is fatal (fvm-abi.md §1.1).
type LinkError struct {
	Module, Name string
	Reason       string
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("link error: import %s.%s: %s", e.Module, e.Name, e.Reason)
}

// ErrLink matches any *LinkError with errors.Is.
var ErrLink = errors.New("link error")

// Is makes errors.Is(err, ErrLink) true for every *LinkError.
func (e *LinkError) Is(target error) bool { return target == ErrLink }

// CheckImports verifies every import of a compiled actor against nv's ABI:
// function imports must be bound with exactly the same type; memory imports
// are never provided. It returns a *LinkError for the first mismatch in
// import order.
func CheckImports(cm wazero.CompiledModule, nv network.Version) error {
	ims, err := Imports(nv)
	if err != nil {
		return err
	}
	table := map[[2]string][]api.ValueType{}
	for _, im := range ims {
		table[[2]string{im.Module, im.Name}] = im.Params
	}
	for _, f := range cm.ImportedFunctions() {
		mod, name, _ := f.Import()
		want, ok := table[[2]string{mod, name}]
		if !ok {
			return &LinkError{mod, name, "not provided by this network version's ABI"}
		}
		if !slices.Equal(f.ParamTypes(), want) || !slices.Equal(f.ResultTypes(), results) {
			return &LinkError{mod, name, fmt.Sprintf("type (%v)->(%v), want (%v)->(%v)",
				typeNames(f.ParamTypes()), typeNames(f.ResultTypes()), typeNames(want), typeNames(results))}
		}
	}
	for _, m := range cm.ImportedMemories() {
		mod, name, _ := m.Import()
		return &LinkError{mod, name, "memory imports are not provided"}
	}
	return nil
}

func typeNames(ts []api.ValueType) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += ","
		}
		s += api.ValueTypeName(t)
	}
	return s
}
