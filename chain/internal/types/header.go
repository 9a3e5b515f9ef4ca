// Package types holds the chain objects gofvm reads from a Lotus node: block
// headers, tipsets and their keys, signed messages, MsgMeta and receipts, with
// their DAG-CBOR forms (chain.md §3.6) and Lotus's JSON field names
// (chain.md §3.2).
package types

import (
	"io"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// Ticket is a block's VRF ticket; tipsets order their blocks by the
// blake2b-256 of VRFProof (chain.md §1.3).
type Ticket struct {
	VRFProof []byte
}

// ElectionProof carries how many times the block's miner won the epoch.
type ElectionProof struct {
	WinCount int64
	VRFProof []byte
}

// BeaconEntry is one drand round (chain.md §2.3).
type BeaconEntry struct {
	Round uint64
	Data  []byte
}

// BlockHeader is the 16-tuple of chain.md §3.6, fields in Lotus's order.
type BlockHeader struct {
	Miner                 address.Address
	Ticket                *Ticket
	ElectionProof         *ElectionProof
	BeaconEntries         []BeaconEntry
	WinPoStProof          []proof.PoStProof
	Parents               []cid.Cid
	ParentWeight          big.Int
	Height                abi.ChainEpoch
	ParentStateRoot       cid.Cid
	ParentMessageReceipts cid.Cid
	Messages              cid.Cid
	BLSAggregate          *crypto.Signature
	Timestamp             uint64
	BlockSig              *crypto.Signature
	ForkSignaling         uint64
	ParentBaseFee         abi.TokenAmount
}

// MarshalCBOR writes the 16-tuple.
func (h *BlockHeader) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 16); err != nil {
		return err
	}
	if err := h.Miner.MarshalCBOR(w); err != nil {
		return err
	}
	if h.Ticket == nil {
		if _, err := w.Write(cbg.CborNull); err != nil {
			return err
		}
	} else {
		if err := w.WriteMajorTypeHeader(cbg.MajArray, 1); err != nil {
			return err
		}
		if err := writeBytes(w, h.Ticket.VRFProof); err != nil {
			return err
		}
	}
	if h.ElectionProof == nil {
		if _, err := w.Write(cbg.CborNull); err != nil {
			return err
		}
	} else {
		if err := w.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
			return err
		}
		if err := writeInt(w, h.ElectionProof.WinCount); err != nil {
			return err
		}
		if err := writeBytes(w, h.ElectionProof.VRFProof); err != nil {
			return err
		}
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(h.BeaconEntries))); err != nil {
		return err
	}
	for _, e := range h.BeaconEntries {
		if err := w.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
			return err
		}
		if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, e.Round); err != nil {
			return err
		}
		if err := writeBytes(w, e.Data); err != nil {
			return err
		}
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(h.WinPoStProof))); err != nil {
		return err
	}
	for i := range h.WinPoStProof {
		if err := h.WinPoStProof[i].MarshalCBOR(w); err != nil {
			return err
		}
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(h.Parents))); err != nil {
		return err
	}
	for _, p := range h.Parents {
		if err := cbg.WriteCid(w, p); err != nil {
			return err
		}
	}
	if err := orZero(h.ParentWeight).MarshalCBOR(w); err != nil {
		return err
	}
	if err := writeInt(w, int64(h.Height)); err != nil {
		return err
	}
	for _, c := range []cid.Cid{h.ParentStateRoot, h.ParentMessageReceipts, h.Messages} {
		if err := cbg.WriteCid(w, c); err != nil {
			return err
		}
	}
	if err := h.BLSAggregate.MarshalCBOR(w); err != nil { // nil → null
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, h.Timestamp); err != nil {
		return err
	}
	if err := h.BlockSig.MarshalCBOR(w); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, h.ForkSignaling); err != nil {
		return err
	}
	return orZero(h.ParentBaseFee).MarshalCBOR(w)
}

func orZero(v big.Int) *big.Int {
	if v.Int == nil {
		z := big.Zero()
		return &z
	}
	return &v
}

