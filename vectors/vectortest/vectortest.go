// Package vectortest builds small test vectors in Go: blocks, state trees
// (actors HAMT, init actor, system actor), fake builtin-actors bundles,
// CARv1 files and vector JSON in the public schema. It is for tests of the
// runner and the fvmcheck command, and for fvmcheck's built-in demo; the
// states it builds are well-formed but no real actor could run on them.
package vectortest

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"sort"

	"github.com/filecoin-project/go-address"
	hamt "github.com/filecoin-project/go-hamt-ipld/v3"
	fbig "github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/test-vectors/schema"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	format "github.com/ipfs/go-ipld-format"
	"github.com/multiformats/go-multihash"
	"github.com/multiformats/go-varint"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// Codecs used by Filecoin state (fvm-abi.md §8).
const (
	DagCBOR = 0x71
	Raw     = 0x55
)

// Builder is an in-memory block set that the helpers write into.
type Builder struct {
	blocks map[cid.Cid][]byte
}

// New returns an empty Builder.
func New() *Builder { return &Builder{blocks: map[cid.Cid][]byte{}} }

// Put stores data under a CIDv1 with codec and blake2b-256.
func (b *Builder) Put(codec uint64, data []byte) cid.Cid {
	c, err := cid.Prefix{Version: 1, Codec: codec, MhType: multihash.BLAKE2B_MIN + 31, MhLength: 32}.Sum(data)
	if err != nil {
		panic(err) // blake2b-256 is always available
	}
	b.blocks[c] = bytes.Clone(data)
	return c
}

// Get returns a block (the Blockstore shape).
func (b *Builder) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	d, ok := b.blocks[c]
	if !ok {
		return nil, format.ErrNotFound{Cid: c}
	}
	return blocks.NewBlockWithCid(d, c)
}

// Raw returns a block's bytes.
func (b *Builder) Raw(c cid.Cid) ([]byte, bool) {
	d, ok := b.blocks[c]
	return d, ok
}

// Delete drops a block (to make a CAR partial, as the real ones are).
func (b *Builder) Delete(c cid.Cid) { delete(b.blocks, c) }

// Len is the number of blocks held.
func (b *Builder) Len() int { return len(b.blocks) }

// CIDs lists every block's CID, sorted by their bytes.
func (b *Builder) CIDs() []cid.Cid {
	out := make([]cid.Cid, 0, len(b.blocks))
	for c := range b.blocks {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].KeyString() < out[j].KeyString() })
	return out
}

// store adapts the Builder to go-ipld-cbor.
type store struct{ b *Builder }

func (s store) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) { return s.b.Get(ctx, c) }
func (s store) Put(_ context.Context, blk blocks.Block) error {
	s.b.blocks[blk.Cid()] = bytes.Clone(blk.RawData())
	return nil
}

func (b *Builder) cborStore() cbor.IpldStore { return cbor.NewCborStore(store{b}) }

// Tuple encodes a DAG-CBOR list of simple values (uint64, int, int64,
// string, []byte, cid.Cid, nil, bool) and stores it.
func (b *Builder) Tuple(fields ...any) cid.Cid {
	var buf bytes.Buffer
	if err := writeTuple(&buf, fields); err != nil {
		panic(err)
	}
	return b.Put(DagCBOR, buf.Bytes())
}

func writeTuple(w io.Writer, fields []any) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, uint64(len(fields))); err != nil {
		return err
	}
	for _, f := range fields {
		var err error
		switch v := f.(type) {
		case nil:
			_, err = cw.Write(cbg.CborNull)
		case bool:
			_, err = cw.Write(cbg.EncodeBool(v))
		case uint64:
			err = cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, v)
		case int:
			err = cbg.CborInt(v).MarshalCBOR(cw)
		case int64:
			err = cbg.CborInt(v).MarshalCBOR(cw)
		case string:
			if err = cw.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(v))); err == nil {
				_, err = cw.Write([]byte(v))
			}
		case []byte:
			err = cbg.WriteByteArray(cw, v)
		case cid.Cid:
			err = cbg.WriteCid(cw, v)
		case []any:
			err = writeTuple(cw, v)
		default:
			return fmt.Errorf("vectortest: cannot encode %T", f)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// EmptyArray stores the empty CBOR array (the StateInfo0 and new-actor
