package genesis

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/rules"
)

// newTree starts an empty state tree in the StateRoot version the rules give
// (4 up to nv17, 5 from nv18; fvm-abi-next.md §7.11). package actors opens
// trees by network version and knows nv17 (v4) and nv18 (v5) today, so the
// tree is made as the version that writes the same StateRoot version: the
// bytes are the same.
func newTree(ctx context.Context, cs cbor.IpldStore, r *rules.Rules) (*actors.StateTree, error) {
	if st, err := actors.NewStateTree(ctx, cs, r.NetworkVersion); err == nil {
		return st, nil
	}
	var nv network.Version
	switch r.StateRootVersion {
	case 4:
		nv = network.Version17
	case 5:
		nv = network.Version18
	default:
		return nil, fmt.Errorf("genesis: StateRoot version %d", r.StateRootVersion)
	}
	return actors.NewStateTree(ctx, cs, nv)
}

// LoadStateTree opens a state tree written at network version nv (see
// newTree for why the version may be mapped).
func LoadStateTree(ctx context.Context, cs cbor.IpldStore, root cid.Cid, nv network.Version) (*actors.StateTree, error) {
	if st, err := actors.LoadStateTree(ctx, cs, root, nv); err == nil {
		return st, nil
	}
	r, err := rules.For(nv)
	if err != nil {
		return nil, err
	}
	switch r.StateRootVersion {
	case 4:
		nv = network.Version17
	case 5:
		nv = network.Version18
	default:
		return nil, fmt.Errorf("genesis: StateRoot version %d", r.StateRootVersion)
	}
	return actors.LoadStateTree(ctx, cs, root, nv)
}
