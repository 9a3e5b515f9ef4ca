// Package amt0 writes and reads the legacy (v0) AMT the chain keeps receipts
// and message lists in: bit width 3 (8 slots, a one-byte bitmap), root
// [height, count, node], node [bitmap bytes, links, values] (chain.md §1.11,
// trap 4 of §1.18). It is not the v3+ AMT of go-amt-ipld/v4, whose root
// carries the bit width; the nodes are the same shape.
package amt0

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
)

const (
	width     = 8
	maxHeight = 15 // 8^16 = 2^48 slots, the format's limit
	// maxCount bounds what Read accepts from an untrusted root.
	maxCount = 1 << 24
)

// Store is where nodes go and come from.
type Store interface {
	Get(ctx context.Context, c cid.Cid) (blocks.Block, error)
	Put(ctx context.Context, b blocks.Block) error
}

// Build stores an AMT holding values[i] (each one CBOR item) at index i and
// returns its root's CID. Values are written as they are.
func Build(ctx context.Context, s Store, values [][]byte) (cid.Cid, error) {
	height := 0
	for capacity := width; capacity < len(values); capacity *= width {
		height++
	}
	node, err := buildNode(ctx, s, values, height)
	if err != nil {
		return cid.Undef, err
	}
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 3)
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(height))
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(len(values)))
	buf.Write(node)
	return put(ctx, s, buf.Bytes())
}

// buildNode encodes the node covering values (at most 8^(height+1) of them,
// starting at its first slot) and stores its children.
func buildNode(ctx context.Context, s Store, values [][]byte, height int) ([]byte, error) {
	var bmap byte
	var links []cid.Cid
	var vals [][]byte
	if height == 0 {
		for i, v := range values {
			bmap |= 1 << uint(i)
			vals = append(vals, v)
		}
	} else {
		span := 1
		for i := 0; i < height; i++ {
			span *= width
		}
		for i := 0; i*span < len(values); i++ {
			end := min((i+1)*span, len(values))
			child, err := buildNode(ctx, s, values[i*span:end], height-1)
			if err != nil {
				return nil, err
			}
			c, err := put(ctx, s, child)
			if err != nil {
				return nil, err
			}
			bmap |= 1 << uint(i)
			links = append(links, c)
		}
	}
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 3)
	_ = w.WriteMajorTypeHeader(cbg.MajByteString, 1)
	buf.WriteByte(bmap)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(links)))
	for _, l := range links {
		if err := cbg.WriteCid(w, l); err != nil {
			return nil, err
		}
	}
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(vals)))
	for _, v := range vals {
		buf.Write(v)
	}
	return buf.Bytes(), nil
}

func put(ctx context.Context, s Store, data []byte) (cid.Cid, error) {
	c, err := abi.CidBuilder.Sum(data)
	if err != nil {
		return cid.Undef, err
	}
	blk, err := blocks.NewBlockWithCid(data, c)
	if err != nil {
		return cid.Undef, err
	}
	return c, s.Put(ctx, blk)
}

// ErrMalformed is wrapped by every Read failure caused by the AMT's bytes.
var ErrMalformed = errors.New("malformed v0 AMT")

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

// Read returns the AMT's values in index order, with their indexes. Each
// value is one raw CBOR item.
func Read(ctx context.Context, s Store, root cid.Cid) (idx []uint64, values [][]byte, err error) {
	blk, err := s.Get(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	r := cbg.NewCborReader(bytes.NewReader(blk.RawData()))
	if maj, n, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || n != 3 {
		return nil, nil, malformed("root %s is not [height, count, node]", root)
	}
	maj, height, err := r.ReadHeader()
	if err != nil || maj != cbg.MajUnsignedInt || height > maxHeight {
		return nil, nil, malformed("root %s: bad height", root)
	}
	maj, count, err := r.ReadHeader()
	if err != nil || maj != cbg.MajUnsignedInt || count > maxCount {
		return nil, nil, malformed("root %s: bad count", root)
	}
	if err := readNode(ctx, s, r, int(height), 0, &idx, &values); err != nil {
		return nil, nil, err
	}
	if uint64(len(values)) != count {
		return nil, nil, malformed("root %s says %d values, found %d", root, count, len(values))
	}
	return idx, values, nil
}

func readNode(ctx context.Context, s Store, r *cbg.CborReader, height int, offset uint64, idx *[]uint64, values *[][]byte) error {
	if maj, n, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || n != 3 {
		return malformed("node is not [bitmap, links, values]")
	}
	bm, err := cbg.ReadByteArray(r, 1)
	if err != nil || len(bm) != 1 {
		return malformed("node bitmap is not one byte")
	}
	set := bitsSet(bm[0])
	maj, nl, err := r.ReadHeader()
	if err != nil || maj != cbg.MajArray {
		return malformed("node links")
	}
	var links []cid.Cid
	for i := uint64(0); i < nl; i++ {
		c, err := cbg.ReadCid(r)
		if err != nil {
			return malformed("node link: %v", err)
		}
		links = append(links, c)
	}
	maj, nv, err := r.ReadHeader()
	if err != nil || maj != cbg.MajArray {
		return malformed("node values")
	}
	if height == 0 {
		if nl != 0 || int(nv) != len(set) {
			return malformed("leaf with %d links and %d values for %d bits", nl, nv, len(set))
		}
		for _, slot := range set {
			var d cbg.Deferred
			if err := d.UnmarshalCBOR(r); err != nil {
				return malformed("value: %v", err)
			}
			*idx = append(*idx, offset+uint64(slot))
			*values = append(*values, d.Raw)
		}
		return nil
	}
	if nv != 0 || int(nl) != len(set) {
		return malformed("inner node with %d links and %d values for %d bits", nl, nv, len(set))
	}
	span := uint64(1)
	for i := 0; i < height; i++ {
		span *= width
	}
	for i, slot := range set {
		blk, err := s.Get(ctx, links[i])
		if err != nil {
			return err
		}
		cr := cbg.NewCborReader(bytes.NewReader(blk.RawData()))
		if err := readNode(ctx, s, cr, height-1, offset+uint64(slot)*span, idx, values); err != nil {
			return err
		}
	}
	return nil
}

func bitsSet(b byte) []int {
	var out []int
	for i := 0; i < width; i++ {
		if b&(1<<uint(i)) != 0 {
			out = append(out, i)
		}
	}
	return out
}
