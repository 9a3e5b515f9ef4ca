package vectors

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"math/bits"

	"github.com/filecoin-project/go-address"
	"github.com/ipfs/go-cid"
	format "github.com/ipfs/go-ipld-format"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/datamodel"
	cidlink "github.com/ipld/go-ipld-prime/linking/cid"
	"github.com/ipld/go-ipld-prime/node/basicnode"
)

// This file reads state trees generically and tolerantly: the vector CARs
// hold only the part of the state the message touched (conformance.md §1.6),
// so a missing node is an expected answer ("not in the CAR"), not an error.
// Everything is decoded as plain IPLD data so that no kernel type is needed
// to explain a mismatch.

// errMissing marks a block that is not in the store.
var errMissing = errors.New("block not in the store")

// actorsHAMTBitWidth is the actors HAMT's bit width (fvm-abi.md §8.3).
const actorsHAMTBitWidth = 5

// dagCBORCodec is the multicodec of DAG-CBOR.
const dagCBORCodec = 0x71

// maxNodeLoads bounds the blocks one walk decodes. A real vector CAR holds
// about 112 blocks (conformance.md §1.4); the bound is there because a
// hostile CAR can share subtrees (a DAG, not a tree) and make a naive walk
// exponential.
const maxNodeLoads = 1 << 16

// errWalkBudget ends a walk that decoded maxNodeLoads blocks.
var errWalkBudget = fmt.Errorf("state walk stopped after decoding %d blocks", maxNodeLoads)

// treeReader reads IPLD nodes out of a Blockstore.
type treeReader struct {
	ctx   context.Context
	bs    Blockstore
	loads *int // blocks decoded so far by this walk
}

func newTreeReader(ctx context.Context, bs Blockstore) treeReader {
	return treeReader{ctx: ctx, bs: bs, loads: new(int)}
}

// raw returns the block's bytes, or errMissing.
func (t treeReader) raw(c cid.Cid) ([]byte, error) {
	b, err := t.bs.Get(t.ctx, c)
	if err != nil {
		if format.IsNotFound(err) {
			return nil, fmt.Errorf("%s: %w", c, errMissing)
		}
		return nil, err
	}
	return b.RawData(), nil
}

// node decodes a DAG-CBOR block into a generic node.
func (t treeReader) node(c cid.Cid) (datamodel.Node, error) {
	if *t.loads++; *t.loads > maxNodeLoads {
		return nil, errWalkBudget
	}
	if err := t.ctx.Err(); err != nil {
		return nil, err
	}
	data, err := t.raw(c)
	if err != nil {
		return nil, err
	}
	if c.Prefix().Codec != dagCBORCodec && c.Prefix().Codec != 0x51 {
		return nil, fmt.Errorf("%s: codec 0x%x is not CBOR", c, c.Prefix().Codec)
	}
	return decodeCBOR(data)
}

