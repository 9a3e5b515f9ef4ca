package actors

import (
	"bytes"
	"context"
	"fmt"
	gobig "math/big"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/builtin"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	"github.com/multiformats/go-multihash"
)

// Actor is one actor record of the state tree (fvm-abi.md §8.4). nv17 stores
// it as the 4-tuple ActorV4 (no delegated address), nv18 as the 5-tuple
// ActorV5.
type Actor struct {
	Code             cid.Cid
	Head             cid.Cid
	Nonce            uint64
	Balance          abi.TokenAmount
	DelegatedAddress *address.Address
}

// Copy returns an independent copy.
func (a *Actor) Copy() *Actor {
	c := *a
	if a.Balance.Int != nil {
		// Deep: callers may use math/big's in-place methods on the copy.
		c.Balance = big.NewFromGo(new(gobig.Int).Set(a.Balance.Int))
	} else {
		c.Balance = big.Zero()
	}
	if a.DelegatedAddress != nil {
		d := *a.DelegatedAddress
		c.DelegatedAddress = &d
	}
	return &c
}

// EmptyArrayCID is the CID of the DAG-CBOR empty array (0x80) hashed with
// blake2b-256: the state of new actors and the StateRoot info (fvm-abi.md
// §8.2, §8.4).
var EmptyArrayCID = func() cid.Cid {
	c, err := cid.Prefix{Version: 1, Codec: cid.DagCBOR, MhType: multihash.BLAKE2B_MIN + 31, MhLength: -1}.Sum([]byte{0x80})
	if err != nil {
		panic(err)
	}
	return c
}()

// encodeActor is the HAMT value of a for a StateRoot version.
func encodeActor(a *Actor, version uint64) ([]byte, error) {
	bal := a.Balance
	if bal.Int == nil {
		bal = big.Zero()
	}
	var buf bytes.Buffer
	var err error
	if version >= 5 {
		err = (&builtin.ActorV5{Code: a.Code, Head: a.Head, CallSeqNum: a.Nonce, Balance: bal, DelegatedAddress: a.DelegatedAddress}).MarshalCBOR(&buf)
	} else {
		if a.DelegatedAddress != nil {
			return nil, fmt.Errorf("actors: state tree v%d cannot store a delegated address", version)
		}
		err = (&builtin.ActorV4{Code: a.Code, Head: a.Head, CallSeqNum: a.Nonce, Balance: bal}).MarshalCBOR(&buf)
	}
	return buf.Bytes(), err
}

// decodeActor reads a HAMT value written for a StateRoot version.
func decodeActor(raw []byte, version uint64) (a *Actor, err error) {
	defer recoverTo(&err)
	r := bytes.NewReader(raw)
	if version >= 5 {
		var v builtin.ActorV5
		if err := v.UnmarshalCBOR(r); err != nil {
			return nil, fmt.Errorf("actors: decode ActorV5: %w", err)
		}
		a = &Actor{Code: v.Code, Head: v.Head, Nonce: v.CallSeqNum, Balance: v.Balance, DelegatedAddress: v.DelegatedAddress}
	} else {
		var v builtin.ActorV4
		if err := v.UnmarshalCBOR(r); err != nil {
			return nil, fmt.Errorf("actors: decode ActorV4: %w", err)
		}
		a = &Actor{Code: v.Code, Head: v.Head, Nonce: v.CallSeqNum, Balance: v.Balance}
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("actors: %d trailing bytes after actor record", r.Len())
	}
	if a.Balance.Int == nil {
		a.Balance = big.Zero()
	}
	return a, nil
}

// recoverTo turns a panic in a third-party decoder into an error: bad state
// must end in an error, never a Go panic (design.md).
func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("actors: malformed data: %v", r)
	}
}

// PutEmptyArray stores the empty-array block (v3 machines write it at start,
// fvm-abi.md §8.1) and returns its CID, EmptyArrayCID.
func PutEmptyArray(ctx context.Context, store cbor.IpldStore) (cid.Cid, error) {
	c, err := store.Put(ctx, emptyArray{})
	if err == nil && c != EmptyArrayCID {
		err = fmt.Errorf("actors: empty array stored as %s", c)
	}
	return c, err
}
