package fvmcrypto

import (
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/filecoin-project/go-state-types/abi"
	"golang.org/x/crypto/blake2b"
)

// A deal proposal is a few hundred bytes of CBOR; use 256.
var benchMsg = make([]byte, 256)

func BenchmarkVerifySignatureBLS(b *testing.B) {
	k := newBLSKey(b, 11)
	sig := k.sign(b, benchMsg)
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := VerifySignature(SigTypeBLS, sig, k.addr, benchMsg); !ok {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkVerifySignatureSecp256k1(b *testing.B) {
	k := newSecpKey(b, 11)
	sig := k.sign(benchMsg)
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := VerifySignature(SigTypeSecp256k1, sig, k.addr, benchMsg); !ok {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkRecoverSecpPublicKey(b *testing.B) {
	k := newSecpKey(b, 12)
	digest := blake2b.Sum256(benchMsg)
	sig := k.signDigest(digest)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RecoverSecpPublicKey(digest, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// SetBytes is reported per byte, so -benchmem's MB/s is the throughput.
func BenchmarkHashBlake2b256PerKB(b *testing.B) {
	data := make([]byte, 1024)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Hash(HashBlake2b256, data)
	}
}

func BenchmarkHashAll1KB(b *testing.B) {
	data := make([]byte, 1024)
	for _, c := range []struct {
		name string
		code uint64
	}{{"sha2-256", HashSha2_256}, {"blake2b-512", HashBlake2b512}, {"keccak-256", HashKeccak256}, {"ripemd-160", HashRipemd160}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Hash(c.code, data)
			}
		})
	}
}

// 32 pieces of mixed sizes in a 32 GiB sector, as a busy deal sector has.
func BenchmarkComputeUnsealedSectorCID32Pieces(b *testing.B) {
	var pieces []abi.PieceInfo
	for i := 0; i < 32; i++ {
		var comm [32]byte
		comm[0], comm[1] = byte(i), 0x42
		pieces = append(pieces, abi.PieceInfo{
			Size:     abi.PaddedPieceSize(uint64(1) << (20 + i%9)), // 1 MiB .. 256 MiB
			PieceCID: commitmentCID(comm),
		})
	}
	if _, err := ComputeUnsealedSectorCID(abi.RegisteredSealProof_StackedDrg32GiBV1_1, pieces); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeUnsealedSectorCID(abi.RegisteredSealProof_StackedDrg32GiBV1_1, pieces); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeriveRandomness(b *testing.B) {
	var d [32]byte
	entropy := make([]byte, 32)
	b.ReportAllocs()
	for b.Loop() {
		DeriveRandomness(2, d, 1_000_000, entropy)
	}
}

// Where a BLS verification spends its time.
func BenchmarkBLSParts(b *testing.B) {
	k := newBLSKey(b, 13)
	sig := k.sign(b, benchMsg)
	pk, _ := decodeG1(k.pk[:])
	s, _ := decodeG2(sig)
	h, _ := bls12381.HashToG2(benchMsg, blsDST)
	b.Run("decode-pk", func(b *testing.B) {
		for b.Loop() {
			decodeG1(k.pk[:])
		}
	})
	b.Run("decode-sig", func(b *testing.B) {
		for b.Loop() {
			decodeG2(sig)
		}
	})
	b.Run("hash-to-G2", func(b *testing.B) {
		for b.Loop() {
			bls12381.HashToG2(benchMsg, blsDST)
		}
	})
	b.Run("pairing-check", func(b *testing.B) {
		for b.Loop() {
			bls12381.PairingCheck([]bls12381.G1Affine{pk, negG1Gen}, []bls12381.G2Affine{h, s})
		}
	})
}
