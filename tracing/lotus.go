package tracing

import (
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"
)

// ExecutionTrace has the shape Lotus emits for FVM networks
// (chain/types.ExecutionTrace at its current version, chain.md §4.3): the
// message, its return, the actor it invoked, its own gas charges and the
// internal sends it made, recursively. The JSON is Lotus's too, down to
// what an empty value looks like there: Lotus decodes the trace from
// CBOR, where an empty list or byte string comes back as nil, so empty
// GasCharges, Subcalls, Params and Return are null; InvokedActor, Logs and
// IpldOps are left out when empty; the actor's DelegatedAddress is null
// when it has none.
type ExecutionTrace struct {
	Msg          MessageTrace
	MsgRct       ReturnTrace
	InvokedActor *ActorTrace `json:",omitempty"`
	GasCharges   []*GasTrace
	Subcalls     []ExecutionTrace
	Logs         []string    `json:",omitempty"`
	IpldOps      []TraceIpld `json:",omitempty"`
}

// MessageTrace is Lotus's MessageTrace.
type MessageTrace struct {
	From        address.Address
	To          address.Address
	Value       abi.TokenAmount
	Method      abi.MethodNum
	Params      []byte
	ParamsCodec uint64
	GasLimit    uint64
	ReadOnly    bool
}

// ReturnTrace is Lotus's ReturnTrace.
type ReturnTrace struct {
	ExitCode    exitcode.ExitCode
	Return      []byte
	ReturnCodec uint64
}

// ActorTrace is Lotus's ActorTrace.
type ActorTrace struct {
	Id    abi.ActorID
	State ActorState
}

// GasTrace is Lotus's GasTrace. Amounts are whole gas rounded up, as the
// reference's trace conversion does; tt (time taken) is always 0 so traces
// are identical across runs.
type GasTrace struct {
	Name       string
	TotalGas   int64 `json:"tg"`
	ComputeGas int64 `json:"cg"`
	StorageGas int64 `json:"sg"`
	TimeTaken  int64 `json:"tt"`
}

// TraceIpld is Lotus's TraceIpld (Op "Get" for open, "Put" for link).
type TraceIpld struct {
	Op   string
	Cid  cid.Cid
	Size uint64
}

// roundUp converts milligas to whole gas rounding toward +∞.
func roundUp(mg int64) int64 {
	w := mg / 1000
	if mg%1000 > 0 {
		w++
	}
	return w
}

// BuildLotusTrace turns the events of one message (as recorded between
// MessageStart and MessageEnd, either included) into an ExecutionTrace.
// The root is the first Call; gas charges before it (the inclusion charge)
// belong to the root, as do charges after its return (the return-value
// charge). A CallError maps to the exit code the executor would give at top
// level: InsufficientFunds → 6, NotFound → 5, nv17's (Forbidden, "out of
// gas") → 7, anything else → 10 (fvm-abi.md §7.3).
func BuildLotusTrace(events []Event) (*ExecutionTrace, error) {
	var pre []*GasTrace
	i := 0
	for ; i < len(events); i++ {
		e := events[i]
		if e.Call != nil {
			break
		}
		if e.GasCharge != nil {
			pre = append(pre, gasTrace(e.GasCharge))
		}
	}
	if i == len(events) {
		return preflightTrace(events, pre)
	}
	root, next, err := buildCall(events, i)
	if err != nil {
		return nil, err
	}
	root.GasCharges = append(pre, root.GasCharges...)
	for ; next < len(events); next++ {
		e := events[next]
		switch {
		case e.GasCharge != nil:
			root.GasCharges = append(root.GasCharges, gasTrace(e.GasCharge))
		case e.Call != nil:
			return nil, fmt.Errorf("tracing: event %d: a second top-level Call", next)
		}
	}
	return root, nil
}

