package actors_test

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
)

type mapStore map[cid.Cid]blocks.Block

func (m mapStore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	if b, ok := m[c]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("%s not found", c)
}

func (m mapStore) Put(_ context.Context, b blocks.Block) error { m[b.Cid()] = b; return nil }

// Build a state tree, change it inside a transaction that is reverted, and
// flush what is left.
func ExampleStateTree() {
	ctx := context.Background()
	store := cbor.NewCborStore(mapStore{})
	st, _ := actors.NewStateTree(ctx, store, network.Version18)
	_ = st.SetActor(100, &actors.Actor{Code: actors.EmptyArrayCID, Head: actors.EmptyArrayCID, Balance: big.NewInt(42)})

	st.BeginTransaction()
	_ = st.DeleteActor(100)
	_ = st.EndTransaction(true) // revert: actor 100 is back

	root, _ := st.Flush()
	again, _ := actors.LoadStateTree(ctx, store, root, network.Version18)
	a, _ := again.GetActor(100)
	fmt.Println(again.Version(), a.Balance)
	// Output: 5 42
}
