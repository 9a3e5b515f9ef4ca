// Package store is the verified block cache a replay reads chain data
// through: blocks come from local sources (bundles), then an on-disk
// go-datastore, then the endpoint's ChainReadObj. Every block is hashed
// against its CID before it is used or written; nothing unverified is ever
// stored (chain.md §3.5, §6 item 4).
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	leveldb "github.com/ipfs/go-ds-leveldb"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

// Getter is a read-only block source (the bundles).
type Getter interface {
	Get(ctx context.Context, c cid.Cid) (blocks.Block, error)
}

// Fetcher reads a block's raw bytes from the endpoint (ChainReadObj).
type Fetcher func(ctx context.Context, c cid.Cid) ([]byte, error)

// Options configure a Store.
type Options struct {
	// Dir is the on-disk cache (a LevelDB directory, created if needed);
	// "" keeps everything in memory.
	Dir string
	// Fetch reads missing blocks; nil means offline.
	Fetch Fetcher
	// Local sources are read first and never copied into the cache.
	Local []Getter
}

// Store is a blockstore for the kernel (Get, Put) with the cache and the
// endpoint behind it. It is safe for concurrent use.
type Store struct {
	ds    datastore.Batching
	close func() error
	fetch Fetcher
	local []Getter

	mu       sync.Mutex
	inflight map[cid.Cid]*flight
	failure  error

	fetched atomic.Int64
}

type flight struct {
	done chan struct{}
	data []byte
	err  error
}

// Open opens (or creates) the cache.
func Open(o Options) (*Store, error) {
	s := &Store{fetch: o.Fetch, local: o.Local, inflight: map[cid.Cid]*flight{}}
	if o.Dir == "" {
		s.ds = dssync.MutexWrap(datastore.NewMapDatastore())
		s.close = func() error { return nil }
	} else {
		l, err := leveldb.NewDatastore(o.Dir, nil)
		if err != nil {
			return nil, fmt.Errorf("opening the block cache %s: %w", o.Dir, err)
		}
		s.ds, s.close = l, l.Close
	}
	return s, nil
}

// Close closes the cache.
func (s *Store) Close() error { return s.close() }

// Datastore is the cache underneath (tests inspect it).
func (s *Store) Datastore() datastore.Batching { return s.ds }

// Fetched is how many blocks came from the endpoint.
func (s *Store) Fetched() int64 { return s.fetched.Load() }

// BlockKey is a block's key in the cache: /blocks/<CID>.
func BlockKey(c cid.Cid) datastore.Key { return datastore.NewKey("/blocks/" + c.String()) }

// MissingBlockError says the endpoint does not have a block.
type MissingBlockError struct {
	Cid cid.Cid
	Err error
}

func (e *MissingBlockError) Error() string {
	return fmt.Sprintf("block %s is not in the cache and the endpoint does not have it: %v", e.Cid, e.Err)
}
func (e *MissingBlockError) Unwrap() error { return e.Err }

// CorruptBlockError says the endpoint's bytes for a block do not hash to
// its CID.
type CorruptBlockError struct {
	Cid, Got cid.Cid
}

func (e *CorruptBlockError) Error() string {
	return fmt.Sprintf("block %s: the endpoint's bytes hash to %s; refused, nothing cached", e.Cid, e.Got)
}

// ErrOffline is wrapped when a block is missing and there is no endpoint.
var ErrOffline = errors.New("not in the cache, and no endpoint to fetch it from")

// Verify checks that data hashes to c.
func Verify(c cid.Cid, data []byte) error {
	got, err := c.Prefix().Sum(data)
	if err != nil {
		return fmt.Errorf("block %s: cannot hash with its CID's prefix: %w", c, err)
	}
	if !got.Equals(c) {
		return &CorruptBlockError{Cid: c, Got: got}
	}
	return nil
}

// Get returns block c: inline (identity) CIDs, local sources, the cache, or
// the endpoint, verified before it is returned or stored. A failure to fetch
// is also recorded for Failure.
func (s *Store) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	data, err := s.GetRaw(ctx, c)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

