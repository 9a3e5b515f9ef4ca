package vectors

import (
	"context"
	"errors"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-ipld-prime/datamodel"
)

// HAMTFind exposes hamtFind to the external tests: the decoded actor's
// nonce, whether the key was found, and whether a node on the way was
// missing.
func HAMTFind(bs Blockstore, root cid.Cid, key []byte) (nonce uint64, found, missing bool, err error) {
	v, found, err := newTreeReader(context.Background(), bs).hamtFind(root, key)
	if errors.Is(err, errMissing) {
		return 0, false, true, nil
	}
	if err != nil || !found {
		return 0, found, false, err
	}
	a, err := decodeActor(v)
	if err != nil {
		return 0, true, false, err
	}
	return a.Nonce, true, false, nil
}

// HAMTCollect exposes hamtCollect: the keys reachable and the count of
// missing subtrees.
func HAMTCollect(bs Blockstore, root cid.Cid) (keys map[string]bool, missing int, err error) {
	out := map[string]datamodel.Node{}
	missing, err = newTreeReader(context.Background(), bs).hamtCollect(linkNode(root), out, 0)
	keys = map[string]bool{}
	for k := range out {
		keys[k] = true
	}
	return keys, missing, err
}

// StateRootActors exposes the StateRoot decoding: the actors HAMT root.
func StateRootActors(bs Blockstore, root cid.Cid) (cid.Cid, uint64, error) {
	sr, err := newTreeReader(context.Background(), bs).stateRoot(root)
	if err != nil {
		return cid.Undef, 0, err
	}
	return sr.Actors, sr.Version, nil
}

// StateDiff exposes stateDiff.
func StateDiff(bs Blockstore, want, got cid.Cid, msg *Message) string {
	return stateDiff(context.Background(), bs, want, got, msg)
}

// DecodeSchema and DecodeWhole are the fast and the general JSON decoding
// of a vector (FuzzDecodeSchema compares them).
var (
	DecodeSchema = decodeSchema
	DecodeWhole  = decodeWhole
)
