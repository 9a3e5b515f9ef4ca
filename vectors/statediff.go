package vectors

import (
	"context"

	"github.com/ipfs/go-cid"
)

// DiffStateRoots explains why two state roots differ, down to the actor and its
// fields, the way a failed vector's report does (system actors first, then
// every actors-HAMT entry that differs). Blocks are read from bs; what it
// cannot read is said in the text. Package chain uses it for a tipset whose
// state root differs from the chain's.
func DiffStateRoots(ctx context.Context, bs Blockstore, want, got cid.Cid) string {
	return stateDiff(ctx, bs, want, got, nil)
}
