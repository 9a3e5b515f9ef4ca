package syscalls

import (
	"bytes"
	"testing"

	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"
)

// FuzzCIDPrefix: whatever cidPrefixLen accepts lies within the input and is
// a CID go-cid parses to the same bytes.
func FuzzCIDPrefix(f *testing.F) {
	f.Add(testCID.Bytes())
	f.Add(testCIDv0.Bytes())
	f.Add([]byte{1, 0x55, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := cidPrefixLen(b)
		if err != nil {
			return
		}
		if n > len(b) {
			t.Fatalf("prefix %d beyond %d bytes", n, len(b))
		}
		c, err := cid.Cast(b[:n])
		if err != nil {
			t.Fatalf("accepted %x but go-cid rejects it: %v", b[:n], err)
		}
		if !bytes.Equal(c.Bytes(), b[:n]) {
			t.Fatalf("round trip %x -> %x", b[:n], c.Bytes())
		}
	})
}

// FuzzDecodeCBOR: the proof-info decoders return or fail, never panic or
// hang, on any bytes.
func FuzzDecodeCBOR(f *testing.F) {
	f.Add(cborSeal(f))
	f.Add([]byte{0x81, 0x82, 0x19, 0x08, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p pieceInfos
		var s sealVerifyInfos
		_ = decodeCBOR(b, &p)
		_ = decodeCBOR(b, &s)
		_ = decodeCBOR(b, &proof.SealVerifyInfo{})
		_ = decodeCBOR(b, &proof.WindowPoStVerifyInfo{})
		_ = decodeCBOR(b, &proof.AggregateSealVerifyProofAndInfos{})
		_ = decodeCBOR(b, &proof.ReplicaUpdateInfo{})
	})
}
