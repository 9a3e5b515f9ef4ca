// Package rules says what each network version changes in the FVM: one
// immutable Rules value per mainnet network version from 16 (Skyr) to 28
// (FireHorse), each written as the previous version plus named changes and
// checked at init, in the manner of go-ethereum's params.Rules.
//
// The kernel, the syscall layer and the engine read behaviour from these
// fields; none of them compares network versions. The reference gates almost
// nothing by network version itself: behaviour follows the FVM line Lotus
// runs for the version today (FVM 2.12.1 for nv16–17, 3.14.1 for nv18–20,
// 4.8.2 for nv21–28) and its price list (fvm-abi-next.md §0.1–§0.2). Each
// field below names one such behaviour and cites where the sheets define it.
package rules

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/gas"
)

// Engine is the FVM line that runs a network version: it selects the wasm
// import ABI, the instrumenter and the engine limits (fvm-abi-next.md §0.1).
type Engine uint8

const (
	// FVMv2 is ref-fvm 2.12.1 (nv16–17): ABI v2, fvm-wasm-instrument 0.2.0,
	// no memory limits.
	FVMv2 Engine = 2
	// FVMv3 is ref-fvm 3.14.1 (nv18–20): ABI v3, fvm-wasm-instrument 0.4.0,
	// 512 MiB per instance and 2 GiB per call stack.
	FVMv3 Engine = 3
	// FVMv4 is ref-fvm 4.8.2 (nv21–28): ABI v4 (FIP-0072/0073/0075 imports),
	// the same instrumenter and limits as v3.
	FVMv4 Engine = 4
)

func (e Engine) String() string { return fmt.Sprintf("FVM v%d", uint8(e)) }

// EventABI is how an actor emits events.
type EventABI uint8

const (
	// NoEvents: event.emit_event is not linked (FVM v2).
	NoEvents EventABI = iota
	// CBOREvents: emit_event(evt_off, evt_len) takes a CBOR ActorEvent
	// (fvm-abi.md §3.2 event, §6.12).
	CBOREvents
	// PackedEvents: emit_event takes packed 24-byte entry headers plus key
	// and value buffers (FIP-0072, fvm-abi-next.md §1.3, §5.2).
	PackedEvents
)

