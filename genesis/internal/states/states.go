// Package states builds the genesis state of each singleton actor with the
// go-state-types package of one builtin-actors version (v8 … v18), the way
// Lotus's genesis builder does (chain/gen/genesis, f00_system.go …
// f07_dcap.go). One generated file per version (zz_vN.go, from gen.go) fills
// a Set; nothing here runs actor code.
package states

import (
	"context"
	"fmt"
	"sort"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"
)

//go:generate go run gen.go

// Mapping is one entry of the init actor's address map.
type Mapping struct {
	Address address.Address
	ID      abi.ActorID
}

// Set makes the genesis states of one actors version. Every function returns
// the state object; the caller stores it.
type Set struct {
	Version int
	// System is [manifest data CID] (the builtin-actors list).
	System func(manifestData cid.Cid) cbg.CBORMarshaler
	// Init holds the address map (mappings) and the next id to assign.
	Init func(ctx context.Context, store cbor.IpldStore, networkName string, mappings []Mapping, nextID abi.ActorID) (cbg.CBORMarshaler, error)
	// Reward starts with zero realized power (Lotus's SetupRewardActor).
	Reward func() cbg.CBORMarshaler
	// Cron holds the built-in entries: power's and market's cron ticks.
	Cron     func() cbg.CBORMarshaler
	Power    func(ctx context.Context, store cbor.IpldStore) (cbg.CBORMarshaler, error)
	Market   func(ctx context.Context, store cbor.IpldStore) (cbg.CBORMarshaler, error)
	Verifreg func(ctx context.Context, store cbor.IpldStore, rootKey address.Address) (cbg.CBORMarshaler, error)
	// Datacap is nil before actors v9 (FIP-0045 added the datacap actor).
	Datacap func(ctx context.Context, store cbor.IpldStore, governor address.Address) (cbg.CBORMarshaler, error)
	// Account is the account state {address}.
	Account func(a address.Address) cbg.CBORMarshaler
}

var sets = map[int]*Set{}

func register(s *Set) { sets[s.Version] = s }

// For returns the set of actors version v.
func For(v int) (*Set, error) {
	s, ok := sets[v]
	if !ok {
		return nil, fmt.Errorf("genesis: no state constructors for actors v%d (have %v)", v, Versions())
	}
	return s, nil
}

// Versions lists the actors versions with a set, ascending.
func Versions() []int {
	out := make([]int, 0, len(sets))
	for v := range sets {
		out = append(out, v)
	}
	sort.Ints(out)
	return out
}
