package kernel

import (
	"io"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/reachability"
)

// Receipt is a message receipt (fvm-abi.md §7.3). On chain it is a 3-tuple
// [exit, return, gas_used] before nv18 and a 4-tuple with the events root
// (or null) from nv18; WithEvents selects the form.
type Receipt struct {
	ExitCode   exitcode.ExitCode
	Return     []byte
	GasUsed    int64
	EventsRoot *cid.Cid // nil = no events
	WithEvents bool     // nv18 receipt format
}

// MarshalCBOR writes the receipt in its network version's tuple form.
func (r *Receipt) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	n := uint64(3)
	if r.WithEvents {
		n = 4
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, n); err != nil {
		return err
	}
	if err := writeInt(w, int64(r.ExitCode)); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(r.Return))); err != nil {
		return err
	}
	if _, err := w.Write(r.Return); err != nil {
		return err
	}
	if err := writeInt(w, r.GasUsed); err != nil {
		return err
	}
	if !r.WithEvents {
		return nil
	}
	if r.EventsRoot == nil {
		_, err := w.Write(cbg.CborNull)
		return err
	}
	return cbg.WriteCid(w, *r.EventsRoot)
}

func writeInt(w *cbg.CborWriter, v int64) error {
	if v >= 0 {
		return w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(v))
	}
	return w.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-v-1))
}

// ApplyRet is everything applying a message produces: the receipt, the fee
// split (zero for implicit messages and preflight failures) and, for the
// client, the miner penalty and tip it feeds into the reward actor.
type ApplyRet struct {
	Receipt Receipt
	GasOutputs
	// Events are the CBOR StampedEvents (nv18), in emission order.
	Events [][]byte
	// FailureInfo is a diagnostic (backtrace-like) text; never consensus.
	FailureInfo string
	// ReachabilityViolations lists what strict reachability would have
	// refused, in audit mode only (beyond the reference; never consensus).
	ReachabilityViolations []ReachabilityViolation
}

// ReachabilityViolation is one audit-mode finding with the invocation it
// happened in.
type ReachabilityViolation struct {
	Actor  abi.ActorID
	Method abi.MethodNum
	reachability.Violation
}

// Penalty is the amount the client charges the block miner (base fee ×
// gas limit on a preflight failure).
func (r *ApplyRet) Penalty() abi.TokenAmount { return r.MinerPenalty }
