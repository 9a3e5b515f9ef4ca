package scenario

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
)

// tree opens the current state tree.
func (t *T) tree() *actors.StateTree {
	st, err := t.C.Tree(t.Ctx)
	if err != nil {
		t.Fatalf("opening the state tree: %v", err)
	}
	return st
}

// Lookup resolves a to an id (false if no actor has it).
func (t *T) Lookup(a address.Address) (abi.ActorID, bool) {
	st := t.tree()
	if a.Protocol() == address.ID {
		id, _ := address.IDFromAddress(a)
		act, err := st.GetActor(abi.ActorID(id))
		t.Must(err, "reading f0"+fmt.Sprint(id))
		return abi.ActorID(id), act != nil
	}
	id, ok, err := st.LookupID(a)
	t.Must(err, "resolving "+a.String())
	return id, ok
}

// Actor is a's actor record, nil if there is none.
func (t *T) Actor(a address.Address) *actors.Actor {
	id, ok := t.Lookup(a)
	if !ok {
		return nil
	}
	act, err := t.tree().GetActor(id)
	t.Must(err, "reading actor "+a.String())
	return act
}

// MustActor is Actor that fails when a does not exist.
func (t *T) MustActor(a address.Address) *actors.Actor {
	act := t.Actor(a)
	if act == nil {
		t.Fatalf("no actor at %s", a)
	}
	return act
}

// IDOf resolves a, failing if it does not exist.
func (t *T) IDOf(a address.Address) abi.ActorID {
	id, ok := t.Lookup(a)
	if !ok {
		t.Fatalf("no actor at %s", a)
	}
	return id
}

// Balance is a's balance (zero if it does not exist).
func (t *T) Balance(a address.Address) abi.TokenAmount {
	if act := t.Actor(a); act != nil {
		return act.Balance
	}
	return big.Zero()
}

// Nonce is a's nonce.
func (t *T) Nonce(a address.Address) uint64 { return t.MustActor(a).Nonce }

// Head is a's state root.
func (t *T) Head(a address.Address) cid.Cid { return t.MustActor(a).Head }

// CodeIs checks that a's code is the manifest's name.
func (t *T) CodeIs(a address.Address, name string) {
	act := t.Actor(a)
	if act == nil {
		t.Errorf("%s does not exist, want a %s actor", a, name)
		return
	}
	if act.Code != t.W.Codes[name] {
		t.Errorf("%s is %s, want %s", a, t.CodeName(act.Code), name)
	}
}

// CodeName is the manifest name of code.
func (t *T) CodeName(code cid.Cid) string {
	for n, c := range t.W.Codes {
		if c == code {
			return n
		}
	}
	return code.String()
}

// EqualAmount checks got == want.
func (t *T) EqualAmount(what string, got, want abi.TokenAmount) {
	if got.Int == nil || want.Int == nil || !got.Equals(want) {
		t.Errorf("%s is %s, want %s", what, got, want)
	}
}

// Get decodes a's state.
func (t *T) Get(a address.Address, v cbg.CBORUnmarshaler) {
	t.Must(t.C.CborStore().Get(t.Ctx, t.Head(a), v), "reading the state of "+a.String())
}

// CheckInvariants runs the actors version's state invariant checks
// (go-state-types' port of builtin-actors' check_state_invariants) on the
// current state.
func (t *T) CheckInvariants() {
	var root actors.StateRoot
	t.Must(t.C.CborStore().Get(t.Ctx, t.C.Root(), &root), "reading the state root")
	msgs, err := t.V.CheckInvariants(t.Ctx, t.C.CborStore(), root.Actors, t.C.PriorEpoch(), t.W.Codes)
	t.Must(err, "checking state invariants")
	if len(msgs) > 0 {
		t.Errorf("state invariants broken:\n  %s", strings.Join(msgs, "\n  "))
	}
}

// Event is one actor event (FIP-0049): its emitter and entries.
type Event struct {
	Emitter abi.ActorID
	Entries []EventEntry
}

// EventEntry is one entry of an event.
type EventEntry struct {
	Flags uint64
	Key   string
	Codec uint64
	Value []byte
}

// Value returns the value of the first entry with key.
func (e Event) Value(key string) ([]byte, bool) {
	for _, en := range e.Entries {
		if en.Key == key {
			return en.Value, true
		}
	}
	return nil, false
}

// Events decodes the message's StampedEvents [emitter, [[flags, key,
// codec, value]...]] (fvm-abi.md §6.12).
func (r *Ret) Events() []Event {
	var out []Event
	for _, raw := range r.ApplyRet.Events {
		ev, err := decodeEvent(raw)
		if err != nil {
			r.t.Fatalf("decoding an event: %v", err)
		}
		out = append(out, ev)
	}
	return out
}

func decodeEvent(raw []byte) (Event, error) {
	var ev Event
	rd := cbg.NewCborReader(bytes.NewReader(raw))
	if maj, n, err := rd.ReadHeader(); err != nil || maj != cbg.MajArray || n != 2 {
		return ev, fmt.Errorf("not a stamped event")
	}
	maj, id, err := rd.ReadHeader()
	if err != nil || maj != cbg.MajUnsignedInt {
		return ev, fmt.Errorf("bad emitter")
	}
	ev.Emitter = abi.ActorID(id)
	// ActorEvent is the array of entries itself (fvm-abi.md §6.12).
	maj, n, err := rd.ReadHeader()
	if err != nil || maj != cbg.MajArray || n > 1024 {
		return ev, fmt.Errorf("bad entries")
	}
	for i := uint64(0); i < n; i++ {
		var e EventEntry
		if maj, l, err := rd.ReadHeader(); err != nil || maj != cbg.MajArray || l != 4 {
			return ev, fmt.Errorf("bad entry")
		}
		if maj, e.Flags, err = rd.ReadHeader(); err != nil || maj != cbg.MajUnsignedInt {
			return ev, fmt.Errorf("bad flags")
		}
		if e.Key, err = cbg.ReadStringWithMax(rd, 1024); err != nil {
			return ev, err
		}
		if maj, e.Codec, err = rd.ReadHeader(); err != nil || maj != cbg.MajUnsignedInt {
			return ev, fmt.Errorf("bad codec")
		}
		if e.Value, err = cbg.ReadByteArray(rd, 1<<20); err != nil {
			return ev, err
		}
		ev.Entries = append(ev.Entries, e)
	}
	return ev, nil
}
