package kernel

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
)

// ActorState is one entry of the actors HAMT (fvm-abi.md §8.4): a 4-tuple
// in state-root version 4 (nv17) and a 5-tuple with the delegated address in
// version 5 (nv18).
type ActorState struct {
	Code             cid.Cid
	Head             cid.Cid
	Nonce            uint64
	Balance          abi.TokenAmount
	DelegatedAddress *address.Address // nv18 only; nil = none
}

func (a *ActorState) clone() *ActorState {
	if a == nil {
		return nil
	}
	c := *a
	c.Balance = big.Zero() // never share the big.Int
	if a.Balance.Int != nil {
		c.Balance = big.NewFromGo(a.Balance.Int)
	}
	if a.DelegatedAddress != nil {
		d := *a.DelegatedAddress
		c.DelegatedAddress = &d
	}
	return &c
}
