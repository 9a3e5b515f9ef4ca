package tracing

import (
	"math"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
)

// Hooks is a set of optional callbacks the kernel calls while it executes
// (go-ethereum's tracing.Hooks is the model). Every field may be nil, and a
// nil field costs the kernel one pointer comparison: the kernel checks the
// field before it builds the event value. Hooks observe; they never change
// execution, and nothing they return is consulted.
//
// Events arrive in execution order and nest: every Call is closed by exactly
// one CallReturn or CallError (fvm-abi.md §9). A message is bracketed by
// MessageStart and MessageEnd.
type Hooks struct {
	OnMessageStart func(MessageStart)
	OnMessageEnd   func(MessageEnd)
	OnCall         func(Call)
	OnCallReturn   func(CallReturn)
	OnCallError    func(CallError)
	OnInvokeActor  func(InvokeActor)
	OnGasCharge    func(GasCharge)
	OnIpld         func(Ipld)
	OnLog          func(Log)
}

// MessageKind says how a message was applied.
type MessageKind uint8

const (
	Explicit MessageKind = iota // a signed message from a block
	Implicit                    // cron tick, block reward: no inclusion charge, no fees
)

func (k MessageKind) String() string {
	if k == Implicit {
		return "implicit"
	}
	return "explicit"
}

// MarshalText writes the kind by name in JSON traces.
func (k MessageKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String names the operation as Lotus does ("Get" for open, "Put" for link).
func (o IpldOp) String() string {
	if o == IpldLink {
		return "Put"
	}
	return "Get"
}

// MarshalText writes the operation by name in JSON traces.
func (o IpldOp) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// MessageStart opens a message.
type MessageStart struct {
	Kind       MessageKind
	From, To   address.Address
	Nonce      uint64
	Value      abi.TokenAmount
	Method     abi.MethodNum
	Params     []byte
	GasLimit   int64
	GasFeeCap  abi.TokenAmount
	GasPremium abi.TokenAmount
}

// MessageEnd closes a message with its receipt.
type MessageEnd struct {
	ExitCode uint32
	Return   []byte
	GasUsed  int64
	// GasUsedMilli is the gas tracker's total before rounding up (and, on
	// nv17, before a negative total is clamped to 0): exactly the sum of
	// the message's GasCharge events unless one of them ran out of gas
	// (fvm-gas.md §1). 0 when preflight stopped the message.
	GasUsedMilli int64
	EventsRoot   *cid.Cid // nv18 only; nil when no events
}

// Call is a send from an actor (From is an actor id) to an address.
type Call struct {
	From        abi.ActorID
	To          address.Address
	Method      abi.MethodNum
	Params      []byte
	ParamsCodec uint64
	Value       abi.TokenAmount
	GasLimit    uint64 // whole gas: min(requested limit, gas available), rounded up
	ReadOnly    bool
}

// CallReturn closes a Call that ran (or was a plain transfer).
type CallReturn struct {
	ExitCode    uint32
	Return      []byte
	ReturnCodec uint64
}

// CallError closes a Call that could not be dispatched: the syscall error
// number the caller's send returned (NotFound, InsufficientFunds, …). As in
// the reference (fvm-abi.md §9) a fatal error is (Forbidden, "fatal") with
// Fatal set, and on nv17 running out of gas is (Forbidden, "out of gas");
// nv18 reports out of gas as CallReturn with exit code 7.
type CallError struct {
	Number  uint32
	Message string
	Fatal   bool
}

// ActorState is an actor record as the trace shows it.
type ActorState struct {
	Code             cid.Cid
	Head             cid.Cid
	Nonce            uint64
	Balance          abi.TokenAmount
	DelegatedAddress *address.Address // the f4 address, if any (JSON null when none, as Lotus's)
}

// InvokeActor says which actor a Call resolved to, once it is about to run.
type InvokeActor struct {
	ID    abi.ActorID
	State ActorState
}

// GasCharge is one charge, in milligas (fvm-gas.md §1: traces show the
// compute / other split; only the sum is consensus).
type GasCharge struct {
	Name         string
	ComputeMilli int64
	OtherMilli   int64
}

// TotalMilli is compute + other, saturating as kernel/gas adds.
func (g GasCharge) TotalMilli() int64 {
	a, b := g.ComputeMilli, g.OtherMilli
	c := a + b
	switch {
	case a > 0 && b > 0 && c < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && c >= 0:
		return math.MinInt64
	}
	return c
}

// IpldOp is the kind of an Ipld event.
type IpldOp uint8

const (
	IpldOpen IpldOp = iota // block_open ("Get" in Lotus)
	IpldLink               // block_link ("Put" in Lotus)
)

// Ipld is a block opened or linked by an actor.
type Ipld struct {
	Op   IpldOp
	Cid  cid.Cid
	Size uint64
}

// Log is a debug.log line (only when actor debugging is enabled).
type Log struct{ Message string }

// Merge returns hooks that call a's then b's hook for every event either
// sets. Nil inputs are allowed.
func Merge(a, b *Hooks) *Hooks {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &Hooks{
		OnMessageStart: merge(a.OnMessageStart, b.OnMessageStart),
		OnMessageEnd:   merge(a.OnMessageEnd, b.OnMessageEnd),
		OnCall:         merge(a.OnCall, b.OnCall),
		OnCallReturn:   merge(a.OnCallReturn, b.OnCallReturn),
		OnCallError:    merge(a.OnCallError, b.OnCallError),
		OnInvokeActor:  merge(a.OnInvokeActor, b.OnInvokeActor),
		OnGasCharge:    merge(a.OnGasCharge, b.OnGasCharge),
		OnIpld:         merge(a.OnIpld, b.OnIpld),
		OnLog:          merge(a.OnLog, b.OnLog),
	}
}

func merge[T any](a, b func(T)) func(T) {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(e T) { a(e); b(e) }
}
