package syscalls

import (
	"fmt"
	"io"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/proof"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// replicaUpdateInfo decodes ReplicaUpdateInfo as the actors encode it. The
// reference struct (fvm_shared sector/seal.rs at fvm@v2.12.1 and fvm@v3.1.0)
// declares `proof: Vec<u8>` without `strict_bytes`, so serde writes the proof
// as a CBOR array of small integers, not as a byte string; go-state-types'
// proof.ReplicaUpdateInfo expects bytes and cannot read it. Field order:
// [update_proof_type, old_sealed_cid, new_sealed_cid, new_unsealed_cid, proof].
type replicaUpdateInfo struct{ proof.ReplicaUpdateInfo }

func (r *replicaUpdateInfo) UnmarshalCBOR(rd io.Reader) error {
	cr := cbg.NewCborReader(rd)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 5 {
		return fmt.Errorf("ReplicaUpdateInfo: want a 5-element array")
	}
	typ, err := readInt64(cr)
	if err != nil {
		return fmt.Errorf("update_proof_type: %w", err)
	}
	r.UpdateProofType = abi.RegisteredUpdateProof(typ)
	if r.OldSealedSectorCID, err = cbg.ReadCid(cr); err != nil {
		return fmt.Errorf("old_sealed_cid: %w", err)
	}
	if r.NewSealedSectorCID, err = cbg.ReadCid(cr); err != nil {
		return fmt.Errorf("new_sealed_cid: %w", err)
	}
	if r.NewUnsealedSectorCID, err = cbg.ReadCid(cr); err != nil {
		return fmt.Errorf("new_unsealed_cid: %w", err)
	}
	maj, n, err = cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray {
		return fmt.Errorf("proof: want an array of u8 (Vec<u8> without strict_bytes)")
	}
	// Each element takes at least one byte, so n is bounded by the input the
	// caller sliced out of wasm memory; still refuse absurd counts up front.
	if n > 1<<30 {
		return fmt.Errorf("proof: %d elements", n)
	}
	buf := make([]byte, 0, min(n, 1<<16))
	for i := uint64(0); i < n; i++ {
		m, v, err := cr.ReadHeader()
		if err != nil {
			return fmt.Errorf("proof[%d]: %w", i, err)
		}
		if m != cbg.MajUnsignedInt || v > 255 {
			return fmt.Errorf("proof[%d]: not a u8", i)
		}
		buf = append(buf, byte(v))
	}
	r.Proof = buf
	return nil
}

// readInt64 reads a CBOR integer (major 0 or 1) into an int64.
func readInt64(cr *cbg.CborReader) (int64, error) {
	maj, v, err := cr.ReadHeader()
	if err != nil {
		return 0, err
	}
	switch maj {
	case cbg.MajUnsignedInt:
		if v > 1<<63-1 {
			return 0, fmt.Errorf("integer overflow")
		}
		return int64(v), nil
	case cbg.MajNegativeInt:
		if v > 1<<63-1 {
			return 0, fmt.Errorf("integer overflow")
		}
		return -1 - int64(v), nil
	}
	return 0, fmt.Errorf("want an integer, got major type %d", maj)
}
