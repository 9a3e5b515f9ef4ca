package actors

import (
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// StateRoot is the CBOR 3-tuple [version, actors HAMT root, info]
// (fvm-abi.md §8.2): version 4 at nv17, 5 at nv18.
type StateRoot struct {
	Version uint64
	Actors  cid.Cid
	Info    cid.Cid
}

// MarshalCBOR writes the 3-tuple.
func (s *StateRoot) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, 3); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajUnsignedInt, s.Version); err != nil {
		return err
	}
	if err := cbg.WriteCid(cw, s.Actors); err != nil {
		return err
	}
	return cbg.WriteCid(cw, s.Info)
}

// UnmarshalCBOR reads the 3-tuple.
func (s *StateRoot) UnmarshalCBOR(r io.Reader) (err error) {
	defer recoverTo(&err)
	cr := cbg.NewCborReader(r)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 3 {
		return fmt.Errorf("actors: StateRoot must be a 3-array, got major %d length %d", maj, n)
	}
	maj, v, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajUnsignedInt {
		return fmt.Errorf("actors: StateRoot version must be unsigned, got major %d", maj)
	}
	s.Version = v
	if s.Actors, err = cbg.ReadCid(cr); err != nil {
		return fmt.Errorf("actors: StateRoot actors: %w", err)
	}
	if s.Info, err = cbg.ReadCid(cr); err != nil {
		return fmt.Errorf("actors: StateRoot info: %w", err)
	}
	return nil
}

// emptyArray is StateInfo0: the empty CBOR array.
type emptyArray struct{}

func (emptyArray) MarshalCBOR(w io.Writer) error {
	_, err := w.Write([]byte{0x80})
	return err
}

func (*emptyArray) UnmarshalCBOR(r io.Reader) error {
	var b [1]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return err
	}
	if b[0] != 0x80 {
		return fmt.Errorf("actors: want empty array, got %#x", b[0])
	}
	return nil
}
