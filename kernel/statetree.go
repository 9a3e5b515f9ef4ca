package kernel

import (
	"github.com/gofvm/gofvm/actors"
)

// ActorState is one entry of the actors HAMT (fvm-abi.md §8.4): a 4-tuple
// in state-root version 4 (nv17) and a 5-tuple with the delegated address in
// version 5 (nv18).
type ActorState = actors.Actor

// stateTree is package actors' state tree: the actors HAMT behind a cache
// with nested undo-log transactions (fvm-abi.md §6.6) and address
// resolution through the init actor (§8.5).
type stateTree = actors.StateTree
