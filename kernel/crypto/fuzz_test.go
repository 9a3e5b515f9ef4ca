package fvmcrypto

import (
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/errno"
)

// FuzzVerifySignature feeds arbitrary signature type, signature bytes, signer
// bytes and plaintext: nothing may panic, and the only errors are the
// argument errors for a type other than 1/2 or a non-key signer.
func FuzzVerifySignature(f *testing.F) {
	sk, bk := newSecpKey(f, 7), newBLSKey(f, 7)
	msg := []byte("seed message")
	f.Add(int32(1), sk.sign(msg), sk.addr.Bytes(), msg)
	f.Add(int32(2), bk.sign(f, msg), bk.addr.Bytes(), msg)
	f.Add(int32(2), append([]byte{0xc0}, make([]byte, 95)...), bk.addr.Bytes(), msg)
	f.Add(int32(1), make([]byte, 65), sk.addr.Bytes(), []byte{})
	f.Add(int32(3), []byte{}, []byte{0, 1}, []byte{})
	f.Fuzz(func(t *testing.T, sigType int32, sig, signer, plaintext []byte) {
		a, err := address.NewFromBytes(signer)
		if err != nil {
			a = address.Undef
		}
		ok, err := VerifySignature(sigType, sig, a, plaintext)
		keyAddr := a.Protocol() == address.SECP256K1 || a.Protocol() == address.BLS
		if (sigType == 1 || sigType == 2) && keyAddr {
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
		} else if err == nil || ok {
			t.Fatalf("type %d signer %v: got %v, %v; want an error", sigType, a, ok, err)
		}
	})
}

// FuzzRecoverSecpPublicKey: no panic, and a recovered key always begins with
// the uncompressed-point tag.
func FuzzRecoverSecpPublicKey(f *testing.F) {
	sk := newSecpKey(f, 8)
	var d [32]byte
	s := sk.signDigest(d)
	f.Add(d[:], s[:])
	f.Fuzz(func(t *testing.T, hash, sig []byte) {
		if len(hash) != 32 || len(sig) != 65 {
			return
		}
		pub, err := RecoverSecpPublicKey([32]byte(hash), [65]byte(sig))
		if err == nil && pub[0] != 0x04 {
			t.Fatalf("recovered key %x", pub)
		}
	})
}

// FuzzComputeUnsealedSectorCID: arbitrary piece sizes never panic or hang.
func FuzzComputeUnsealedSectorCID(f *testing.F) {
	f.Add(int64(5), []byte{7, 8, 9, 10})
	f.Add(int64(6), []byte{0, 0, 0, 0, 63})
	f.Fuzz(func(t *testing.T, proof int64, sizes []byte) {
		c := commitmentCID([32]byte{1})
		pieces := make([]abi.PieceInfo, 0, len(sizes))
		for _, s := range sizes {
			pieces = append(pieces, abi.PieceInfo{Size: abi.PaddedPieceSize(uint64(1) << (s % 64)), PieceCID: c})
		}
		if _, err := ComputeUnsealedSectorCID(abi.RegisteredSealProof(proof), pieces); err != nil {
			if _, ok := errno.Of(err); !ok {
				t.Fatalf("error without a number: %v", err)
			}
		}
	})
}
