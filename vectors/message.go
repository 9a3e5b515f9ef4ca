package vectors

import (
	"bytes"
	"fmt"
	"io"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// Message is an unsigned Filecoin message as the vectors carry it: the CBOR
// 10-tuple [version, to, from, nonce, value, gas_limit, gas_fee_cap,
// gas_premium, method, params] (fvm-abi.md §8.8). Version is carried but
// ignored by the FVM.
type Message struct {
	Version    uint64
	To         address.Address
	From       address.Address
	Nonce      uint64
	Value      big.Int
	GasLimit   int64
	GasFeeCap  big.Int
	GasPremium big.Int
	Method     uint64
	Params     []byte
}

// secpSignatureOverhead is what a secp256k1 signature adds to a signed
// message on chain: a 65-byte signature, 1 type byte and 3 bytes of CBOR
// framing. ref-fvm's conformance runner adds exactly this (release/v3
// testing/conformance/src/driver.rs, SECP_SIG_LEN + 4); conformance.md §1.5.
const secpSignatureOverhead = 65 + 4

// ChainLength is the message length the executor charges inclusion gas on
// (fvm-abi.md §7.1 step 2): the signed length for secp senders, the unsigned
// length otherwise. unsignedLen is the length of the vector's message bytes.
func (m *Message) ChainLength(unsignedLen int) int {
	if m.From.Protocol() == address.SECP256K1 {
		return unsignedLen + secpSignatureOverhead
	}
	return unsignedLen
}

// DecodeMessage decodes the CBOR bytes of one apply-message. Trailing bytes
// are an error, as they are for ref-fvm's strict decoder.
func DecodeMessage(b []byte) (*Message, error) {
	var m Message
	r := bytes.NewReader(b)
	if err := m.UnmarshalCBOR(r); err != nil {
		return nil, fmt.Errorf("decoding message: %w", err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("decoding message: %d trailing bytes", r.Len())
	}
	return &m, nil
}

// MarshalCBOR writes the message as the CBOR 10-tuple.
func (m *Message) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, 10); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, m.Version); err != nil {
		return err
	}
	if err := m.To.MarshalCBOR(cw); err != nil {
		return err
	}
	if err := m.From.MarshalCBOR(cw); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, m.Nonce); err != nil {
		return err
	}
	if err := m.Value.MarshalCBOR(cw); err != nil {
		return err
	}
	if m.GasLimit >= 0 {
		if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(m.GasLimit)); err != nil {
			return err
		}
	} else if err := cw.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-m.GasLimit-1)); err != nil {
		return err
	}
	if err := m.GasFeeCap.MarshalCBOR(cw); err != nil {
		return err
	}
	if err := m.GasPremium.MarshalCBOR(cw); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, m.Method); err != nil {
		return err
	}
	if len(m.Params) > cbg.ByteArrayMaxLen {
		return fmt.Errorf("params too long: %d bytes", len(m.Params))
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(m.Params))); err != nil {
		return err
	}
	_, err := cw.Write(m.Params)
	return err
}

// UnmarshalCBOR reads the CBOR 10-tuple.
func (m *Message) UnmarshalCBOR(r io.Reader) error {
	*m = Message{}
	cr := cbg.NewCborReader(r)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray {
		return fmt.Errorf("message is not a CBOR array (major type %d)", maj)
	}
	if n != 10 {
		return fmt.Errorf("message has %d fields, want 10", n)
	}
	if m.Version, err = readUint(cr, "version"); err != nil {
		return err
	}
	if err := m.To.UnmarshalCBOR(cr); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	if err := m.From.UnmarshalCBOR(cr); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if m.Nonce, err = readUint(cr, "nonce"); err != nil {
		return err
	}
	if err := m.Value.UnmarshalCBOR(cr); err != nil {
		return fmt.Errorf("value: %w", err)
	}
	if m.GasLimit, err = readInt64(cr, "gas_limit"); err != nil {
		return err
	}
	if err := m.GasFeeCap.UnmarshalCBOR(cr); err != nil {
		return fmt.Errorf("gas_fee_cap: %w", err)
	}
	if err := m.GasPremium.UnmarshalCBOR(cr); err != nil {
		return fmt.Errorf("gas_premium: %w", err)
	}
	if m.Method, err = readUint(cr, "method"); err != nil {
		return err
	}
	maj, n, err = cr.ReadHeader()
	if err != nil {
		return fmt.Errorf("params: %w", err)
	}
	if maj != cbg.MajByteString {
		return fmt.Errorf("params is not a byte string (major type %d)", maj)
	}
	if n > cbg.ByteArrayMaxLen {
		return fmt.Errorf("params too long: %d bytes", n)
	}
	if n > 0 {
		m.Params = make([]byte, n)
		if _, err := io.ReadFull(cr, m.Params); err != nil {
			return fmt.Errorf("params: %w", err)
		}
	}
	return nil
}

func readUint(cr *cbg.CborReader, field string) (uint64, error) {
	maj, v, err := cr.ReadHeader()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	if maj != cbg.MajUnsignedInt {
		return 0, fmt.Errorf("%s is not an unsigned integer (major type %d)", field, maj)
	}
	return v, nil
}

func readInt64(cr *cbg.CborReader, field string) (int64, error) {
	maj, v, err := cr.ReadHeader()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	switch maj {
	case cbg.MajUnsignedInt:
		if v > 1<<63-1 {
			return 0, fmt.Errorf("%s overflows int64", field)
		}
		return int64(v), nil
	case cbg.MajNegativeInt:
		if v > 1<<63-1 {
			return 0, fmt.Errorf("%s overflows int64", field)
		}
		return -1 - int64(v), nil
	default:
		return 0, fmt.Errorf("%s is not an integer (major type %d)", field, maj)
	}
}
