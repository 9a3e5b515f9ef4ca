package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/reachability"
	"github.com/gofvm/gofvm/tracing"
)

// ReachabilityMode says what the kernel does with a CID an actor cannot
// reach (design.md, FIP-0030/0071; package reachability).
type ReachabilityMode = reachability.Mode

const (
	// ReachabilityCompat checks nothing (the reference behaviour).
	ReachabilityCompat = reachability.Compat
	// ReachabilityStrict refuses opening, linking or setting as root an
	// unreachable CID.
	ReachabilityStrict = reachability.Strict
	// ReachabilityAudit tracks like strict but only records violations.
	ReachabilityAudit = reachability.Audit
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

// WithReachability sets the reachability mode (default compat).
func WithReachability(m ReachabilityMode) Option { return func(c *config) { c.reachability = m } }

// WithActorDebugging turns on debug.log and friends (off on mainnet).
func WithActorDebugging(on bool) Option { return func(c *config) { c.debug = on } }

// WithHooks installs tracing hooks (package tracing; nil fields cost one
// comparison). Hooks observe and never change execution.
func WithHooks(h *tracing.Hooks) Option { return func(c *config) { c.hooks = h } }
