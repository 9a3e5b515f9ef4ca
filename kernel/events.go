package kernel

import (
	"bytes"
	"context"
	"errors"

	amt "github.com/filecoin-project/go-amt-ipld/v4"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// eventAccumulator keeps the StampedEvents of one message with transaction
// marks: a reverted call drops its events and those of its sub-calls
// (fvm-abi.md §6.12).
type eventAccumulator struct {
	events [][]byte // CBOR StampedEvent [emitter, ActorEvent]
	marks  []int
}

func (e *eventAccumulator) begin() { e.marks = append(e.marks, len(e.events)) }

func (e *eventAccumulator) end(revert bool) {
	m := e.marks[len(e.marks)-1]
	e.marks = e.marks[:len(e.marks)-1]
	if revert {
		e.events = e.events[:m]
	}
}

func (e *eventAccumulator) append(stamped []byte) { e.events = append(e.events, stamped) }

// root builds the events AMT (bit width 5, entries 0..n−1 in emission order)
// over a throw-away store; no events → cid.Undef (CBOR null in the receipt).
func (e *eventAccumulator) root(ctx context.Context) (cid.Cid, error) {
	if len(e.events) == 0 {
		return cid.Undef, nil
	}
	vals := make([]cbg.CBORMarshaler, len(e.events))
	for i, ev := range e.events {
		vals[i] = &cbg.Deferred{Raw: ev}
	}
	return amt.FromArray(ctx, discardStore{}, vals, amt.UseTreeBitWidth(5))
}

// discardStore computes the CIDs of what is put and keeps nothing: the FVM
// does not persist the events AMT, the client stores events (fvm-abi.md §6.12).
type discardStore struct{}

func (discardStore) Get(context.Context, cid.Cid, any) error {
	return errors.New("events AMT: the discarding store holds nothing")
}

func (discardStore) Put(_ context.Context, v any) (cid.Cid, error) {
	m, ok := v.(cbg.CBORMarshaler)
	if !ok {
		return cid.Undef, errors.New("events AMT: value is not CBOR-marshalable")
	}
	var buf bytes.Buffer
	if err := m.MarshalCBOR(&buf); err != nil {
		return cid.Undef, err
	}
	return cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum(buf.Bytes())
}
