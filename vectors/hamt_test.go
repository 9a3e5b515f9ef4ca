package vectors_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/filecoin-project/go-address"
	blocks "github.com/ipfs/go-block-format"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// TestHAMTAgainstGoHAMT: the tolerant reader finds exactly what
// go-hamt-ipld (bit width 5, SHA-256; fvm-abi.md §8.3) wrote, across a tree
// deep enough to have links and buckets, and degrades to "missing" when
// nodes are taken out, as in the partial vector CARs.
func TestHAMTAgainstGoHAMT(t *testing.T) {
	b := vectortest.New()
	code := b.Put(vectortest.Raw, []byte("code"))
	head := b.EmptyArray()
	const n = 800
	var actors []vectortest.Actor
	for id := uint64(0); id < n; id++ {
		actors = append(actors, vectortest.Actor{ID: id * 7, Code: code, Head: head, Nonce: id})
	}
	root, err := b.StateTree(4, actors) // [4, hamt, info]
	if err != nil {
		t.Fatal(err)
	}
	bs := vectors.NewMemBlockstore()
	for _, blk := range b.Blocks() {
		_ = bs.Put(context.Background(), blk)
	}
	hamtRoot, version, err := vectors.StateRootActors(bs, root)
	if err != nil || version != 4 {
		t.Fatalf("state root: version %d, %v", version, err)
	}
	key := func(id uint64) []byte { a, _ := address.NewIDAddress(id); return a.Bytes() }
	for id := uint64(0); id < n; id++ {
		nonce, found, missing, err := vectors.HAMTFind(bs, hamtRoot, key(id*7))
		if err != nil || !found || missing || nonce != id {
			t.Fatalf("id %d: nonce %d found %v missing %v err %v", id*7, nonce, found, missing, err)
		}
		if _, found, _, err := vectors.HAMTFind(bs, hamtRoot, key(id*7+1)); found || err != nil {
			t.Fatalf("id %d: found an absent key (err %v)", id*7+1, err)
		}
	}
	keys, missing, err := vectors.HAMTCollect(bs, hamtRoot)
	if err != nil || missing != 0 || len(keys) != n {
		t.Fatalf("collect: %d keys, %d missing, %v", len(keys), missing, err)
	}

	// Drop every block but the state root, the HAMT root and one in three
	// others: lookups now say "missing" or succeed, never err or lie.
	partial := vectors.NewMemBlockstore()
	for i, blk := range b.Blocks() {
		if blk.Cid() == root || blk.Cid() == hamtRoot || i%3 == 0 {
			_ = partial.Put(context.Background(), blocks.Block(blk))
		}
	}
	sawMissing := false
	for id := uint64(0); id < n; id++ {
		nonce, found, missing, err := vectors.HAMTFind(partial, hamtRoot, key(id*7))
		if err != nil || (found && nonce != id) || (!found && !missing) {
			t.Fatalf("partial, id %d: nonce %d found %v missing %v err %v", id*7, nonce, found, missing, err)
		}
		sawMissing = sawMissing || missing
	}
	keys, missing, err = vectors.HAMTCollect(partial, hamtRoot)
	if err != nil || !sawMissing || missing == 0 || len(keys) >= n {
		t.Fatalf("partial collect: %d keys, %d missing, %v", len(keys), missing, err)
	}
}

// TestHAMTSharedSubtrees: a hostile CAR can make the "tree" a DAG whose
// every slot links to the same child; 32^12 paths must not mean 32^12 loads.
func TestHAMTSharedSubtrees(t *testing.T) {
	b := vectortest.New()
	leaf := b.Tuple([]byte{1}, []any{[]any{[]any{[]byte{0, 100}, uint64(1)}}})
	child := leaf
	for i := 0; i < 12; i++ {
		links := make([]any, 32)
		for j := range links {
			links[j] = child
		}
		child = b.Tuple([]byte{0xff, 0xff, 0xff, 0xff}, links)
	}
	bs := vectors.NewMemBlockstore()
	for _, blk := range b.Blocks() {
		_ = bs.Put(context.Background(), blk)
	}
	start := time.Now()
	if _, _, err := vectors.HAMTCollect(bs, child); err == nil || !strings.Contains(err.Error(), "state walk stopped") {
		t.Errorf("collect: %v", err)
	}
	_ = vectors.StateDiff(bs, child, leaf, nil)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}
