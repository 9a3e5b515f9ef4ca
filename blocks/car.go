package blocks

import (
	"context"
	"errors"
	"fmt"
	"io"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	carv2 "github.com/ipld/go-car/v2"
)

// ErrBadBlockHash marks a CAR block whose bytes do not hash to its CID.
var ErrBadBlockHash = errors.New("block does not match its cid")

// MaxCARSection caps one CAR section (CID plus block). The largest builtin
// actor module is a few MiB; 32 MiB leaves room without letting a corrupt
// length field allocate without bound.
const MaxCARSection = 32 << 20

// LoadCAR reads a CAR (v1, or v2 wrapping v1) from r, checks every block's
// bytes against its CID (rehashing with the CID's own multihash function;
// a mismatch is ErrBadBlockHash), passes each block to put in file order and
// returns the header's roots. Bundles and test vectors load through it.
func LoadCAR(ctx context.Context, r io.Reader, put func(blockformat.Block) error) ([]cid.Cid, error) {
	br, err := carv2.NewBlockReader(r,
		carv2.WithTrustedCAR(true), // verified below, with a typed error
		carv2.MaxAllowedSectionSize(MaxCARSection))
	if err != nil {
		return nil, fmt.Errorf("car: reading header: %w", err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		blk, err := br.Next()
		if err == io.EOF {
			return br.Roots, nil
		}
		if err != nil {
			return nil, fmt.Errorf("car: reading block: %w", err)
		}
		c := blk.Cid()
		sum, err := c.Prefix().Sum(blk.RawData())
		if err != nil || !sum.Equals(c) {
			return nil, fmt.Errorf("car: %w: %s", ErrBadBlockHash, c)
		}
		if err := put(blk); err != nil {
			return nil, err
		}
	}
}

// LoadCARToDatastore loads a CAR straight into ds (keyed by DsKey) in one
// batch: the way to seed the base store under a Buffered.
func LoadCARToDatastore(ctx context.Context, r io.Reader, ds datastore.Batching) ([]cid.Cid, error) {
	batch, err := ds.Batch(ctx)
	if err != nil {
		return nil, err
	}
	roots, err := LoadCAR(ctx, r, func(b blockformat.Block) error {
		return batch.Put(ctx, DsKey(b.Cid()), b.RawData())
	})
	if err != nil {
		return nil, err
	}
	return roots, batch.Commit(ctx)
}
