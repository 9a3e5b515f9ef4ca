package exec

import (
	"context"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/rules"
)

// LoadStateTree opens the state tree at root for reading at nv. Package
// actors opens trees of the versions the kernel runs; for the others the
// tree is read with the StateRoot version rules gives nv (4 or 5;
// fvm-abi-next.md §7.11), since the chain layer reads state (message
// selection, circulating supply) of every version nv16–nv28.
func LoadStateTree(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version) (*actors.StateTree, error) {
	cs := cbor.NewCborStore(bs)
	st, err := actors.LoadStateTree(ctx, cs, root, nv)
	if err == nil {
		return st, nil
	}
	r, rerr := rules.For(nv)
	if rerr != nil {
		return nil, err
	}
	alt := network.Version17
	if r.StateRootVersion >= 5 {
		alt = network.Version18
	}
	if alt == nv {
		return nil, err
	}
	return actors.LoadStateTree(ctx, cs, root, alt)
}
