package types

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// Small CBOR helpers shared by the chain types. Every reader bounds what it
// allocates: the bytes come from an RPC endpoint we do not trust.

const (
	maxBytes = 1 << 20 // byte strings in headers and messages
	maxList  = 1 << 16 // parents, beacon entries, proofs
)

// errShape is wrapped by every decoding failure.
var errShape = errors.New("malformed chain object")

func shapef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errShape, fmt.Sprintf(format, a...))
}

// IsMalformed reports whether err is a decoding failure of a chain object.
func IsMalformed(err error) bool { return errors.Is(err, errShape) }

func writeInt(w *cbg.CborWriter, v int64) error {
	if v >= 0 {
		return w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(v))
	}
	return w.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-v-1))
}

func readInt(r *cbg.CborReader, what string) (int64, error) {
	maj, v, err := r.ReadHeader()
	if err != nil {
		return 0, shapef("%s: %v", what, err)
	}
	switch {
	case maj == cbg.MajUnsignedInt && v <= math.MaxInt64:
		return int64(v), nil
	case maj == cbg.MajNegativeInt && v <= math.MaxInt64:
		return -1 - int64(v), nil
	}
	return 0, shapef("%s: not an int64", what)
}

func readUint(r *cbg.CborReader, what string) (uint64, error) {
	maj, v, err := r.ReadHeader()
	if err != nil {
		return 0, shapef("%s: %v", what, err)
	}
	if maj != cbg.MajUnsignedInt {
		return 0, shapef("%s: not an unsigned integer", what)
	}
	return v, nil
}

func writeBytes(w *cbg.CborWriter, b []byte) error {
	if err := w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(b))); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

func readBytes(r *cbg.CborReader, what string) ([]byte, error) {
	b, err := cbg.ReadByteArray(r, maxBytes)
	if err != nil {
		return nil, shapef("%s: %v", what, err)
	}
	return b, nil
}

func readArrayHeader(r *cbg.CborReader, what string, max uint64) (uint64, error) {
	maj, n, err := r.ReadHeader()
	if err != nil {
		return 0, shapef("%s: %v", what, err)
	}
	if maj != cbg.MajArray {
		return 0, shapef("%s: not an array", what)
	}
	if n > max {
		return 0, shapef("%s: %d elements, at most %d", what, n, max)
	}
	return n, nil
}

func readTuple(r *cbg.CborReader, what string, want uint64) error {
	n, err := readArrayHeader(r, what, want)
	if err != nil {
		return err
	}
	if n != want {
		return shapef("%s: %d fields, want %d", what, n, want)
	}
	return nil
}

// isNull consumes a CBOR null if one is next.
func isNull(r *cbg.CborReader) (bool, error) {
	b, err := r.ReadByte()
	if err != nil {
		return false, shapef("%v", err)
	}
	if b == cbg.CborNull[0] {
		return true, nil
	}
	return false, r.UnreadByte()
}

func readCid(r *cbg.CborReader, what string) (cid.Cid, error) {
	c, err := cbg.ReadCid(r)
	if err != nil {
		return cid.Undef, shapef("%s: %v", what, err)
	}
	return c, nil
}

func readBig(r *cbg.CborReader, what string) (big.Int, error) {
	var v big.Int
	if err := v.UnmarshalCBOR(r); err != nil {
		return big.Int{}, shapef("%s: %v", what, err)
	}
	return v, nil
}

// decodeAll runs dec over b and refuses trailing bytes.
func decodeAll(b []byte, what string, dec func(*cbg.CborReader) error) (err error) {
	defer func() {
		if p := recover(); p != nil { // belt and braces: third-party decoders
			err = shapef("%s: %v", what, p)
		}
	}()
	br := bytes.NewReader(b)
	if err := dec(cbg.NewCborReader(br)); err != nil {
		return err
	}
	if br.Len() != 0 {
		return shapef("%s: %d trailing bytes", what, br.Len())
	}
	return nil
}

func encode(m interface{ MarshalCBOR(io.Writer) error }) ([]byte, error) {
	var buf bytes.Buffer
	if err := m.MarshalCBOR(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
