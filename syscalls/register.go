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

// imports returns the import table a version's rules link (fvm-abi.md §3.1,
// fvm-abi-next.md §3.1), in the reference's binding order
// (fvm/src/syscalls/mod.rs): the imports of every line, then those of the
// engine line (Rules.Engine; the v4 slot binds the v3 set until its own
// lands). actor.install_actor is m2-native only and not bound.
func imports(r *rules.Rules) []Import {
	out := []Import{
		{"network", "total_fil_circ_supply", sig(i32), networkTotalFilCircSupply},
		{"ipld", "block_open", sig(i32, i32), ipldBlockOpen},
		{"ipld", "block_create", sig(i32, i64, i32, i32), ipldBlockCreate},
		{"ipld", "block_read", sig(i32, i32, i32, i32, i32), ipldBlockRead},
		{"ipld", "block_stat", sig(i32, i32), ipldBlockStat},
		{"ipld", "block_link", sig(i32, i32, i64, i32, i32, i32), ipldBlockLink},
		{"self", "root", sig(i32, i32, i32), selfRoot},
		{"self", "set_root", sig(i32), selfSetRoot},
		{"self", "current_balance", sig(i32), selfCurrentBalance},
		{"self", "self_destruct", sig(i32, i32), selfSelfDestruct},
		{"actor", "resolve_address", sig(i32, i32, i32), actorResolveAddress},
		{"actor", "get_actor_code_cid", sig(i32, i64, i32, i32), actorGetActorCodeCid},
		{"actor", "get_builtin_actor_type", sig(i32, i32), actorGetBuiltinActorType},
		{"actor", "get_code_cid_for_type", sig(i32, i32, i32, i32), actorGetCodeCidForType},
		{"crypto", "verify_signature", sig(i32, i32, i32, i32, i32, i32, i32, i32), cryptoVerifySignature},
		{"crypto", "recover_secp_public_key", sig(i32, i32, i32), cryptoRecoverSecpPublicKey},
		{"crypto", "hash", sig(i32, i64, i32, i32, i32, i32), cryptoHash},
		{"crypto", "compute_unsealed_sector_cid", sig(i32, i64, i32, i32, i32, i32), cryptoComputeUnsealedSectorCid},
	}
	// Unlinked from 3.7.0 on: a module importing it fails to link on the v3
	// and v4 lines (fvm-abi-next.md §3.1, §14 scenario 28).
	if r.VerifySealSyscall {
		out = append(out, Import{"crypto", "verify_seal", sig(i32, i32, i32), cryptoVerifySeal})
	}
	out = append(out, []Import{
		{"crypto", "verify_post", sig(i32, i32, i32), cryptoVerifyPost},
		{"crypto", "verify_consensus_fault", sig(i32, i32, i32, i32, i32, i32, i32), cryptoVerifyConsensusFault},
		{"crypto", "verify_aggregate_seals", sig(i32, i32, i32), cryptoVerifyAggregateSeals},
		{"crypto", "verify_replica_update", sig(i32, i32, i32), cryptoVerifyReplicaUpdate},
		{"crypto", "batch_verify_seals", sig(i32, i32, i32), cryptoBatchVerifySeals},
		{"rand", "get_chain_randomness", sig(i32, i64, i64, i32, i32), randRandomness(false)},
		{"rand", "get_beacon_randomness", sig(i32, i64, i64, i32, i32), randRandomness(true)},
		{"gas", "charge", sig(i32, i32, i64), gasCharge},
		{"debug", "log", sig(i32, i32), debugLog},
		{"debug", "enabled", sig(i32), debugEnabled},
		{"debug", "store_artifact", sig(i32, i32, i32, i32), debugStoreArtifact},
	}...)
	if r.Engine == rules.FVMv2 {
		return append(out,
			Import{"vm", "abort", sig(i32, i32, i32), vmAbort},
			Import{"vm", "context", sig(i32), vmContext},
			Import{"network", "base_fee", sig(i32), networkBaseFee},
			Import{"actor", "new_actor_address", sig(i32, i32, i32), actorActorAddress(false)},
			Import{"actor", "create_actor", sig(i64, i32), actorCreateActor(false)},
			Import{"send", "send", sig(i32, i32, i32, i64, i32, i64, i64), sendSend(false)},
		)
	}
	return append(out,
		Import{"vm", "exit", sig(i32, i32, i32, i32), vmExit},
		Import{"vm", "message_context", sig(i32), vmMessageContext},
		Import{"network", "context", sig(i32), networkContext},
		Import{"network", "tipset_cid", sig(i32, i64, i32, i32), networkTipsetCid},
		Import{"actor", "next_actor_address", sig(i32, i32, i32), actorActorAddress(true)},
		Import{"actor", "create_actor", sig(i64, i32, i32, i32), actorCreateActor(true)},
		Import{"actor", "lookup_delegated_address", sig(i32, i64, i32, i32), actorLookupDelegatedAddress},
		Import{"actor", "balance_of", sig(i32, i64), actorBalanceOf},
		Import{"gas", "available", sig(i32), gasAvailable},
		Import{"event", "emit_event", sig(i32, i32), eventEmitEvent},
		Import{"send", "send", sig(i32, i32, i32, i64, i32, i64, i64, i64, i64), sendSend(true)},
	)
}

// lineRules are the rules an ABI's runtime binds: those of its engine line.
func lineRules(abi ABI) (*rules.Rules, error) {
	if abi < ABIv2 || abi > ABIv4 {
		return nil, fmt.Errorf("syscalls: unknown ABI %d", abi)
	}
	return rules.Line(rules.Engine(abi))
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

// RegisterABI is Register for an ABI (an engine line) rather than a network
// version: it binds the imports of the line's rules (rules.Line).
func RegisterABI(ctx context.Context, r wazero.Runtime, abi ABI) error {
	lr, err := lineRules(abi)
	if err != nil {
		return err
	}
	byModule := map[string]wazero.HostModuleBuilder{}
	for _, m := range HostModules {
		byModule[m] = r.NewHostModuleBuilder(m)
	}
	for _, im := range imports(lr) {
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
	r, err := rules.For(nv)
	if err != nil {
		return fmt.Errorf("syscalls: %w", err)
	}
	table := map[[2]string][]api.ValueType{}
	for _, im := range imports(r) {
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
