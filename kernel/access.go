package kernel

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/gas"
)

// accessTracker is kernel/gas's nv18 state-access tracker (fvm-abi.md
// §6.10) seen through the few verbs the call manager uses.
type accessTracker struct{ *gas.AccessTracker }

type accessLevel = gas.Access

const (
	accessRead    = gas.AccessRead
	accessUpdated = gas.AccessUpdated
)

// newAccessTracker marks the price list's preloaded actors (ids 0–7, 10,
// 99) as already updated.
func newAccessTracker(pl *gas.PriceList) *accessTracker {
	return &accessTracker{gas.NewAccessTracker(pl.PreloadedActors)}
}

func (t *accessTracker) actor(id abi.ActorID) accessLevel { return t.Actor(id) }

func (t *accessTracker) record(id abi.ActorID, l accessLevel) {
	if l == accessUpdated {
		t.RecordUpdate(id)
	} else {
		t.RecordRead(id)
	}
}

func (t *accessTracker) addressLookedUp(a address.Address) bool { return t.AddressResolved(a) }
func (t *accessTracker) recordAddress(a address.Address)        { t.RecordAddress(a) }
func (t *accessTracker) begin()                                 { t.Begin() }
func (t *accessTracker) end(revert bool) error                  { return t.End(revert) }