// UnmarshalCBOR reads the 16-tuple.
func (h *BlockHeader) UnmarshalCBOR(r0 io.Reader) error {
	r := cbg.NewCborReader(r0)
	*h = BlockHeader{}
	if err := readTuple(r, "block header", 16); err != nil {
		return err
	}
	if err := h.Miner.UnmarshalCBOR(r); err != nil {
		return shapef("miner: %v", err)
	}
	if null, err := isNull(r); err != nil {
		return err
	} else if !null {
		if err := readTuple(r, "ticket", 1); err != nil {
			return err
		}
		p, err := readBytes(r, "ticket")
		if err != nil {
			return err
		}
		h.Ticket = &Ticket{VRFProof: p}
	}
	if null, err := isNull(r); err != nil {
		return err
	} else if !null {
		if err := readTuple(r, "election proof", 2); err != nil {
			return err
		}
		wc, err := readInt(r, "win count")
		if err != nil {
			return err
		}
		p, err := readBytes(r, "election proof")
		if err != nil {
			return err
		}
		h.ElectionProof = &ElectionProof{WinCount: wc, VRFProof: p}
	}
	n, err := readArrayHeader(r, "beacon entries", maxList)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		if err := readTuple(r, "beacon entry", 2); err != nil {
			return err
		}
		round, err := readUint(r, "beacon round")
		if err != nil {
			return err
		}
		data, err := readBytes(r, "beacon data")
		if err != nil {
			return err
		}
		h.BeaconEntries = append(h.BeaconEntries, BeaconEntry{Round: round, Data: data})
	}
	if n, err = readArrayHeader(r, "winning PoSt proofs", maxList); err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		var p proof.PoStProof
		if err := p.UnmarshalCBOR(r); err != nil {
			return shapef("winning PoSt proof: %v", err)
		}
		h.WinPoStProof = append(h.WinPoStProof, p)
	}
	if n, err = readArrayHeader(r, "parents", maxList); err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		c, err := readCid(r, "parent")
		if err != nil {
			return err
		}
		h.Parents = append(h.Parents, c)
	}
	if h.ParentWeight, err = readBig(r, "parent weight"); err != nil {
		return err
	}
	height, err := readInt(r, "height")
	if err != nil {
		return err
	}
	h.Height = abi.ChainEpoch(height)
	if h.ParentStateRoot, err = readCid(r, "parent state root"); err != nil {
		return err
	}
	if h.ParentMessageReceipts, err = readCid(r, "parent receipts"); err != nil {
		return err
	}
	if h.Messages, err = readCid(r, "messages"); err != nil {
		return err
	}
	if h.BLSAggregate, err = readSignature(r, "BLS aggregate"); err != nil {
		return err
	}
	if h.Timestamp, err = readUint(r, "timestamp"); err != nil {
		return err
	}
	if h.BlockSig, err = readSignature(r, "block signature"); err != nil {
		return err
	}
	if h.ForkSignaling, err = readUint(r, "fork signaling"); err != nil {
		return err
	}
	h.ParentBaseFee, err = readBig(r, "parent base fee")
	return err
}

func readSignature(r *cbg.CborReader, what string) (*crypto.Signature, error) {
	if null, err := isNull(r); err != nil || null {
		return nil, err
	}
	var s crypto.Signature
	if err := s.UnmarshalCBOR(r); err != nil {
		return nil, shapef("%s: %v", what, err)
	}
	return &s, nil
}

// DecodeBlockHeader parses a header's DAG-CBOR bytes; trailing bytes are an
// error.
func DecodeBlockHeader(b []byte) (*BlockHeader, error) {
	h := new(BlockHeader)
	return h, decodeAll(b, "block header", func(r *cbg.CborReader) error { return h.UnmarshalCBOR(r) })
}

// Bytes is the header's DAG-CBOR encoding.
func (h *BlockHeader) Bytes() ([]byte, error) { return encode(h) }

// Cid is the header's CID: DAG-CBOR, blake2b-256 (chain.md §3.6).
func (h *BlockHeader) Cid() (cid.Cid, error) {
	b, err := h.Bytes()
	if err != nil {
		return cid.Undef, err
	}
	return abi.CidBuilder.Sum(b)
}

// WinCount is the election proof's win count (0 without a proof).
func (h *BlockHeader) WinCount() int64 {
	if h.ElectionProof == nil {
		return 0
	}
	return h.ElectionProof.WinCount
}