func decodeCBOR(data []byte) (datamodel.Node, error) {
	nb := basicnode.Prototype.Any.NewBuilder()
	opts := dagcbor.DecodeOptions{AllowLinks: true, RelaxedDecode: true}
	if err := opts.Decode(nb, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return nb.Build(), nil
}

// stateRoot is the decoded StateRoot (fvm-abi.md §8.2). Version 0 state
// trees have no wrapper: the root is the actors HAMT itself.
type stateRoot struct {
	Version uint64
	Actors  cid.Cid
	Info    cid.Cid
}

func (t treeReader) stateRoot(root cid.Cid) (*stateRoot, error) {
	n, err := t.node(root)
	if err != nil {
		return nil, err
	}
	if n.Kind() == datamodel.Kind_List && n.Length() == 3 {
		first, _ := n.LookupByIndex(0)
		if first.Kind() == datamodel.Kind_Int {
			v, _ := first.AsInt()
			actors, err1 := linkAt(n, 1)
			info, err2 := linkAt(n, 2)
			if err1 == nil && err2 == nil && v >= 0 {
				return &stateRoot{Version: uint64(v), Actors: actors, Info: info}, nil
			}
		}
	}
	if n.Kind() == datamodel.Kind_List && n.Length() == 2 {
		return &stateRoot{Version: 0, Actors: root}, nil // a bare HAMT node
	}
	return nil, fmt.Errorf("state root %s is neither [version, actors, info] nor a HAMT node", root)
}

// actorRecord is one actors-HAMT value (fvm-abi.md §8.4): 4 fields in
// StateRoot v4 and below, 5 (with the delegated address) from v5.
type actorRecord struct {
	Code      cid.Cid
	Head      cid.Cid
	Nonce     uint64
	Balance   *big.Int
	Delegated *address.Address // nil when absent or null
	Raw       datamodel.Node
}

func decodeActor(n datamodel.Node) (*actorRecord, error) {
	if n.Kind() != datamodel.Kind_List || (n.Length() != 4 && n.Length() != 5) {
		return nil, fmt.Errorf("actor record is not a 4- or 5-tuple")
	}
	var a actorRecord
	var err error
	a.Raw = n
	if a.Code, err = linkAt(n, 0); err != nil {
		return nil, fmt.Errorf("actor code: %w", err)
	}
	if a.Head, err = linkAt(n, 1); err != nil {
		return nil, fmt.Errorf("actor head: %w", err)
	}
	nonce, _ := n.LookupByIndex(2)
	if v, err := nonce.AsInt(); err != nil || v < 0 {
		return nil, fmt.Errorf("actor nonce is not an unsigned integer")
	} else {
		a.Nonce = uint64(v)
	}
	bal, _ := n.LookupByIndex(3)
	bb, err := bal.AsBytes()
	if err != nil {
		return nil, fmt.Errorf("actor balance is not bytes")
	}
	if a.Balance, err = decodeBigInt(bb); err != nil {
		return nil, fmt.Errorf("actor balance: %w", err)
	}
	if n.Length() == 5 {
		d, _ := n.LookupByIndex(4)
		if !d.IsNull() {
			db, err := d.AsBytes()
			if err != nil {
				return nil, fmt.Errorf("actor delegated address is not bytes")
			}
			addr, err := address.NewFromBytes(db)
			if err != nil {
				return nil, fmt.Errorf("actor delegated address: %w", err)
			}
			a.Delegated = &addr
		}
	}
	return &a, nil
}

// decodeBigInt reads the FVM BigInt bytes: empty = 0, else a sign byte
// (0 positive, 1 negative) and the big-endian magnitude (fvm-abi.md §8.4).
func decodeBigInt(b []byte) (*big.Int, error) {
	if len(b) == 0 {
		return new(big.Int), nil
	}
	v := new(big.Int).SetBytes(b[1:])
	switch b[0] {
	case 0:
		return v, nil
	case 1:
		return v.Neg(v), nil
	}
	return nil, fmt.Errorf("bad sign byte 0x%02x", b[0])
}

func linkAt(n datamodel.Node, i int64) (cid.Cid, error) {
	e, err := n.LookupByIndex(i)
	if err != nil {
		return cid.Undef, err
	}
	l, err := e.AsLink()
	if err != nil {
		return cid.Undef, err
	}
	cl, ok := l.(cidlink.Link)
	if !ok {
		return cid.Undef, fmt.Errorf("link is not a CID")
	}
	return cl.Cid, nil
}

// hamtNode is one decoded HAMT node: [bitfield bytes, pointers].
type hamtNode struct {
	bitfield *big.Int
	pointers []datamodel.Node
}

func (t treeReader) hamtNode(c cid.Cid) (*hamtNode, error) {
	n, err := t.node(c)
	if err != nil {
		return nil, err
	}
	return parseHAMTNode(n)
}

func parseHAMTNode(n datamodel.Node) (*hamtNode, error) {
	if n.Kind() != datamodel.Kind_List || n.Length() != 2 {
		return nil, errors.New("HAMT node is not [bitfield, pointers]")
	}
	bf, _ := n.LookupByIndex(0)
	bfb, err := bf.AsBytes()
	if err != nil {
		return nil, errors.New("HAMT bitfield is not bytes")
	}
	ptrs, _ := n.LookupByIndex(1)
	if ptrs.Kind() != datamodel.Kind_List {
		return nil, errors.New("HAMT pointers is not a list")
	}
	h := &hamtNode{bitfield: new(big.Int).SetBytes(bfb)}
	it := ptrs.ListIterator()
	for !it.Done() {
		_, p, err := it.Next()
		if err != nil {
			return nil, err
		}
		h.pointers = append(h.pointers, p)
	}
	set := 0
	for _, w := range h.bitfield.Bits() {
		set += bits.OnesCount(uint(w))
	}
	if set != len(h.pointers) {
		return nil, fmt.Errorf("HAMT bitfield has %d bits set but %d pointers", set, len(h.pointers))
	}
	return h, nil
}

// slot returns the pointer for index idx (nil when the bit is clear).
func (h *hamtNode) slot(idx int) datamodel.Node {
	if h.bitfield.Bit(idx) == 0 {
		return nil
	}
	pos := 0
	for i := 0; i < idx; i++ {
		pos += int(h.bitfield.Bit(i))
	}
	return h.pointers[pos]
}

// hamtKV is one key/value pair of a HAMT bucket.
type hamtKV struct {
	Key   []byte
	Value datamodel.Node
}

// bucket decodes a pointer that is an inline bucket [[key, value], ...].
func bucket(p datamodel.Node) ([]hamtKV, error) {
	var out []hamtKV
	it := p.ListIterator()
	for !it.Done() {
		_, kv, err := it.Next()
		if err != nil {
			return nil, err
		}
		if kv.Kind() != datamodel.Kind_List || kv.Length() != 2 {
			return nil, errors.New("HAMT bucket entry is not [key, value]")
		}
		k, _ := kv.LookupByIndex(0)
		kb, err := k.AsBytes()
		if err != nil {
			return nil, errors.New("HAMT key is not bytes")
		}
		v, _ := kv.LookupByIndex(1)
		out = append(out, hamtKV{Key: kb, Value: v})
	}
	return out, nil
}

// hashIndex extracts the depth-th bitWidth-bit index of the key's SHA-256,
// most significant bit first, as go-hamt-ipld's hashBits does.
func hashIndex(hash []byte, depth, bitWidth int) (int, bool) {
	start := depth * bitWidth
	if start+bitWidth > len(hash)*8 {
		return 0, false
	}
	idx := 0
	for i := start; i < start+bitWidth; i++ {
		idx = idx<<1 | int(hash[i/8]>>(7-uint(i%8))&1)
	}
	return idx, true
}

// hamtFind looks a key up. found=false with err=nil means the key is
// provably absent; an error wrapping errMissing means the path to it is not
// in the store.
func (t treeReader) hamtFind(root cid.Cid, key []byte) (datamodel.Node, bool, error) {
	hash := sha256.Sum256(key)
	c := root
	for depth := 0; ; depth++ {
		h, err := t.hamtNode(c)
		if err != nil {
			return nil, false, err
		}
		idx, ok := hashIndex(hash[:], depth, actorsHAMTBitWidth)
		if !ok {
			return nil, false, errors.New("HAMT deeper than the hash")
		}
		p := h.slot(idx)
		if p == nil {
			return nil, false, nil
		}
		if p.Kind() == datamodel.Kind_Link {
			l, _ := p.AsLink()
			cl, ok := l.(cidlink.Link)
			if !ok {
				return nil, false, errors.New("HAMT link is not a CID")
			}
			c = cl.Cid
			continue
		}
		kvs, err := bucket(p)
		if err != nil {
			return nil, false, err
		}
		for _, kv := range kvs {
			if bytes.Equal(kv.Key, key) {
				return kv.Value, true, nil
			}
		}
		return nil, false, nil
	}
}

// hamtCollect gathers every entry reachable from pointer p (a link or a
// bucket), skipping subtrees that are not in the store and counting them.
func (t treeReader) hamtCollect(p datamodel.Node, out map[string]datamodel.Node, depth int) (missing int, err error) {
	if depth > 256/actorsHAMTBitWidth+1 {
		return 0, errors.New("HAMT deeper than the hash")
	}
	if p.Kind() != datamodel.Kind_Link {
		kvs, err := bucket(p)
		if err != nil {
			return 0, err
		}
		for _, kv := range kvs {
			out[string(kv.Key)] = kv.Value
		}
		return 0, nil
	}
	l, _ := p.AsLink()
	cl, ok := l.(cidlink.Link)
	if !ok {
		return 0, errors.New("HAMT link is not a CID")
	}
	h, err := t.hamtNode(cl.Cid)
	if errors.Is(err, errMissing) {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	for _, child := range h.pointers {
		m, err := t.hamtCollect(child, out, depth+1)
		if err != nil {
			return missing, err
		}
		missing += m
	}
	return missing, nil
}

// linkNode makes a link node for a CID, so a root can be walked as a pointer.
func linkNode(c cid.Cid) datamodel.Node {
	return basicnode.NewLink(cidlink.Link{Cid: c})
}

// idAddressKey is the actors-HAMT key of an actor id (fvm-abi.md §8.3).
func idAddressKey(id uint64) []byte {
	a, _ := address.NewIDAddress(id)
	return a.Bytes()
}
