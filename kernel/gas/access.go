package gas

import (
	"errors"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
)

// Access is how far an actor has been charged for in the current message.
// The order matters: None < Read < Updated.
type Access uint8

const (
	AccessNone Access = iota
	AccessRead
	AccessUpdated
)

// AccessTracker is the nv18 per-message state-access tracker (fvm-gas.md
// §5.4, fvm-abi.md §6.10): which actors were read or updated and which
// non-ID addresses were resolved, so each is charged at most once. It is
// transactional like the state tree: End(true) forgets every record made
// since the matching Begin, so those accesses are charged again later.
//
// Records are undo-logged only when a value actually changes (the reference
// HistoryMap), which makes rollback exact.
type AccessTracker struct {
	actors    map[abi.ActorID]Access
	addresses map[string]struct{}
	undo      []accessUndo
	layers    []int
}

type accessUndo struct {
	actor   abi.ActorID
	prev    Access // AccessNone = absent before
	address string // non-empty: an address record to forget
}

// ErrNoTransaction is returned by End without a matching Begin (fatal in the
// reference).
var ErrNoTransaction = errors.New("access tracker: no open transaction")

// NewAccessTracker starts a message with the preloaded actors (Hygge:
// PriceList.PreloadedActors) marked updated; they are never charged.
func NewAccessTracker(preloaded []abi.ActorID) *AccessTracker {
	t := &AccessTracker{
		actors:    make(map[abi.ActorID]Access, len(preloaded)+4),
		addresses: make(map[string]struct{}, 4),
	}
	for _, id := range preloaded {
		t.actors[id] = AccessUpdated
	}
	return t
}

// Actor is the recorded access of id (AccessNone when never charged).
func (t *AccessTracker) Actor(id abi.ActorID) Access { return t.actors[id] }

// RecordRead marks id read unless it is already read or updated. The kernel
// records after charging OnActorLookup, also for actors that do not exist.
func (t *AccessTracker) RecordRead(id abi.ActorID) {
	if t.actors[id] == AccessNone {
		t.set(id, AccessRead)
	}
}

// RecordUpdate marks id updated.
func (t *AccessTracker) RecordUpdate(id abi.ActorID) {
	if t.actors[id] != AccessUpdated {
		t.set(id, AccessUpdated)
	}
}

func (t *AccessTracker) set(id abi.ActorID, a Access) {
	if len(t.layers) > 0 {
		t.undo = append(t.undo, accessUndo{actor: id, prev: t.actors[id]})
	}
	t.actors[id] = a
}

// AddressResolved reports whether resolving a needs no charge: ID addresses
// never do; others once recorded.
func (t *AccessTracker) AddressResolved(a address.Address) bool {
	if a.Protocol() == address.ID {
		return true
	}
	_, ok := t.addresses[string(a.Bytes())]
	return ok
}

// RecordAddress marks a successfully resolved non-ID address.
func (t *AccessTracker) RecordAddress(a address.Address) {
	if a.Protocol() == address.ID {
		return
	}
	k := string(a.Bytes())
	if _, ok := t.addresses[k]; ok {
		return
	}
	if len(t.layers) > 0 {
		t.undo = append(t.undo, accessUndo{address: k})
	}
	t.addresses[k] = struct{}{}
}

// Begin opens a (nested) transaction.
func (t *AccessTracker) Begin() { t.layers = append(t.layers, len(t.undo)) }

// End closes the innermost transaction; revert forgets its records.
func (t *AccessTracker) End(revert bool) error {
	if len(t.layers) == 0 {
		return ErrNoTransaction
	}
	h := t.layers[len(t.layers)-1]
	t.layers = t.layers[:len(t.layers)-1]
	if revert {
		for i := len(t.undo) - 1; i >= h; i-- {
			u := t.undo[i]
			switch {
			case u.address != "":
				delete(t.addresses, u.address)
			case u.prev == AccessNone:
				delete(t.actors, u.actor)
			default:
				t.actors[u.actor] = u.prev
			}
		}
		t.undo = t.undo[:h]
	}
	if len(t.layers) == 0 {
		t.undo = t.undo[:0]
	}
	return nil
}

// SeedMessage records what a message start treats as already charged
// (call manager construction, fvm@v3.1.0 fvm/src/call_manager/default.rs):
// the origin updated (its update is in the inclusion charge), the origin and
// receiver addresses resolved (even if the receiver does not resolve), and the
// receiver id read when msg.to resolved (nil otherwise). Call it before the
// top-level Begin.
func (t *AccessTracker) SeedMessage(origin abi.ActorID, originAddr address.Address, receiver *abi.ActorID, receiverAddr address.Address) {
	t.RecordUpdate(origin)
	t.RecordAddress(originAddr)
	if receiver != nil {
		t.RecordRead(*receiver)
	}
	t.RecordAddress(receiverAddr)
}
