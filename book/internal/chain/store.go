package chain

import (
	"context"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
)

// Store is an in-memory blockstore, safe for concurrent use.
type Store struct {
	mu sync.RWMutex
	m  map[cid.Cid]blocks.Block
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{m: map[cid.Cid]blocks.Block{}} }

// Get returns a block or ipld.ErrNotFound.
func (s *Store) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b, ok := s.m[c]; ok {
		return b, nil
	}
	return nil, ipld.ErrNotFound{Cid: c}
}

// Put stores a block.
func (s *Store) Put(_ context.Context, b blocks.Block) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[b.Cid()] = b
	return nil
}

// PutBlock is Put without a context, for bundle loaders.
func (s *Store) PutBlock(b blocks.Block) error { return s.Put(context.Background(), b) }

// Has reports whether c is stored.
func (s *Store) Has(c cid.Cid) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.m[c]
	return ok
}

// Copy is an independent store with the same blocks.
func (s *Store) Copy() *Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Store{m: make(map[cid.Cid]blocks.Block, len(s.m))}
	for k, v := range s.m {
		c.m[k] = v
	}
	return c
}
