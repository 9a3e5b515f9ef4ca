package vectors

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/tracing"
)

// Driver applies one vector's message to its pre-state. It is the seam
// between the runner and the kernel: the runner loads, the driver executes,
// the runner compares. A Driver must be safe for concurrent Apply calls
// (the runner runs vectors in parallel).
type Driver interface {
	Apply(ctx context.Context, run *Run) (*Result, error)
}

// Run is everything a driver needs to apply one message, taken from the
// vector (conformance.md §1.5 for how the reference runner sets each one).
type Run struct {
	// VectorID is the vector's _meta.id, for the driver's logs and traces.
	VectorID string

	// Blockstore holds the vector's CAR blocks over the loaded bundles'
	// blocks (actor code is never in a vector CAR, conformance.md §1.6).
	// The driver writes the post-state here: the runner reads it back to
	// diff state trees when the roots differ.
	Blockstore Blockstore
	PreRoot    cid.Cid

	Epoch          int64
	NetworkVersion uint
	BaseFee        *big.Int // attoFIL; 100 when the vector has none
	CircSupply     *big.Int // attoFIL; 2·10^27 (total FIL) when the vector has none
	Timestamp      uint64   // epoch × 30, as the reference runner sets it
	ChainID        uint64   // 314 (mainnet)

	// MessageBytes is the unsigned message CBOR as in the vector; Message
	// is its decoding; ChainLength is the on-chain length the inclusion gas
	// is charged on (fvm-abi.md §7.1 step 2).
	MessageBytes []byte
	Message      *Message
	ChainLength  int

	Randomness   *Randomness
	Reachability Reachability
	Engine       Engine

	// Hooks, when set, receive the message's execution events (package
	// tracing). They observe only: the result is the same with or without.
	Hooks *tracing.Hooks
}

// Result is what applying the message produced. Err is a failure of the
// machine itself (the reference's "error returned to the client" or a
// flush failure), distinct from a non-zero exit code.
type Result struct {
	ExitCode int64
	Return   []byte
	GasUsed  int64
	PostRoot cid.Cid
	Err      error
}

// Reachability selects how the machine treats an actor opening or linking a
// block it cannot reach at nv16–20 (design.md, "Reachability"). From nv21
// FIP-0071 is consensus and the choice has no effect
// (kernel.WithReachability).
type Reachability string

const (
	ReachabilityStrict Reachability = "strict"
	ReachabilityCompat Reachability = "compat"
)

// ParseReachability accepts "strict" or "compat".
func ParseReachability(s string) (Reachability, error) {
	switch r := Reachability(s); r {
	case ReachabilityStrict, ReachabilityCompat:
		return r, nil
	}
	return "", fmt.Errorf("reachability %q: want strict or compat", s)
}

// Engine selects wazero's compiler or interpreter.
type Engine string

const (
	EngineCompiler    Engine = "compiler"
	EngineInterpreter Engine = "interpreter"
)

// ParseEngine accepts "compiler" or "interpreter".
func ParseEngine(s string) (Engine, error) {
	switch e := Engine(s); e {
	case EngineCompiler, EngineInterpreter:
		return e, nil
	}
	return "", fmt.Errorf("engine %q: want compiler or interpreter", s)
}

// DriverOptions configure the driver a DriverFactory builds.
type DriverOptions struct {
	// CacheDir is where the compiled-module cache lives ("" = none).
	CacheDir string
}

// DriverFactory builds a Driver.
type DriverFactory func(DriverOptions) (Driver, error)

// DefaultDriver is the kernel's driver, set by the package that links the
// kernel in (from an init function). It is nil until then, and the runner
// reports every vector as failed with ErrNoDriver.
var DefaultDriver DriverFactory

// ErrNoDriver is the failure reason when no kernel driver is linked.
var ErrNoDriver = fmt.Errorf("no kernel driver linked: this build has no kernel (vectors.DefaultDriver is nil)")

// DriverFunc adapts a function to a Driver.
type DriverFunc func(ctx context.Context, run *Run) (*Result, error)

// Apply calls f.
func (f DriverFunc) Apply(ctx context.Context, run *Run) (*Result, error) { return f(ctx, run) }
