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
// the reference's traversal for the mode (fvm-abi.md §4.3, fvm-abi-next.md
// §4.7). For each CID reached:
//
//   - V2 (copy_rec of fvm@v2.12.1): raw 0x55 or DAG-CBOR 0x71 with a 32-byte
//     blake2b-256 hash is written if buffered, a buffered DAG-CBOR block
//     scanned with codecs.ScanLinks and its links followed; raw with an
//     identity hash is ignored; DAG-CBOR with an identity hash has its inline
//     bytes scanned; codecs 0xf101/0xf102 (commitments) are ignored whatever
//     the hash; anything else, CBOR 0x51 included, fails the flush.
//   - V3 (take_reachable, rewritten in 3.6.0; fvm@v3.14.1 = fvm@v4.8.2):
//     commitments are ignored; any codec but raw, CBOR and DAG-CBOR fails;
//     the hash must be blake2b-256/32 or identity, else the flush fails; an
//     identity CID is scanned (codecs.ScanFlushLinks) if DAG-CBOR and skipped
//     otherwise; a buffered blake2b CID is written, scanned if DAG-CBOR.
//
// In both a CID that is not buffered is assumed to be in the datastore
// already and is not followed, and a block that fails the scan fails the
// flush. Nothing is written unless the whole traversal succeeds; then all
// blocks go into one datastore batch. Afterwards V2 clears the write buffer;
// V3 takes out only the blocks it wrote (each block is written once). Where
// the reference drains V3's buffer even when the flush then fails, gofvm
// leaves it as it was: a failed flush is a node error either way.
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
	// Children before parents, as v2 orders its write-back (one batch
	// either way).
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
	} else {
		for _, c := range order {
			delete(b.buf, c)
		}
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
	scan, step := codecs.ScanLinks, b.stepV2
	if b.mode != V2 {
		scan, step = codecs.ScanFlushLinks, b.stepV3
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		info, err := codecs.Inspect(c)
		if err != nil {
			return nil, &FlushError{Cid: c, Reason: "unreadable cid", Err: err}
		}
		write, inline, err := step(c, info)
		if err != nil {
			return nil, err
		}
		if inline {
			if err := scan([]byte(info.Digest), push); err != nil {
				return nil, &FlushError{Cid: c, Reason: "scanning inline block", Err: err}
			}
			continue
		}
		if !write {
			continue
		}
		data, ok := b.buf[c]
		if !ok {
			continue // assumed already in the datastore
		}
		if _, ok := seen[c]; ok {
			continue
		}
		seen[c] = struct{}{}
		if info.Codec == codecs.DagCBOR {
			if err := scan(data, push); err != nil {
				return nil, &FlushError{Cid: c, Reason: "scanning block", Err: err}
			}
		}
		order = append(order, c)
	}
	return order, nil
}

// stepV2 classifies a CID as 2.12.1's copy_rec does: write (if buffered),
// scan its inline bytes, skip, or fail.
func (b *Buffered) stepV2(c cid.Cid, info codecs.CidInfo) (write, inline bool, err error) {
	switch {
	case (info.Codec == codecs.Raw || info.Codec == codecs.DagCBOR) &&
		info.HashCode == codecs.Blake2b256 && len(info.Digest) == codecs.Blake2b256Len:
		return true, false, nil
	case info.Codec == codecs.Raw && info.HashCode == codecs.Identity:
		return false, false, nil
	case info.Codec == codecs.DagCBOR && info.HashCode == codecs.Identity:
		return false, true, nil
	case info.Codec == codecs.FilCommitmentUnsealed || info.Codec == codecs.FilCommitmentSealed:
		return false, false, nil
	}
	return false, false, &FlushError{Cid: c, Reason: fmt.Sprintf(
		"unexpected codec (%#x), hash (%#x), or length (%d)", info.Codec, info.HashCode, len(info.Digest))}
}

// stepV3 classifies a CID as 3.6.0's take_reachable does: the codec first,
// then the hash.
func (b *Buffered) stepV3(c cid.Cid, info codecs.CidInfo) (write, inline bool, err error) {
	switch info.Codec {
	case codecs.FilCommitmentUnsealed, codecs.FilCommitmentSealed:
		return false, false, nil
	case codecs.Raw, codecs.CBOR, codecs.DagCBOR:
	default:
		return false, false, &FlushError{Cid: c, Reason: fmt.Sprintf("unexpected codec (%#x)", info.Codec)}
	}
	switch {
	case info.HashCode == codecs.Identity:
		return false, info.Codec == codecs.DagCBOR, nil
	case info.HashCode == codecs.Blake2b256 && len(info.Digest) == codecs.Blake2b256Len:
		return true, false, nil
	}
	return false, false, &FlushError{Cid: c, Reason: fmt.Sprintf(
		"unexpected multihash (code %#x, length %d)", info.HashCode, len(info.Digest))}
}
