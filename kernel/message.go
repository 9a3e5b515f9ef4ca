package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// Message is the unsigned message an executor applies: the CBOR 10-tuple
// [version, to, from, nonce, value, gas_limit, gas_fee_cap, gas_premium,
// method, params] (fvm-abi.md §8.8). Version is carried but ignored.
type Message struct {
	Version    uint64
	To         address.Address
	From       address.Address
	Nonce      uint64
	Value      abi.TokenAmount
	GasLimit   int64
	GasFeeCap  abi.TokenAmount
	GasPremium abi.TokenAmount
	Method     abi.MethodNum
	Params     []byte
}

// ErrMessageEncoding is wrapped by every DecodeMessage failure.
var ErrMessageEncoding = errors.New("message encoding")

// DecodeMessage parses the CBOR message; it returns an error (never panics)
// on malformed input or trailing bytes.
func DecodeMessage(b []byte) (m *Message, err error) {
	defer func() {
		if r := recover(); r != nil { // belt and braces: third-party decoders
			m, err = nil, fmt.Errorf("%w: %v", ErrMessageEncoding, r)
		}
	}()
	r := bytes.NewReader(b)
	m = new(Message)
	if err := m.UnmarshalCBOR(r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMessageEncoding, err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMessageEncoding, r.Len())
	}
	return m, nil
}

// Bytes is the CBOR encoding of the message.
func (m *Message) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := m.MarshalCBOR(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func orZero(v abi.TokenAmount) abi.TokenAmount {
	if v.Int == nil {
		return big.Zero()
	}
	return v
}

// MarshalCBOR writes the 10-tuple.
func (m *Message) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 10); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, m.Version); err != nil {
		return err
	}
	if err := m.To.MarshalCBOR(w); err != nil {
		return err
	}
	if err := m.From.MarshalCBOR(w); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, m.Nonce); err != nil {
		return err
	}
	v := orZero(m.Value)
	if err := v.MarshalCBOR(w); err != nil {
		return err
	}
	if m.GasLimit >= 0 {
		if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(m.GasLimit)); err != nil {
			return err
		}
	} else if err := w.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-m.GasLimit-1)); err != nil {
		return err
	}
	fc, gp := orZero(m.GasFeeCap), orZero(m.GasPremium)
	if err := fc.MarshalCBOR(w); err != nil {
		return err
	}
	if err := gp.MarshalCBOR(w); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(m.Method)); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(m.Params))); err != nil {
		return err
	}
	_, err := w.Write(m.Params)
	return err
}

// UnmarshalCBOR reads the 10-tuple.
func (m *Message) UnmarshalCBOR(r0 io.Reader) error {
	r := cbg.NewCborReader(r0)
	maj, n, err := r.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 10 {
		return errors.New("message: expected a 10-element array")
	}
	if m.Version, err = readUint(r, "version"); err != nil {
		return err
	}
	if err := m.To.UnmarshalCBOR(r); err != nil {
		return fmt.Errorf("message to: %w", err)
	}
	if err := m.From.UnmarshalCBOR(r); err != nil {
		return fmt.Errorf("message from: %w", err)
	}
	if m.Nonce, err = readUint(r, "nonce"); err != nil {
		return err
	}
	if err := m.Value.UnmarshalCBOR(r); err != nil {
		return fmt.Errorf("message value: %w", err)
	}
	maj, v, err := r.ReadHeader()
	if err != nil {
		return err
	}
	switch {
	case maj == cbg.MajUnsignedInt && v <= math.MaxInt64:
		m.GasLimit = int64(v)
	case maj == cbg.MajNegativeInt && v <= math.MaxInt64:
		m.GasLimit = -1 - int64(v)
	default:
		return errors.New("message gas_limit: not an i64")
	}
	if err := m.GasFeeCap.UnmarshalCBOR(r); err != nil {
		return fmt.Errorf("message gas_fee_cap: %w", err)
	}
	if err := m.GasPremium.UnmarshalCBOR(r); err != nil {
		return fmt.Errorf("message gas_premium: %w", err)
	}
	meth, err := readUint(r, "method")
	if err != nil {
		return err
	}
	m.Method = abi.MethodNum(meth)
	if m.Params, err = cbg.ReadByteArray(r, cbg.ByteArrayMaxLen); err != nil {
		return fmt.Errorf("message params: %w", err)
	}
	return nil
}

func readUint(r *cbg.CborReader, field string) (uint64, error) {
	maj, v, err := r.ReadHeader()
	if err != nil {
		return 0, err
	}
	if maj != cbg.MajUnsignedInt {
		return 0, fmt.Errorf("message %s: not an unsigned integer", field)
	}
	return v, nil
}
