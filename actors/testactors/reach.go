package testactors

import (
	"encoding/binary"
	"fmt"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// The reach actor (wat/reach.wat, FVM v3 and v4) runs a script of IPLD,
// root and send syscalls from its params, so that FIP-0071's rules can be
// driven at the message level (fvm-abi-next.md §4, §14; fvm-gas-next.md §3,
// §10), and gofvm's nv ≤ 20 strict option beside them. ReachScript builds
// its params; ReachResults reads what it returns.

// Reach script operations; "off" arguments are offsets into the params.
const (
	ReachRoot        = 1  // self.root → CID slot a
	ReachOpenSlot    = 2  // block_open(CID slot a) → block slot b
	ReachOpenAt      = 3  // block_open(CID at off a) → block slot b
	ReachCreate      = 4  // block_create(codec a, off b, length c) → block slot d
	ReachLink        = 5  // block_link(block slot a, blake2b-256) → CID slot b
	ReachSetRootSlot = 6  // set_root(CID slot a)
	ReachSetRootAt   = 7  // set_root(CID at off a)
	ReachSend        = 8  // send(address off a, length b, method c, params slot d, gas limit e, flags f), exit code g
	ReachCodeCid     = 9  // get_actor_code_cid(actor a) → CID slot b
	ReachReturn      = 10 // return block slot a
)

// ReachAny is the "expect" (or expected exit code) that accepts anything;
// ReachNoParams is the params slot of a send without params.
const (
	ReachAny      = 0xffffffff
	ReachNoParams = 0xffffffff
	// ReachReturnSlot is the block slot a send's return block goes to;
	// ReachParamsSlot holds the invocation's params block.
	ReachReturnSlot = 15
	ReachParamsSlot = 14
	// ReachFailBase: a failed expectation exits with ReachFailBase + the
	// instruction's index.
	ReachFailBase = 100
)

// ReachScript is a reach actor's params under construction: a data area
// (addressed by offset) and a list of instructions.
type ReachScript struct {
	data []byte
	ins  []byte
}

// Data appends b to the data area and returns its offset in the params.
func (s *ReachScript) Data(b []byte) uint32 {
	off := uint32(4 + len(s.data))
	s.data = append(s.data, b...)
	return off
}

// Op appends an instruction: op, the error number it must give (ReachAny:
// any), and up to seven arguments.
func (s *ReachScript) Op(op, expect uint32, args ...uint32) *ReachScript {
	if len(args) > 7 {
		panic("testactors: a reach instruction takes at most seven arguments")
	}
	var in [36]byte
	binary.LittleEndian.PutUint32(in[0:], op)
	binary.LittleEndian.PutUint32(in[4:], expect)
	for i, a := range args {
		binary.LittleEndian.PutUint32(in[8+4*i:], a)
	}
	s.ins = append(s.ins, in[:]...)
	return s
}

// Len is the number of instructions.
func (s *ReachScript) Len() int { return len(s.ins) / 36 }

// Params encodes the script as the CBOR array [bytes(data), bytes(script),
// items…]; items are further encoded CBOR items (links, for a DAG-CBOR params
// block). Both byte strings use the two-byte length header the actor reads.
func (s *ReachScript) Params(items ...[]byte) []byte {
	if len(items) > 21 || len(s.data) > 0xffff || len(s.ins) > 0xffff {
		panic("testactors: reach script too large")
	}
	out := []byte{0x82 + byte(len(items)), 0x59, byte(len(s.data) >> 8), byte(len(s.data))}
	out = append(out, s.data...)
	out = append(out, 0x59, byte(len(s.ins)>>8), byte(len(s.ins)))
	out = append(out, s.ins...)
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// ReachResult is what one instruction left: its error number and value.
type ReachResult struct{ Errno, Value uint32 }

// ReachResults decodes the reach actor's return (8 bytes per instruction).
func ReachResults(ret []byte) ([]ReachResult, error) {
	if len(ret)%8 != 0 {
		return nil, fmt.Errorf("testactors: reach return of %d bytes", len(ret))
	}
	out := make([]ReachResult, len(ret)/8)
	for i := range out {
		out[i] = ReachResult{binary.LittleEndian.Uint32(ret[8*i:]), binary.LittleEndian.Uint32(ret[8*i+4:])}
	}
	return out, nil
}

// ReachStateBlocks is Reach2ID's genesis state: S = [A, B] (DAG-CBOR, 87
// bytes) with A the raw block "a" and B the DAG-CBOR block [1].
type ReachStateBlocks struct {
	S, A, B cid.Cid
	SData   []byte
	Blocks  []blocks.Block
}

// ReachState returns Reach2ID's genesis state and its blocks.
func ReachState() ReachStateBlocks {
	mk := func(codec uint64, data []byte) blocks.Block {
		c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
		if err != nil {
			panic(err)
		}
		b, err := blocks.NewBlockWithCid(data, c)
		if err != nil {
			panic(err)
		}
		return b
	}
	a, b := mk(0x55, []byte("a")), mk(0x71, []byte{0x81, 0x01})
	sData := append([]byte{0x82}, LinkBytes(a.Cid())...)
	sData = append(sData, LinkBytes(b.Cid())...)
	s := mk(0x71, sData)
	return ReachStateBlocks{S: s.Cid(), A: a.Cid(), B: b.Cid(), SData: sData, Blocks: []blocks.Block{a, b, s}}
}

// LinkBytes is the DAG-CBOR encoding of a link to c: tag 42 and a byte
// string of 0x00 and the binary CID (43 bytes for a blake2b-256 CIDv1).
func LinkBytes(c cid.Cid) []byte {
	raw := c.Bytes()
	out := []byte{0xd8, 42}
	if n := len(raw) + 1; n < 24 {
		out = append(out, 0x40|byte(n))
	} else {
		out = append(out, 0x58, byte(n))
	}
	return append(append(out, 0), raw...)
}