// state block, fvm-abi.md §8.2, §8.4) and returns its CID.
func (b *Builder) EmptyArray() cid.Cid { return b.Put(DagCBOR, []byte{0x80}) }

// Actor is one actor record to put in a state tree.
type Actor struct {
	ID        uint64
	Code      cid.Cid
	Head      cid.Cid
	Nonce     uint64
	Balance   int64
	Delegated *address.Address // StateRoot v5 only
}

type actorRecord struct {
	a       Actor
	version uint64
}

func (r *actorRecord) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	n := uint64(4)
	if r.version >= 5 {
		n = 5
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, n); err != nil {
		return err
	}
	if err := cbg.WriteCid(cw, r.a.Code); err != nil {
		return err
	}
	if err := cbg.WriteCid(cw, r.a.Head); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, r.a.Nonce); err != nil {
		return err
	}
	bal := fbig.NewInt(r.a.Balance)
	if err := bal.MarshalCBOR(cw); err != nil {
		return err
	}
	if n == 5 {
		if r.a.Delegated == nil {
			_, err := cw.Write(cbg.CborNull)
			return err
		}
		return r.a.Delegated.MarshalCBOR(cw)
	}
	return nil
}

func sha256Hash(k []byte) []byte { h := sha256.Sum256(k); return h[:] }

// hamtOptions are the Filecoin HAMT parameters: bit width 5, SHA-256
// (fvm-abi.md §8.3).
var hamtOptions = []hamt.Option{hamt.UseTreeBitWidth(5), hamt.UseHashFunction(sha256Hash)}

// HAMT stores a HAMT of the given entries (key bytes → value) and returns
// its root.
func (b *Builder) HAMT(entries map[string]cbg.CBORMarshaler) (cid.Cid, error) {
	ctx := context.Background()
	cs := b.cborStore()
	n, err := hamt.NewNode(cs, hamtOptions...)
	if err != nil {
		return cid.Undef, err
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := n.Set(ctx, k, entries[k]); err != nil {
			return cid.Undef, err
		}
	}
	if err := n.Flush(ctx); err != nil {
		return cid.Undef, err
	}
	return cs.Put(ctx, n)
}

// StateTree stores the actors HAMT and, for version ≥ 1, the StateRoot
// [version, actors, info] (fvm-abi.md §8.2); version 4 records have 4
// fields, version 5 records 5.
func (b *Builder) StateTree(version uint64, actors []Actor) (cid.Cid, error) {
	entries := map[string]cbg.CBORMarshaler{}
	for _, a := range actors {
		id, _ := address.NewIDAddress(a.ID)
		entries[string(id.Bytes())] = &actorRecord{a: a, version: version}
	}
	root, err := b.HAMT(entries)
	if err != nil || version == 0 {
		return root, err
	}
	return b.Tuple(version, root, b.EmptyArray()), nil
}

// InitState stores the init actor's state [address_map, next_id,
// network_name] (fvm-abi.md §8.5).
func (b *Builder) InitState(addrs map[address.Address]uint64, nextID uint64, network string) (cid.Cid, error) {
	entries := map[string]cbg.CBORMarshaler{}
	for a, id := range addrs {
		entries[string(a.Bytes())] = cbg.CborInt(id)
	}
	m, err := b.HAMT(entries)
	if err != nil {
		return cid.Undef, err
	}
	var buf bytes.Buffer
	cw := cbg.NewCborWriter(&buf)
	_ = cw.WriteMajorTypeHeader(cbg.MajArray, 3)
	_ = cbg.WriteCid(cw, m)
	_ = cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, nextID)
	_ = cw.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(network)))
	_, _ = cw.Write([]byte(network))
	return b.Put(DagCBOR, buf.Bytes()), nil
}

// Bundle is a fake builtin-actors bundle: a manifest root [1, data], the
// data block [[name, code], ...] and one raw code block per actor
// (conformance.md §1.6). The code is not wasm that could run.
type Bundle struct {
	*Builder
	Root  cid.Cid
	Data  cid.Cid
	Codes map[string]cid.Cid
	Names []string
}

