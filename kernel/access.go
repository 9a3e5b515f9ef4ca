package kernel

import "github.com/filecoin-project/go-state-types/abi"

// accessLevel is how far an actor has been accessed in this message (v3,
// fvm-abi.md §6.10): reads and writes are charged once each.
type accessLevel uint8

const (
	accessNone accessLevel = iota
	accessRead
	accessUpdated
)

// accessTracker records actor reads/updates and resolved addresses, with
// the same transactions as the state tree: a revert forgets what was
// recorded inside, so those accesses are charged again later.
type accessTracker struct {
	layers []accessLayer
}

type accessLayer struct {
	actors    map[abi.ActorID]accessLevel
	addresses map[string]bool
}

func newAccessLayer() accessLayer {
	return accessLayer{actors: map[abi.ActorID]accessLevel{}, addresses: map[string]bool{}}
}

// preloadedActors are free in v3: system, init, reward, cron, power, market,
// verifreg, datacap, EAM, burnt funds.
var preloadedActors = []abi.ActorID{0, 1, 2, 3, 4, 5, 6, 7, 10, 99}

func newAccessTracker() *accessTracker {
	t := &accessTracker{layers: []accessLayer{newAccessLayer()}}
	for _, id := range preloadedActors {
		t.layers[0].actors[id] = accessUpdated
	}
	return t
}

func (t *accessTracker) actor(id abi.ActorID) accessLevel {
	for i := len(t.layers) - 1; i >= 0; i-- {
		if l, ok := t.layers[i].actors[id]; ok {
			return l
		}
	}
	return accessNone
}

func (t *accessTracker) record(id abi.ActorID, l accessLevel) {
	if t.actor(id) < l {
		t.layers[len(t.layers)-1].actors[id] = l
	}
}

func (t *accessTracker) addressLookedUp(key string) bool {
	for i := len(t.layers) - 1; i >= 0; i-- {
		if t.layers[i].addresses[key] {
			return true
		}
	}
	return false
}

func (t *accessTracker) recordAddress(key string) {
	t.layers[len(t.layers)-1].addresses[key] = true
}

func (t *accessTracker) begin() { t.layers = append(t.layers, newAccessLayer()) }

func (t *accessTracker) end(revert bool) {
	child := t.layers[len(t.layers)-1]
	t.layers = t.layers[:len(t.layers)-1]
	if revert {
		return
	}
	p := t.layers[len(t.layers)-1]
	for id, l := range child.actors {
		if p.actors[id] < l {
			p.actors[id] = l
		}
	}
	for k := range child.addresses {
		p.addresses[k] = true
	}
}
