package blocks

import (
	"context"
	"errors"
	"fmt"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	format "github.com/ipfs/go-ipld-format"

	"github.com/gofvm/gofvm/codecs"
)

// ErrReadOnly is returned by ReadOnly.Put.
var ErrReadOnly = errors.New("read-only blockstore")

// ReadOnly is a read-only blockstore view of a datastore, keyed like
// Buffered (DsKey): for reading bundles and pre-states without any chance of
// writing to them. Identity CIDs are answered from the CID.
type ReadOnly struct {
	ds datastore.Read
}

// NewReadOnly returns a read-only view of ds.
func NewReadOnly(ds datastore.Read) *ReadOnly { return &ReadOnly{ds: ds} }

// Get returns block c or format.ErrNotFound.
func (r *ReadOnly) Get(ctx context.Context, c cid.Cid) (blockformat.Block, error) {
	if info, err := codecs.Inspect(c); err == nil && info.HashCode == codecs.Identity {
		return blockformat.NewBlockWithCid([]byte(info.Digest), c)
	}
	data, err := r.ds.Get(ctx, DsKey(c))
	if errors.Is(err, datastore.ErrNotFound) {
		return nil, format.ErrNotFound{Cid: c}
	}
	if err != nil {
		return nil, fmt.Errorf("read-only blockstore: reading %s: %w", c, err)
	}
	return blockformat.NewBlockWithCid(data, c)
}

// Has reports whether block c is present.
func (r *ReadOnly) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if info, err := codecs.Inspect(c); err == nil && info.HashCode == codecs.Identity {
		return true, nil
	}
	return r.ds.Has(ctx, DsKey(c))
}

// Put always fails with ErrReadOnly.
func (r *ReadOnly) Put(context.Context, blockformat.Block) error { return ErrReadOnly }