// preflightTrace is the trace of a message that never reached its first
// send (a preflight failure, fvm-abi.md §7.1): the message and its receipt,
// no invoked actor, no subcalls.
func preflightTrace(events []Event, pre []*GasTrace) (*ExecutionTrace, error) {
	var start *MessageStart
	var end *MessageEnd
	for _, e := range events {
		if e.MessageStart != nil {
			start = e.MessageStart
		}
		if e.MessageEnd != nil {
			end = e.MessageEnd
		}
	}
	if start == nil || end == nil {
		return nil, errors.New("tracing: no Call event and no message boundaries")
	}
	return &ExecutionTrace{
		Msg: MessageTrace{From: start.From, To: start.To, Value: start.Value, Method: start.Method,
			Params: nilIfEmpty(start.Params), GasLimit: uint64(max(start.GasLimit, 0))},
		MsgRct:     ReturnTrace{ExitCode: exitcode.ExitCode(end.ExitCode), Return: nilIfEmpty(end.Return)},
		GasCharges: pre,
	}, nil
}

func gasTrace(g *GasCharge) *GasTrace {
	return &GasTrace{
		Name:       g.Name,
		TotalGas:   roundUp(g.TotalMilli()),
		ComputeGas: roundUp(g.ComputeMilli),
		StorageGas: roundUp(g.OtherMilli),
	}
}

// buildCall builds the trace of the Call at events[i] and returns the index
// after its closing event. It is iterative in spirit but recursion depth is
// bounded by the FVM call depth (≤ 1025).
func buildCall(events []Event, i int) (*ExecutionTrace, int, error) {
	c := events[i].Call
	t := &ExecutionTrace{
		Msg: MessageTrace{
			From: idAddress(c.From), To: c.To, Value: c.Value, Method: c.Method,
			Params: nilIfEmpty(c.Params), ParamsCodec: c.ParamsCodec, GasLimit: c.GasLimit, ReadOnly: c.ReadOnly,
		},
	}
	for j := i + 1; j < len(events); j++ {
		e := events[j]
		switch {
		case e.Call != nil:
			sub, next, err := buildCall(events, j)
			if err != nil {
				return nil, 0, err
			}
			t.Subcalls = append(t.Subcalls, *sub)
			j = next - 1
		case e.InvokeActor != nil:
			t.InvokedActor = &ActorTrace{Id: e.InvokeActor.ID, State: e.InvokeActor.State}
		case e.GasCharge != nil:
			t.GasCharges = append(t.GasCharges, gasTrace(e.GasCharge))
		case e.Ipld != nil:
			t.IpldOps = append(t.IpldOps, TraceIpld{Op: e.Ipld.Op.String(), Cid: e.Ipld.Cid, Size: e.Ipld.Size})
		case e.Log != nil:
			t.Logs = append(t.Logs, e.Log.Message)
		case e.CallReturn != nil:
			t.MsgRct = ReturnTrace{ExitCode: exitcode.ExitCode(e.CallReturn.ExitCode),
				Return: nilIfEmpty(e.CallReturn.Return), ReturnCodec: e.CallReturn.ReturnCodec}
			return t, j + 1, nil
		case e.CallError != nil:
			t.MsgRct = ReturnTrace{ExitCode: callErrorExit(e.CallError)}
			return t, j + 1, nil
		case e.MessageStart != nil || e.MessageEnd != nil:
			return nil, 0, fmt.Errorf("tracing: event %d: message boundary inside an open Call", j)
		}
	}
	return nil, 0, errors.New("tracing: a Call has no CallReturn or CallError")
}

// errForbidden and msgOutOfGas are how nv17 reports an out-of-gas send
// (fvm-abi.md §9).
const (
	errForbidden = 11
	msgOutOfGas  = "out of gas"
)

func callErrorExit(e *CallError) exitcode.ExitCode {
	if e.Fatal {
		return exitcode.SysErrFatal // 10, SYS_ASSERTION_FAILED
	}
	if e.Number == errForbidden && e.Message == msgOutOfGas { // nv17's out of gas (§9)
		return exitcode.SysErrOutOfGas
	}
	switch e.Number {
	case 5: // InsufficientFunds
		return exitcode.SysErrInsufficientFunds
	case 6: // NotFound
		return exitcode.SysErrInvalidReceiver
	}
	return exitcode.SysErrFatal
}

// nilIfEmpty is how Lotus holds an empty byte string (JSON null).
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func idAddress(id abi.ActorID) address.Address {
	a, err := address.NewIDAddress(uint64(id))
	if err != nil { // cannot happen for a uint64
		return address.Undef
	}
	return a
}
