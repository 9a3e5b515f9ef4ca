// Package vectorout writes the book's messages as test vectors in the public
// schema (filecoin-project/test-vectors schema, class "message"): for each
// explicit message its pre-state CAR, the message, the receipt and the
// post-state root, readable by `fvmcheck run`. Implicit messages (block
// rewards, cron ticks) are not vectors: each vector's pre-state includes
// their effects.
package vectorout

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/filecoin-project/test-vectors/schema"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/codecs"
)

// Meta is the vector's _meta: the schema's fields plus which receipt and
// state fields the book asserted and which it only recorded from gofvm.
type Meta struct {
	schema.Metadata
	// Asserted are the fields the book checked against what the actors
	// define (the exit code of every message; the state effects named in
	// Description are checked on the state, not in the vector).
	Asserted []string `json:"asserted"`
	// Recorded are the fields taken from gofvm's own run: a regression
	// value for gofvm and a reference for other implementations.
	Recorded []string `json:"recorded"`
}

type vector struct {
	schema.TestVector
	Meta *Meta `json:"_meta"`
}

var (
	asserted = []string{"receipt.exit_code"}
	recorded = []string{"receipt.return", "receipt.gas_used", "postconditions.state_tree.root_cid"}
)

// Writer writes vectors under a directory.
type Writer struct {
	Dir string
	// Store holds every state the records name.
	Store *chain.Store
	// Code lists the actor code CIDs, which stay out of the CARs (they come
	// from the bundles given to the runner; conformance.md §1.6).
	Code map[cid.Cid]bool
	// Version is the writer's version string for _meta.gen.
	Version string
}

var unsafe = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// FileName is a record's file name: its index and label made safe.
func FileName(i int, label string) string {
	s := strings.Trim(unsafe.ReplaceAllString(label, "-"), "-")
	if len(s) > 100 {
		s = s[:100]
	}
	return fmt.Sprintf("%03d-%s.json", i+1, s)
}

// WriteAll writes records as dir/nvNN/scenario/NNN-label.json and returns
// the paths.
func (w *Writer) WriteAll(ctx context.Context, scenarioName string, recs []chain.Record) ([]string, error) {
	var paths []string
	for i, r := range recs {
		b, err := w.Encode(ctx, fmt.Sprintf("book/nv%d/%s/%03d", r.NetworkVersion, scenarioName, i+1), r)
		if err != nil {
			return paths, fmt.Errorf("%s: %w", r.Label, err)
		}
		p := filepath.Join(w.Dir, fmt.Sprintf("nv%d", r.NetworkVersion), scenarioName, FileName(i, strings.TrimPrefix(r.Label, scenarioName+"/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return paths, err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Encode makes one vector's JSON.
func (w *Writer) Encode(ctx context.Context, id string, r chain.Record) ([]byte, error) {
	car, err := w.car(ctx, r.PreRoot)
	if err != nil {
		return nil, err
	}
	v := vector{Meta: &Meta{
		Metadata: schema.Metadata{ID: id, Desc: r.Label,
			Comment: "written by gofvm's book (fvmcheck book --out); proofs were not verified; " +
				"block rewards and cron ticks before this message are part of the pre-state",
			Gen: []schema.GenerationData{{Source: "gofvm book", Version: w.Version}}},
		Asserted: asserted, Recorded: recorded,
	}}
	tv := &v.TestVector
	tv.Class = schema.ClassMessage
	tv.CAR = car
	for _, d := range r.Randomness {
		kind := schema.RandomnessChain
		if d.Kind == chain.KindBeacon {
			kind = schema.RandomnessBeacon
		}
		tv.Randomness = append(tv.Randomness, schema.RandomnessMatch{
			On: schema.RandomnessRule{Kind: kind, Epoch: int64(d.Epoch)}, Return: append([]byte(nil), d.Digest[:]...)})
	}
	tv.Pre = &schema.Preconditions{
		Variants:   []schema.Variant{{ID: fmt.Sprintf("nv%d", r.NetworkVersion), Epoch: int64(r.Epoch), NetworkVersion: uint(r.NetworkVersion)}},
		StateTree:  &schema.StateTree{RootCID: r.PreRoot},
		BaseFee:    new(big.Int).Set(r.BaseFee.Int),
		CircSupply: new(big.Int).Set(r.CircSupply.Int),
	}
	tv.ApplyMessages = []schema.Message{{Bytes: r.Message}}
	ret := r.Receipt.Return
	if ret == nil {
		ret = []byte{}
	}
	tv.Post = &schema.Postconditions{
		StateTree: &schema.StateTree{RootCID: r.PostRoot},
		Receipts:  []*schema.Receipt{{ExitCode: int64(r.Receipt.ExitCode), ReturnValue: ret, GasUsed: r.Receipt.GasUsed}},
	}
	return json.MarshalIndent(&v, "", "  ")
}

// car is the gzipped CARv1 of every block reachable from root through
// DAG-CBOR links, in a deterministic order, without actor code.
func (w *Writer) car(ctx context.Context, root cid.Cid) ([]byte, error) {
	seen := map[cid.Cid]bool{}
	var order []cid.Cid
	stack := []cid.Cid{root}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c] || w.Code[c] {
			continue
		}
		seen[c] = true
		// Only DAG-CBOR and raw links name state blocks; identity CIDs
		// inline their data, and commitment CIDs (sealed and unsealed
		// sectors, pieces) name no block at all.
		if p := c.Prefix(); p.MhType == 0 || (p.Codec != cid.DagCBOR && p.Codec != cid.Raw) {
			continue
		}
		blk, err := w.Store.Get(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("state block %s: %w", c, err)
		}
		order = append(order, c)
		if c.Prefix().Codec != cid.DagCBOR {
			continue
		}
		var links []cid.Cid
		if err := codecs.ScanLinks(blk.RawData(), func(l cid.Cid) error {
			links = append(links, l)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("scanning %s: %w", c, err)
		}
		for i := len(links) - 1; i >= 0; i-- {
			stack = append(stack, links[i])
		}
	}
	sort.Slice(order[1:], func(i, j int) bool { return bytes.Compare(order[1+i].Bytes(), order[1+j].Bytes()) < 0 })

	var raw bytes.Buffer
	var hdr bytes.Buffer
	hw := cbg.NewCborWriter(&hdr)
	// CARv1 header {roots: [root], version: 1}: keys in DAG-CBOR order.
	_ = hw.WriteMajorTypeHeader(cbg.MajMap, 2)
	writeText(hw, "roots")
	_ = hw.WriteMajorTypeHeader(cbg.MajArray, 1)
	if err := cbg.WriteCid(hw, root); err != nil {
		return nil, err
	}
	writeText(hw, "version")
	_ = hw.WriteMajorTypeHeader(cbg.MajUnsignedInt, 1)
	raw.Write(binary.AppendUvarint(nil, uint64(hdr.Len())))
	raw.Write(hdr.Bytes())
	for _, c := range order {
		blk, _ := w.Store.Get(ctx, c)
		cb := c.Bytes()
		raw.Write(binary.AppendUvarint(nil, uint64(len(cb)+len(blk.RawData()))))
		raw.Write(cb)
		raw.Write(blk.RawData())
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}

func writeText(w *cbg.CborWriter, s string) {
	_ = w.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(s)))
	_, _ = w.Write([]byte(s))
}
