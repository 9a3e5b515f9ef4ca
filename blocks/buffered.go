package blocks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/ipfs/boxo/datastore/dshelp"
	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	format "github.com/ipfs/go-ipld-format"
	"github.com/multiformats/go-base32"

	"github.com/gofvm/gofvm/codecs"
)

// FlushMode picks the flush behaviour of one FVM line (fvm-abi.md §4.3).
// Which mode a network version uses is a rule of package rules.
type FlushMode uint8

const (
	// V2 is FVM v2 (nv17): the write buffer is cleared after each flush, and
	// CBOR (0x51) CIDs make a flush fail.
	V2 FlushMode = 2
	// V3 is FVM v3 as 3.6.0 rewrote it, and v4 (nv18–28): CBOR (0x51)
	// blocks are written (not scanned), identity CIDs of any of the three
	// codecs are allowed, the scanner is looser (codecs.ScanFlushLinks),
	// and only the blocks written leave the buffer (fvm-abi-next.md §4.7).
	V3 FlushMode = 3
)

// DsKey is the datastore key of a block: "/" + base32 (RFC 4648, upper case,
// no padding) of the CID's multihash, the scheme of boxo's blockstore
// (dshelp.MultihashToDsKey) and so of Lotus. Blocks with the same multihash
// and different codecs share a key, which is harmless since their bytes are
// equal.
//
// It allocates once (the key string) for the CIDs gofvm makes.
func DsKey(c cid.Cid) datastore.Key {
	s := c.KeyString()
	mhStart := -1
	switch {
	case len(s) == 34 && s[0] == 0x12 && s[1] == 0x20: // CIDv0: all multihash
		mhStart = 0
	case len(s) > 2 && s[0] == 1 && s[1] < 0x80: // CIDv1, one-byte codec
		mhStart = 2
	case len(s) > 4 && s[0] == 1 && s[1] >= 0x80 && s[2] >= 0x80 && s[3] < 0x80: // three-byte codec
		mhStart = 4
	}
	if mhStart < 0 {
		return dshelp.MultihashToDsKey(c.Hash())
	}
	mhLen := len(s) - mhStart
	buf := make([]byte, 1+base32.RawStdEncoding.EncodedLen(mhLen))
	buf[0] = '/'
	base32.RawStdEncoding.Encode(buf[1:], unsafe.Slice(unsafe.StringData(s[mhStart:]), mhLen))
	return datastore.RawKey(unsafe.String(&buf[0], len(buf)))
}

// Buffered is the machine's blockstore: writes go to an in-memory buffer,
// reads fall through buffer → inline (identity) CIDs → datastore, and Flush
// copies into the datastore only the buffered blocks a new state root reaches
// (ref-fvm fvm/src/blockstore/buffered.rs; fvm-abi.md §4.3).
//
// It satisfies go-ipld-cbor's IpldBlockstore and IpldBlockstoreViewer.
// Buffered keeps the slices it is given (Put, PutRaw) and hands out the
// stored slices (View): blocks are immutable, nobody may modify them.
// It is safe for concurrent use.
type Buffered struct {
	mu   sync.RWMutex
	ds   datastore.Batching
	mode FlushMode
	buf  map[cid.Cid][]byte
}

// NewBuffered returns a buffered blockstore over ds; a nil ds means a fresh
// in-memory map datastore (wrapped in a mutex).
func NewBuffered(ds datastore.Batching, mode FlushMode) *Buffered {
	if ds == nil {
		ds = dssync.MutexWrap(datastore.NewMapDatastore())
	}
	return &Buffered{ds: ds, mode: mode, buf: make(map[cid.Cid][]byte)}
}

// Datastore is the datastore underneath.
func (b *Buffered) Datastore() datastore.Batching { return b.ds }

// Mode is the flush mode.
func (b *Buffered) Mode() FlushMode { return b.mode }

// Len is the number of blocks in the write buffer.
func (b *Buffered) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.buf)
}

// Put buffers a block under its CID. Like the reference, it does not check
// that the CID matches the data.
func (b *Buffered) Put(_ context.Context, blk blockformat.Block) error {
	return b.PutRaw(blk.Cid(), blk.RawData())
}

// PutRaw buffers data under c without wrapping it in a blocks.Block
// (block_link's path). data must never change afterwards.
func (b *Buffered) PutRaw(c cid.Cid, data []byte) error {
	if !c.Defined() {
		return errors.New("buffered blockstore: put of an undefined cid")
	}
	b.mu.Lock()
	b.buf[c] = data
	b.mu.Unlock()
	return nil
}

// View calls fn with the bytes of block c without copying them (from the
// buffer, the CID itself for identity hashes, or the datastore). A missing
// block is format.ErrNotFound.
func (b *Buffered) View(c cid.Cid, fn func([]byte) error) error {
	data, err := b.getRaw(context.Background(), c)
	if err != nil {
		return err
	}
	return fn(data)
}

// Get returns block c. A missing block is format.ErrNotFound (test with
// format.IsNotFound); other errors come from the datastore.
func (b *Buffered) Get(ctx context.Context, c cid.Cid) (blockformat.Block, error) {
	data, err := b.getRaw(ctx, c)
	if err != nil {
		return nil, err
	}
	return blockformat.NewBlockWithCid(data, c)
}

// GetRaw returns the bytes of block c (shared, never to be modified).
func (b *Buffered) GetRaw(ctx context.Context, c cid.Cid) ([]byte, error) {
	return b.getRaw(ctx, c)
}

func (b *Buffered) getRaw(ctx context.Context, c cid.Cid) ([]byte, error) {
	b.mu.RLock()
	data, ok := b.buf[c]
	b.mu.RUnlock()
	if ok {
		return data, nil
	}
	// Identity CIDs carry their block: Lotus answers them from the CID
	// (blockstore.WrapIDStore; fvm-abi.md §14), so the machine does too.
	if info, err := codecs.Inspect(c); err == nil && info.HashCode == codecs.Identity {
		return []byte(info.Digest), nil
	}
	data, err := b.ds.Get(ctx, DsKey(c))
	if errors.Is(err, datastore.ErrNotFound) {
		return nil, format.ErrNotFound{Cid: c}
	}
	if err != nil {
		return nil, fmt.Errorf("buffered blockstore: reading %s: %w", c, err)
	}
	return data, nil
}

// Has reports whether block c can be read.
func (b *Buffered) Has(ctx context.Context, c cid.Cid) (bool, error) {
	b.mu.RLock()
	_, ok := b.buf[c]
	b.mu.RUnlock()
	if ok {
		return true, nil
	}
	if info, err := codecs.Inspect(c); err == nil && info.HashCode == codecs.Identity {
		return true, nil
	}
	return b.ds.Has(ctx, DsKey(c))
}
