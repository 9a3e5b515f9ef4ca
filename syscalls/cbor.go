package syscalls

import (
	"bytes"
	"fmt"
	"io"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/proof"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/kernel/errno"
)

// CBOR arguments (fvm-abi.md §1.4 "Read CBOR"). The reference decodes with
// serde_ipld_dagcbor's from_slice; we decode with the go-state-types
// cbor-gen decoders. Either way: a decoding failure, trailing bytes, or a
// panic in the decoder is IllegalArgument. The decoded values own their
// bytes (cbor-gen copies), so the kernel may keep them.

// decodeCBOR decodes all of b into v.
func decodeCBOR(b []byte, v cbg.CBORUnmarshaler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errno.New(errno.IllegalArgument, "panic when decoding cbor from actor: %v", r)
		}
	}()
	r := bytes.NewReader(b)
	if err := v.UnmarshalCBOR(r); err != nil {
		return errno.New(errno.IllegalArgument, "invalid cbor: %v", err)
	}
	if r.Len() != 0 {
		return errno.New(errno.IllegalArgument, "trailing data after cbor value")
	}
	return nil
}

// readCBOR is slice then decodeCBOR.
func (inv *Invocation) readCBOR(off, n uint32, v cbg.CBORUnmarshaler) error {
	b, err := inv.slice(off, n)
	if err != nil {
		return err
	}
	return decodeCBOR(b, v)
}

// cborList decodes a CBOR array of T (the reference's Vec<T>).
type cborList[T any, P interface {
	*T
	cbg.CBORUnmarshaler
}] []T

func (l *cborList[T, P]) UnmarshalCBOR(r0 io.Reader) error {
	cr := cbg.NewCborReader(r0)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray {
		return fmt.Errorf("expected an array, got major type %d", maj)
	}
	// Every element takes at least one byte, so the input bounds a sane
	// preallocation however large the header claims to be.
	out := make([]T, 0, min(n, 1024))
	for i := uint64(0); i < n; i++ {
		var v T
		if err := P(&v).UnmarshalCBOR(cr); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

type (
	pieceInfos      = cborList[abi.PieceInfo, *abi.PieceInfo]
	sealVerifyInfos = cborList[proof.SealVerifyInfo, *proof.SealVerifyInfo]
)

type decodable = cbg.CBORUnmarshaler