// NewBundle builds a bundle; salt makes code CIDs distinct between bundles.
func NewBundle(salt string, names ...string) *Bundle {
	bd := &Bundle{Builder: New(), Codes: map[string]cid.Cid{}, Names: names}
	var buf bytes.Buffer
	cw := cbg.NewCborWriter(&buf)
	_ = cw.WriteMajorTypeHeader(cbg.MajArray, uint64(len(names)))
	for _, n := range names {
		code := bd.Put(Raw, []byte("\x00asm\x01\x00\x00\x00 fake "+salt+" "+n))
		bd.Codes[n] = code
		_ = cw.WriteMajorTypeHeader(cbg.MajArray, 2)
		_ = cw.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(n)))
		_, _ = cw.Write([]byte(n))
		_ = cbg.WriteCid(cw, code)
	}
	bd.Data = bd.Put(DagCBOR, buf.Bytes())
	bd.Root = bd.Tuple(uint64(1), bd.Data)
	return bd
}

// CAR is the bundle as a CARv1 with the manifest root as its only root.
func (bd *Bundle) CAR() []byte { return bd.Builder.CAR(bd.Root) }

// CAR writes every block of the builder as a CARv1 with the given roots,
// blocks in CID order (deterministic bytes).
func (b *Builder) CAR(roots ...cid.Cid) []byte {
	var buf bytes.Buffer
	var hdr bytes.Buffer
	cw := cbg.NewCborWriter(&hdr)
	_ = cw.WriteMajorTypeHeader(cbg.MajMap, 2)
	_ = cw.WriteMajorTypeHeader(cbg.MajTextString, 5)
	_, _ = cw.Write([]byte("roots"))
	_ = cw.WriteMajorTypeHeader(cbg.MajArray, uint64(len(roots)))
	for _, r := range roots {
		_ = cbg.WriteCid(cw, r)
	}
	_ = cw.WriteMajorTypeHeader(cbg.MajTextString, 7)
	_, _ = cw.Write([]byte("version"))
	_ = cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, 1)
	buf.Write(varint.ToUvarint(uint64(hdr.Len())))
	buf.Write(hdr.Bytes())
	for _, c := range b.CIDs() {
		cb := c.Bytes()
		d := b.blocks[c]
		buf.Write(varint.ToUvarint(uint64(len(cb) + len(d))))
		buf.Write(cb)
		buf.Write(d)
	}
	return buf.Bytes()
}

// Gzip compresses data (the vector's `car` field is a gzipped CAR).
func Gzip(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return buf.Bytes()
}

// Receipt is the expected receipt of a vector.
type Receipt struct {
	ExitCode int64
	Return   []byte
	GasUsed  int64
}

// Vector describes one message-class vector to render as JSON.
type Vector struct {
	ID         string
	Epoch      int64
	NV         uint
	BaseFee    *big.Int // nil: field left out
	CircSupply *big.Int // nil: field left out
	Pre, Post  cid.Cid
	CAR        []byte // raw CARv1; JSON gzips it
	Message    []byte // the message CBOR
	Receipt    Receipt
	Randomness schema.Randomness
}

// JSON renders the vector in the public schema
// (github.com/filecoin-project/test-vectors/schema v0.0.7).
func (v *Vector) JSON() []byte {
	tv := schema.TestVector{
		Class:    schema.ClassMessage,
		Selector: schema.Selector{"min_protocol_version": "ohsnap"},
		Meta:     &schema.Metadata{ID: v.ID, Gen: []schema.GenerationData{{Source: "gofvm/vectortest"}}},
		CAR:      Gzip(v.CAR),
		Pre: &schema.Preconditions{
			Variants:   []schema.Variant{{ID: "test", Epoch: v.Epoch, NetworkVersion: v.NV}},
			StateTree:  &schema.StateTree{RootCID: v.Pre},
			BaseFee:    v.BaseFee,
			CircSupply: v.CircSupply,
		},
		ApplyMessages: []schema.Message{{Bytes: v.Message}},
		Post: &schema.Postconditions{
			StateTree: &schema.StateTree{RootCID: v.Post},
			Receipts:  []*schema.Receipt{{ExitCode: v.Receipt.ExitCode, ReturnValue: v.Receipt.Return, GasUsed: v.Receipt.GasUsed}},
		},
		Randomness: v.Randomness,
	}
	out, err := json.MarshalIndent(&tv, "", "  ")
	if err != nil {
		panic(err)
	}
	return out
}
