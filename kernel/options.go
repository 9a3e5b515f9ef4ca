package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/reachability"
	"github.com/gofvm/gofvm/tracing"
)

// ReachabilityMode says what the kernel does with a CID an actor cannot
// reach (design.md, FIP-0030/0071; package reachability).
//
// From nv21 (rules.Rules.Reachability) FIP-0071 is consensus: the kernel
// enforces it exactly as ref-fvm 4.8.2 does (fvm-abi-next.md §4), with its
// charges, and Machine.Reachability reports ReachabilityConsensus whatever
// WithReachability asked for. Compat, strict and audit are a choice only for
// nv ≤ 20, where the reference checks nothing.
type ReachabilityMode = reachability.Mode

const (
	// ReachabilityCompat checks nothing (the reference behaviour at nv ≤ 20;
	// the default).
	ReachabilityCompat = reachability.Compat
	// ReachabilityStrict refuses opening, linking or setting as root an
	// unreachable CID, on gofvm's reading of FIP-0071 and without charges
	// (nv ≤ 20 only; fvm-abi-next.md §4.6 lists how it differs from the
	// reference's rules of nv21+).
	ReachabilityStrict = reachability.Strict
	// ReachabilityAudit tracks like strict but only records violations
	// (ApplyRet.ReachabilityViolations; nv ≤ 20 only).
	ReachabilityAudit = reachability.Audit
	// ReachabilityConsensus is what every machine of nv21 or later runs. It
	// is not an option: WithReachability refuses it.
	ReachabilityConsensus = reachability.Consensus
)

type config struct {
	epoch        abi.ChainEpoch
	timestamp    uint64
	baseFee      abi.TokenAmount
	circSupply   abi.TokenAmount
	chainID      uint64
	externs      Externs
	verifier     ProofVerifier
	engine       Engine
	reachability ReachabilityMode
	debug        bool
	hooks        *tracing.Hooks
}

func defaultConfig() config {
	return config{baseFee: big.Zero(), circSupply: big.Zero(), chainID: 314}
}

// Option configures a Machine. Options are applied once, at construction;
// the configuration is immutable afterwards.
type Option func(*config)

// WithEpoch sets the epoch messages are applied at.
func WithEpoch(e abi.ChainEpoch) Option { return func(c *config) { c.epoch = e } }

// WithTimestamp sets the tipset timestamp (nv18 network.context).
func WithTimestamp(t uint64) Option { return func(c *config) { c.timestamp = t } }

// WithBaseFee sets the epoch's base fee.
func WithBaseFee(f abi.TokenAmount) Option { return func(c *config) { c.baseFee = f } }

// WithCirculatingSupply sets the value network.total_fil_circ_supply returns.
func WithCirculatingSupply(s abi.TokenAmount) Option { return func(c *config) { c.circSupply = s } }

// WithChainID sets the chain id (mainnet 314, the default).
func WithChainID(id uint64) Option { return func(c *config) { c.chainID = id } }

// WithExterns sets the client callbacks (randomness digests, tipset CIDs,
// consensus faults).
func WithExterns(e Externs) Option { return func(c *config) { c.externs = e } }

// WithProofVerifier sets the seal/PoSt/aggregate/replica verifier. Without
// one, every proof verification fails with IllegalArgument.
func WithProofVerifier(v ProofVerifier) Option { return func(c *config) { c.verifier = v } }

// WithEngine sets the wasm engine that loads and runs actor code.
func WithEngine(e Engine) Option { return func(c *config) { c.engine = e } }

// WithReachability sets the reachability mode of network versions before
// nv21: compat (the default), strict or audit. From nv21 the option has no
// effect: FIP-0071 is consensus there and the kernel follows the reference
// (ReachabilityConsensus). The option is ignored rather than refused because
// it is chosen once per process (a CLI flag, a client's setting) while the
// network version changes under it: a replay or a vector directory crossing
// nv21 must keep working, and no option may change consensus. NewMachine
// refuses any other value, ReachabilityConsensus included.
func WithReachability(m ReachabilityMode) Option { return func(c *config) { c.reachability = m } }

// WithActorDebugging turns on debug.log and friends (off on mainnet).
func WithActorDebugging(on bool) Option { return func(c *config) { c.debug = on } }

// WithHooks installs tracing hooks (package tracing; nil fields cost one
// comparison). Hooks observe and never change execution.
func WithHooks(h *tracing.Hooks) Option { return func(c *config) { c.hooks = h } }