// Rules is the FVM's behaviour at one network version. Values are shared and
// must not be modified; For returns them.
//
// What a behaviour costs, and which charges a version makes, is the price
// list's business (Prices and its gas.Rules: split send charges,
// state-access charging, the return-value charge on failure, unsigned gas,
// hashing after validation, wasm init charges, …); a behaviour has one home,
// here or there, never both.
type Rules struct {
	// NetworkVersion and Name ("skyr", …, "firehorse") identify the version.
	NetworkVersion network.Version
	Name           string
	// Changes names the edits applied on top of the previous version, in
	// order (empty for nv16, the first version written out in full).
	Changes []string

	// Engine is the FVM line (ABI, instrumenter, limits).
	Engine Engine
	// Prices is the price list (SKYR, HYGGE, WATERMELON, TEEP;
	// fvm-gas-next.md §0.2).
	Prices *gas.PriceList
	// StateRootVersion is the StateRoot version the machine creates: 4 up to
	// nv17, 5 from nv18 (fvm-abi-next.md §7.11).
	StateRootVersion uint64
	// StateRootVersionsLoaded are the versions machine construction accepts:
	// FVM v2 loads 3 and 4, v3 and v4 only 5 (fvm-abi.md §8.2,
	// fvm-abi-next.md §7.11).
	StateRootVersionsLoaded []uint64
	// RegistryCodecs are the codecs an invocation's block registry holds:
	// DAG-CBOR in v2; DAG-CBOR, CBOR and raw from v3 (fvm-abi.md §4.1).
	RegistryCodecs codecs.Set
	// ActorsVersion is the builtin-actors bundle the network runs (8 … 18);
	// informative, for matching bundles to versions (fvm-abi-next.md §10).
	ActorsVersion int

	// --- FVM v3 (nv18, Hygge; fvm-abi.md §0.1) ---

	// MaxCallDepthFrames is how many frames a message may have: v2 checks
	// depth > 1024 before incrementing (1025), v3 depth ≥ 1024 (1024)
	// (fvm-abi.md §6.1).
	MaxCallDepthFrames int
	// DelegatedAddresses: f4 addresses exist (placeholders, the EAM,
	// Ethereum accounts as senders; fvm-abi.md §6.11). Before nv18 an f4
	// address is IllegalArgument in syscalls and invalid in messages.
	DelegatedAddresses bool
	// ReadOnlySends: send takes flags with READ_ONLY (fvm-abi.md §6.4).
	ReadOnlySends bool
	// SendGasLimits: send takes a sub-call gas limit (fvm-abi.md §6.5).
	SendGasLimits bool
	// ExitWithData: vm.exit carries a return block with any exit code, and
	// the block reaches the caller and the receipt (fvm-abi.md §5.2). v2's
	// vm.abort carries none.
	ExitWithData bool
	// CBORParams: the top-level params and the implicit account-constructor
	// params are CBOR (0x51; raw for method 0), not DAG-CBOR (fvm-abi.md §7.2).
	CBORParams bool
	// BlockCreateLimit: block_create refuses more than 1 MiB with
	// LimitExceeded (fvm-abi.md §3.2 ipld).
	BlockCreateLimit bool
	// EmptyArrayAtStart: the machine writes the empty-array block when it is
	// built (fvm-abi.md §8.1).
	EmptyArrayAtStart bool
	// InstantiationTrap: a refused instantiation (memory limit) is an
	// illegal-instruction exit, not a fatal error (fvm-abi.md §5.1).
	InstantiationTrap bool
	// OnlyManifestCode: only code listed in the manifest can run (v2).
	OnlyManifestCode bool
	// KeySignersOnly: verify_signature takes only f1/f3 signers; v2
	// resolves other signers through their account state (fvm-abi.md §3.2).
	KeySignersOnly bool
	// CreateActorSingletons: create_actor follows v2: any actor may create a
	// builtin actor that is not a singleton (refused by name). Without it
	// (v3) only the init actor may, placeholder code is refused and a
	// placeholder is replaced in place (fvm-abi.md §3.2 actor).
	CreateActorSingletons bool
	// NextActorAddress: actor.next_actor_address leaves the f2 counter alone
	// (v3); v2's new_actor_address increments it (fvm-abi.md §6.7).
	NextActorAddress bool
	// EffectivePremium: message_context reports min(premium, fee cap − base
	// fee) floored at 0 (fvm-abi.md §3.2 vm).
	EffectivePremium bool
	// ZeroPricedCharges: the lookups v3 prices at 0 (OnResolveAddress,
	// OnGetActorCodeCid, OnGetBuiltinActorType, OnGetCodeCidForType,
	// OnSelfBalance) are still charged, so they appear in traces; v2 has no
	// such charges (fvm-abi.md §10).
	ZeroPricedCharges bool
	// CheckBLSZeroFirst: auto-creating an account for the BLS zero address
	// fails before OnCreateActor is charged (v3); v2 charges first
	// (fvm-abi.md §6.2).
	CheckBLSZeroFirst bool
	// BatchVerifySealCharges: batch_verify_seals charges OnVerifySeal per
	// entry; in v2 it is free (fvm-abi.md §3.2 crypto).
	BatchVerifySealCharges bool
	// ExecChargeKeepsBaseline: charge_for_exec leaves the exec-gas baseline
	// where update_gas_available put it, so a syscall that returns early on
	// a bad ret_ptr has its exec gas charged twice; v2 moves the baseline
	// (fvm-abi.md §1.3 step 3, fvm-abi-next.md §1.1).
	ExecChargeKeepsBaseline bool
	// TraceOutOfGasAsReturn: a call that runs out of gas is traced as
	// CallReturn(SYS_OUT_OF_GAS); v2 traces CallError(Forbidden, "out of
	// gas") (fvm-abi.md §9; diagnostic only).
	TraceOutOfGasAsReturn bool
	// Events is the event ABI (none, CBOR, packed).
	Events EventABI
	// ReceiptEventsRoot: receipts have a fourth field, the events AMT root
	// (fvm-abi-next.md §5.4).
	ReceiptEventsRoot bool

	// --- FVM 3.14.1 as Lotus runs nv18–20 today (fvm-abi-next.md §0.1, §11) ---

	// VerifySealSyscall: crypto.verify_seal is linked (v2; removed in 3.7.0).
	VerifySealSyscall bool
	// TipsetCidChargeAborts: an out-of-gas on tipset_cid's charge aborts at
	// once (3.6.0; fvm-abi-next.md §3.3).
	TipsetCidChargeAborts bool
	// TipsetCidFinality: tipset_cid refuses offsets ≥ 900 (v3; v4 has no
	// limit and prices the lookback).
	TipsetCidFinality bool
	// DepthLimitLeak: a send with an explicit gas limit that fails the depth
	// check leaves its sub-limit pushed (3.6.0–4.0.0; fvm-abi-next.md §7.3,
	// fvm-gas-next.md §1.2).
	DepthLimitLeak bool
	// PoStV1, PoStV1P1: which Window-PoSt proof ids verify_post accepts
	// (fvm-abi-next.md §7.14).
	PoStV1, PoStV1P1 bool
	// PoStConsistency: all proofs must share one type and match the sectors'
	// seal types (3.2.0+).
	PoStConsistency bool
	// CalibnetPoStFixup: on calibnet (chain id 314159) up to epoch 498,691 a
	// first proof of type 32GiB V1P1 is verified as 32GiB V1 (3.3.x–3.14.1;
	// fvm-abi-next.md §7.14). Mainnet never takes it.
	CalibnetPoStFixup bool
	// SyntheticPoRep, NiPoRep: seal proof ids 10–14 (3.8.0+) and 15–19
	// (4.3.0+) decode (fvm-abi-next.md §7.14).
	SyntheticPoRep, NiPoRep bool
	// Flush is the flush traversal of the buffered blockstore (fvm-abi.md
	// §4.3, fvm-abi-next.md §4.7).
	Flush blocks.FlushMode

	// --- FVM v4 (nv21, Watermelon; fvm-abi-next.md §3–§5) ---

	// Reachability: FIP-0071's reachable set and link scan are consensus
	// (fvm-abi-next.md §4). Below nv21 the kernel checks nothing unless a
	// machine option asks for it.
	Reachability bool
	// RandomnessDigest: randomness syscalls take only the epoch and return
	// the client's digest; the actor hashes it (FIP-0075).
	RandomnessDigest bool
	// SelfDestructBurn: self_destruct takes a burn flag instead of a
	// beneficiary (FIP-0073, fvm-abi-next.md §3.3).
	SelfDestructBurn bool
	// CBOREventValues: event values may use codec 0x51 as well as 0x55
	// (4.1.2; fvm-abi-next.md §5.3).
	CBOREventValues bool
	// VerifyBLSAggregate: crypto.verify_bls_aggregate is linked (4.3.0,
	// FIP-0079).
	VerifyBLSAggregate bool
	// MissingEntryPointExit: a module without `invoke` makes the callee exit
	// with SYS_INVALID_RECEIVER (4.1.0); before, it is fatal
	// (fvm-abi-next.md §1.2).
	MissingEntryPointExit bool
}

// For returns the rules of a network version, or an error for a version
// gofvm does not run (before nv16 the network did not run the FVM; after
// nv28 nothing is specified).
func For(nv network.Version) (*Rules, error) {
	if r, ok := byVersion[nv]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("rules: network version %d is not supported (gofvm runs %d to %d)",
		nv, First, Last)
}

// MustFor is For for versions known to be supported; it panics otherwise.
func MustFor(nv network.Version) *Rules {
	r, err := For(nv)
	if err != nil {
		panic(err)
	}
	return r
}

// Supported lists every network version gofvm runs, in order.
func Supported() []network.Version {
	out := make([]network.Version, 0, len(all))
	for _, r := range all {
		out = append(out, r.NetworkVersion)
	}
	return out
}

// First and Last bound the supported range.
const (
	First = network.Version16
	Last  = network.Version28
)
