package types

import (
	"fmt"
	"io"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/kernel"
)

// SignedMessage is the on-chain form of a secp256k1 or delegated message:
// the 2-tuple [message, signature bytes] (chain.md §3.6).
type SignedMessage struct {
	Message   kernel.Message
	Signature crypto.Signature
}

// MarshalCBOR writes the 2-tuple.
func (s *SignedMessage) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
		return err
	}
	if err := s.Message.MarshalCBOR(w); err != nil {
		return err
	}
	return s.Signature.MarshalCBOR(w)
}

// DecodeSignedMessage parses [message, signature].
func DecodeSignedMessage(b []byte) (*SignedMessage, error) {
	s := new(SignedMessage)
	return s, decodeAll(b, "signed message", func(r *cbg.CborReader) error {
		if err := readTuple(r, "signed message", 2); err != nil {
			return err
		}
		if err := s.Message.UnmarshalCBOR(r); err != nil {
			return shapef("signed message: %v", err)
		}
		if err := s.Signature.UnmarshalCBOR(r); err != nil {
			return shapef("signature: %v", err)
		}
		return nil
	})
}

// DecodeMessage parses an unsigned message (the BLS list's form).
func DecodeMessage(b []byte) (*kernel.Message, error) {
	m, err := kernel.DecodeMessage(b)
	if err != nil {
		return nil, shapef("message: %v", err)
	}
	return m, nil
}

// ChainMessage is a message as a tipset carries it: the unsigned message,
// its chain CID (the signed CID for secp256k1 and delegated signatures, the
// unsigned CID for BLS; chain.md §1.6), and the length the inclusion gas is
// charged on (the signed length, or the unsigned one for BLS).
type ChainMessage struct {
	Message     *kernel.Message
	Cid         cid.Cid
	ChainLength int
	// Signed is false for messages of the block's BLS list.
	Signed bool
}

// VMMessage makes a ChainMessage a kernel.ChainMessage.
func (m *ChainMessage) VMMessage() *kernel.Message { return m.Message }

// Length is the chain length (kernel.ChainMessage's ChainLength).
func (m *ChainMessage) Length() int { return m.ChainLength }

// BLSChainMessage wraps an unsigned message from a block's BLS list.
func BLSChainMessage(raw []byte) (*ChainMessage, error) {
	m, err := DecodeMessage(raw)
	if err != nil {
		return nil, err
	}
	c, err := abi.CidBuilder.Sum(raw)
	if err != nil {
		return nil, err
	}
	return &ChainMessage{Message: m, Cid: c, ChainLength: len(raw)}, nil
}

// SignedChainMessage wraps a signed message from a block's secp list. A BLS
// signature there is refused: its CID rule would differ (chain.md §1.6).
func SignedChainMessage(raw []byte) (*ChainMessage, error) {
	s, err := DecodeSignedMessage(raw)
	if err != nil {
		return nil, err
	}
	if s.Signature.Type == crypto.SigTypeBLS {
		return nil, shapef("signed message with a BLS signature in the secp list")
	}
	c, err := abi.CidBuilder.Sum(raw)
	if err != nil {
		return nil, err
	}
	m := s.Message
	return &ChainMessage{Message: &m, Cid: c, ChainLength: len(raw), Signed: true}, nil
}

// MsgMeta is a block's message list: the roots of two v0 AMTs of message
// CIDs, BLS first (chain.md §1.17).
type MsgMeta struct {
	BlsMessages   cid.Cid
	SecpkMessages cid.Cid
}

// MarshalCBOR writes the 2-tuple.
func (m *MsgMeta) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
		return err
	}
	if err := cbg.WriteCid(w, m.BlsMessages); err != nil {
		return err
	}
	return cbg.WriteCid(w, m.SecpkMessages)
}

// DecodeMsgMeta parses [bls root, secp root].
func DecodeMsgMeta(b []byte) (*MsgMeta, error) {
	m := new(MsgMeta)
	return m, decodeAll(b, "MsgMeta", func(r *cbg.CborReader) error {
		if err := readTuple(r, "MsgMeta", 2); err != nil {
			return err
		}
		var err error
		if m.BlsMessages, err = readCid(r, "BLS messages"); err != nil {
			return err
		}
		m.SecpkMessages, err = readCid(r, "secp messages")
		return err
	})
}

// DecodeReceipt parses a receipt: the 3-tuple before nv18, the 4-tuple with
// an events root (or null) after; the length decides (chain.md §1.11).
func DecodeReceipt(b []byte) (*kernel.Receipt, error) {
	rc := new(kernel.Receipt)
	return rc, decodeAll(b, "receipt", func(r *cbg.CborReader) error {
		n, err := readArrayHeader(r, "receipt", 4)
		if err != nil {
			return err
		}
		if n != 3 && n != 4 {
			return shapef("receipt: %d fields, want 3 or 4", n)
		}
		code, err := readInt(r, "exit code")
		if err != nil {
			return err
		}
		if code < 0 || code > 1<<31 {
			return shapef("receipt: exit code %d", code)
		}
		rc.ExitCode = exitcode.ExitCode(code)
		if rc.Return, err = readBytes(r, "return"); err != nil {
			return err
		}
		if rc.GasUsed, err = readInt(r, "gas used"); err != nil {
			return err
		}
		if n == 3 {
			return nil
		}
		rc.WithEvents = true
		if null, err := isNull(r); err != nil || null {
			return err
		}
		c, err := readCid(r, "events root")
		if err != nil {
			return err
		}
		rc.EventsRoot = &c
		return nil
	})
}

// ReceiptBytes is the receipt's CBOR (3- or 4-tuple by WithEvents).
func ReceiptBytes(r *kernel.Receipt) ([]byte, error) {
	b, err := encode(r)
	if err != nil {
		return nil, fmt.Errorf("encoding receipt: %w", err)
	}
	return b, nil
}

// DecodeCidValue parses one CBOR CID (an entry of a message list).
func DecodeCidValue(b []byte) (cid.Cid, error) {
	var c cid.Cid
	return c, decodeAll(b, "CID", func(r *cbg.CborReader) error {
		var err error
		c, err = readCid(r, "CID")
		return err
	})
}
