package vectors

import (
	"context"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
)

// Blockstore is what a Driver reads the pre-state and the actor code from,
// and writes the post-state into. It has the shape of go-ipld-cbor's
// IpldBlockstore, so the kernel can wrap it or hand it to a CborStore as is.
// A missing block is reported as format.ErrNotFound (test with
// format.IsNotFound).
type Blockstore interface {
	Get(ctx context.Context, c cid.Cid) (blocks.Block, error)
	Put(ctx context.Context, b blocks.Block) error
}

// MemBlockstore is an in-memory Blockstore, safe for concurrent use. Put
// trusts its caller about the CID: the runner hash-verifies CAR blocks before
// they get here, and a kernel computes the CIDs it writes.
type MemBlockstore struct {
	mu     sync.RWMutex
	blocks map[cid.Cid]blocks.Block
}

// NewMemBlockstore returns an empty MemBlockstore.
func NewMemBlockstore() *MemBlockstore {
	return &MemBlockstore{blocks: make(map[cid.Cid]blocks.Block)}
}

// Get returns the block or format.ErrNotFound.
func (m *MemBlockstore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	m.mu.RLock()
	b, ok := m.blocks[c]
	m.mu.RUnlock()
	if !ok {
		return nil, format.ErrNotFound{Cid: c}
	}
	return b, nil
}

// Put stores the block.
func (m *MemBlockstore) Put(_ context.Context, b blocks.Block) error {
	m.mu.Lock()
	m.blocks[b.Cid()] = b
	m.mu.Unlock()
	return nil
}

// Has reports whether the block is present.
func (m *MemBlockstore) Has(c cid.Cid) bool {
	m.mu.RLock()
	_, ok := m.blocks[c]
	m.mu.RUnlock()
	return ok
}

// Len is the number of blocks held.
func (m *MemBlockstore) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.blocks)
}

// overlay is the per-vector store: writes and the vector's CAR blocks go to
// top, reads fall through to the shared, read-only bundle store below. It
// keeps the 13 MB of bundle code out of every vector's copy.
type overlay struct {
	top   *MemBlockstore
	below Blockstore
}

func (o *overlay) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	b, err := o.top.Get(ctx, c)
	if err == nil || o.below == nil {
		return b, err
	}
	return o.below.Get(ctx, c)
}

func (o *overlay) Put(ctx context.Context, b blocks.Block) error {
	return o.top.Put(ctx, b)
}
