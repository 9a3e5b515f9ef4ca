package kernel

import (
	"io"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
)

func newBlockWithCid(data []byte, c cid.Cid) (blocks.Block, error) {
	return blocks.NewBlockWithCid(data, c)
}

type cborArray struct{ items []cbg.CBORMarshaler }

func (a *cborArray) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, uint64(len(a.items))); err != nil {
		return err
	}
	for _, it := range a.items {
		if err := it.MarshalCBOR(cw); err != nil {
			return err
		}
	}
	return nil
}

type cbgCid struct{ c cid.Cid }

func (c *cbgCid) MarshalCBOR(w io.Writer) error { return cbg.WriteCid(w, c.c) }

type manifestEntryT struct {
	name string
	code cid.Cid
}

func (e *manifestEntryT) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
		return err
	}
	if err := cw.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(e.name))); err != nil {
		return err
	}
	if _, err := cw.Write([]byte(e.name)); err != nil {
		return err
	}
	return cbg.WriteCid(cw, e.code)
}