// GetRaw is Get without the block wrapper.
func (s *Store) GetRaw(ctx context.Context, c cid.Cid) ([]byte, error) {
	if !c.Defined() {
		return nil, errors.New("undefined CID")
	}
	if dm, err := mh.Decode(c.Hash()); err == nil && dm.Code == mh.IDENTITY {
		return dm.Digest, nil
	}
	for _, l := range s.local {
		if b, err := l.Get(ctx, c); err == nil {
			return b.RawData(), nil
		}
	}
	data, err := s.ds.Get(ctx, BlockKey(c))
	if err == nil {
		return data, nil
	}
	if !errors.Is(err, datastore.ErrNotFound) {
		return nil, fmt.Errorf("reading block %s from the cache: %w", c, err)
	}
	if s.fetch == nil {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	data, err = s.fetchOnce(ctx, c)
	if err != nil {
		s.fail(err)
		return nil, err
	}
	return data, nil
}

// fetchOnce fetches c, sharing one request among concurrent callers.
func (s *Store) fetchOnce(ctx context.Context, c cid.Cid) ([]byte, error) {
	s.mu.Lock()
	if f, ok := s.inflight[c]; ok {
		s.mu.Unlock()
		select {
		case <-f.done:
			return f.data, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f := &flight{done: make(chan struct{})}
	s.inflight[c] = f
	s.mu.Unlock()

	f.data, f.err = s.fetchVerified(ctx, c)
	s.mu.Lock()
	delete(s.inflight, c)
	s.mu.Unlock()
	close(f.done)
	return f.data, f.err
}

func (s *Store) fetchVerified(ctx context.Context, c cid.Cid) ([]byte, error) {
	var err error
	for try := 0; try < 2; try++ { // one more try for bytes that do not verify
		var data []byte
		data, err = s.fetch(ctx, c)
		if err != nil {
			return nil, err
		}
		if err = Verify(c, data); err != nil {
			continue
		}
		s.fetched.Add(1)
		if err := s.ds.Put(ctx, BlockKey(c), data); err != nil {
			return nil, fmt.Errorf("caching block %s: %w", c, err)
		}
		return data, nil
	}
	return nil, err
}

// Put stores a block the machine made, after checking its hash.
func (s *Store) Put(ctx context.Context, b blocks.Block) error {
	if err := Verify(b.Cid(), b.RawData()); err != nil {
		return err
	}
	return s.ds.Put(ctx, BlockKey(b.Cid()), b.RawData())
}

// Has reports whether a block is available without fetching it.
func (s *Store) Has(ctx context.Context, c cid.Cid) (bool, error) {
	for _, l := range s.local {
		if _, err := l.Get(ctx, c); err == nil {
			return true, nil
		}
	}
	return s.ds.Has(ctx, BlockKey(c))
}

func (s *Store) fail(err error) {
	s.mu.Lock()
	if s.failure == nil {
		s.failure = err
	}
	s.mu.Unlock()
}

// Failure is the first fetch failure since the last ResetFailure. The kernel
// turns a missing block into a failed receipt (chain.md §2.6); a replay
// checks this after every message and aborts instead.
func (s *Store) Failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}

// ResetFailure forgets the recorded failure.
func (s *Store) ResetFailure() {
	s.mu.Lock()
	s.failure = nil
	s.mu.Unlock()
}

// AnswerKey is the cache key of an endpoint answer that is not a block.
func AnswerKey(name string) datastore.Key { return datastore.NewKey("/answers/" + name) }

// GetAnswer reads a cached answer into out; false if there is none.
func (s *Store) GetAnswer(ctx context.Context, name string, out any) (bool, error) {
	b, err := s.ds.Get(ctx, AnswerKey(name))
	if errors.Is(err, datastore.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return false, fmt.Errorf("cached answer %s: %w", name, err)
	}
	return true, nil
}

// PutAnswer caches an answer the caller has checked as far as it can.
func (s *Store) PutAnswer(ctx context.Context, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.ds.Put(ctx, AnswerKey(name), b)
}
