package blocks

import (
	"context"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/codecs"
)

// FlushError says which CID or block made a flush fail. Nothing is written
// when a flush fails.
type FlushError struct {
	Cid    cid.Cid
	Reason string
	Err    error
}

func (e *FlushError) Error() string {
	s := fmt.Sprintf("flush: cid %s: %s", e.Cid, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FlushError) Unwrap() error { return e.Err }

// Flush writes to the datastore every buffered block root reaches, following
// the reference's traversal (ref-fvm buffered.rs copy_rec, fvm@v2.12.1 and
// fvm@v3.1.0; fvm-abi.md §4.3). For each CID reached:
//
//   - raw 0x55 or DAG-CBOR 0x71 (and in V3 CBOR 0x51) with a 32-byte
//     blake2b-256 hash: written if buffered; a buffered DAG-CBOR block is
//     scanned with codecs.ScanLinks and its links followed. A CID that is not
//     buffered is assumed to be in the datastore already and not followed;
//   - raw with an identity hash: ignored;
//   - DAG-CBOR with an identity hash: the inline bytes are scanned for links;
//   - codec 0xf101 or 0xf102 (commitments): ignored, whatever the hash;
//   - anything else (including CIDv0 and CBOR in V2): the flush fails.
//
// A block that fails the scan fails the flush. Nothing is written unless the
// whole traversal succeeds; then all blocks go into one datastore batch. In
// V2 the buffer is cleared after a successful write; in V3 it is kept.
//
// Where gofvm differs from the reference, it is in terminating: the walk is
// iterative and visits each CID once, so a buffered block that (against its
// CID) links to itself, or a chain deeper than a native stack, ends instead
// of crashing the process; the set written is the same.
func (b *Buffered) Flush(ctx context.Context, root cid.Cid) error {
	b.mu.Lock()
	defer b.mu.Unlock()

	order, err := b.reach(root)
	if err != nil {
		return err
	}
	batch, err := b.ds.Batch(ctx)
	if err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	// Children before parents, as the reference orders its write-back.
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		if err := batch.Put(ctx, DsKey(c), b.buf[c]); err != nil {
			return fmt.Errorf("flush: writing %s: %w", c, err)
		}
	}
	if err := batch.Commit(ctx); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	if b.mode == V2 {
		b.buf = make(map[cid.Cid][]byte)
	}
	return nil
}

// Reachable lists the buffered blocks root reaches, parents before
// children, without writing anything (the dry run of Flush).
func (b *Buffered) Reachable(root cid.Cid) ([]cid.Cid, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.reach(root)
}

func (b *Buffered) reach(root cid.Cid) ([]cid.Cid, error) {
	var order []cid.Cid
	seen := make(map[cid.Cid]struct{}, len(b.buf))
	stack := []cid.Cid{root}
	push := func(c cid.Cid) error {
		stack = append(stack, c)
		return nil
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		info, err := codecs.Inspect(c)
		if err != nil {
			return nil, &FlushError{Cid: c, Reason: "unreadable cid", Err: err}
		}
		switch {
		case (info.Codec == codecs.Raw || info.Codec == codecs.DagCBOR || (info.Codec == codecs.CBOR && b.mode >= V3)) &&
			info.HashCode == codecs.Blake2b256 && len(info.Digest) == codecs.Blake2b256Len:
			data, ok := b.buf[c]
			if !ok {
				continue // assumed already in the datastore
			}
			if _, ok := seen[c]; ok {
				continue
			}
			seen[c] = struct{}{}
			if info.Codec == codecs.DagCBOR {
				if err := codecs.ScanLinks(data, push); err != nil {
					return nil, &FlushError{Cid: c, Reason: "scanning block", Err: err}
				}
			}
			order = append(order, c)
		case info.Codec == codecs.Raw && info.HashCode == codecs.Identity:
		case info.Codec == codecs.DagCBOR && info.HashCode == codecs.Identity:
			if err := codecs.ScanLinks([]byte(info.Digest), push); err != nil {
				return nil, &FlushError{Cid: c, Reason: "scanning inline block", Err: err}
			}
		case info.Codec == codecs.FilCommitmentUnsealed || info.Codec == codecs.FilCommitmentSealed:
		default:
			return nil, &FlushError{Cid: c, Reason: fmt.Sprintf(
				"unexpected codec (%#x), hash (%#x), or length (%d)", info.Codec, info.HashCode, len(info.Digest))}
		}
	}
	return order, nil
}
