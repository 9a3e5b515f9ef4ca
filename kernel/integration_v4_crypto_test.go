package kernel_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/actors/testactors"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// The proof and signature syscalls of FVM v4 through the full kernel, on
// both engines (fvm-abi-next.md §3.3, §7.14, §7.15, §14 scenarios 24–27 and
// 31; fvm-gas-next.md §5 and §10 examples 21–25), driven by the probe.

// fvm-gas-next.md §10 examples 21–24 and §14 scenarios 25–26: the charge of
// each proof syscall, by the price list of the version (WATERMELON nv21–24,
// TEEP nv25–28), charged before anything is verified. The vector runner's
// trusting verifier answers the proofs themselves.
func TestV4ProofCharges(t *testing.T) {
	agg := func(typ abi.RegisteredSealProof, n int) []byte {
		data := testactors.AggregateSeals(typ, n)
		return testactors.ProbeParams(testactors.ProbeAggregateSeals, data, testactors.ProbeData, uint64(len(data)))
	}
	seals := func(n int) []byte {
		data := testactors.SealInfos(n)
		return testactors.ProbeParams(testactors.ProbeBatchSeals, data, testactors.ProbeData, uint64(len(data)))
	}
	post := func(typ abi.RegisteredPoStProof, n int) []byte {
		data := testactors.WindowPoSt(typ, n)
		return testactors.ProbeParams(testactors.ProbeVerifyPoSt, data, testactors.ProbeData, uint64(len(data)))
	}
	const (
		v1p1_32   = abi.RegisteredSealProof_StackedDrg32GiBV1_1
		ni32      = abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep
		ni64      = abi.RegisteredSealProof_StackedDrg64GiBV1_2_Feat_NiPoRep
		postV1P1  = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1
		milli     = int64(1000)
		perSeal24 = 2_000
		perSeal25 = 42_000_000
	)
	for _, c := range []struct {
		name   string
		nv     network.Version
		params []byte
		charge string
		want   []int64 // whole gas
	}{
		{"ex21-v1p1-10-nv21", 21, agg(v1p1_32, 10), "OnVerifyAggregateSeals", []int64{116_855_810}},
		{"ex21-v1p1-10-nv28", 28, agg(v1p1_32, 10), "OnVerifyAggregateSeals", []int64{116_855_810}},
		{"ex22-ni32-10-nv24", 24, agg(ni32, 10), "OnVerifyAggregateSeals", []int64{116_855_810}},
		{"ex22-ni32-10-nv25", 25, agg(ni32, 10), "OnVerifyAggregateSeals", []int64{267_648_180}},
		{"ex22-ni32-1-nv25", 25, agg(ni32, 1), "OnVerifyAggregateSeals", []int64{118_025_550}},
		{"ex22-ni64-1-nv25", 25, agg(ni64, 1), "OnVerifyAggregateSeals", []int64{115_329_958}},
		{"ex22-ni32-3-nv24", 24, agg(ni32, 3), "OnVerifyAggregateSeals", []int64{1_349_700}},
		{"ex22-ni32-3-nv25", 25, agg(ni32, 3), "OnVerifyAggregateSeals", []int64{154_566_150}},
		{"ex22-ni64-65-nv24", 24, agg(ni64, 65), "OnVerifyAggregateSeals", []int64{191_282_600}},
		{"ex22-ni64-65-nv25", 25, agg(ni64, 65), "OnVerifyAggregateSeals", []int64{804_130_960}},
		{"ex23-6-seals-nv22", 22, seals(6), "OnVerifySeal", []int64{perSeal24, perSeal24, perSeal24, perSeal24, perSeal24, perSeal24}},
		{"ex23-6-seals-nv25", 25, seals(6), "OnVerifySeal", []int64{perSeal25, perSeal25, perSeal25, perSeal25, perSeal25, perSeal25}},
		{"ex24-post-10", 21, post(postV1P1, 10), "OnVerifyPost", []int64{118_118_721}},
		{"ex24-post-2349", 27, post(postV1P1, 2349), "OnVerifyPost", []int64{220_520_141}},
	} {
		t.Run(c.name, func(t *testing.T) {
			onEngines(t, func(t *testing.T, k engineKind) {
				r := probe(t, c.nv, k, c.params, 0)
				if r.ret.Receipt.ExitCode != 0 || r.errno != 0 {
					t.Fatalf("exit %d errno %d; %s", r.ret.Receipt.ExitCode, r.errno, r.ret.FailureInfo)
				}
				want := make([]int64, len(c.want))
				for i, g := range c.want {
					want[i] = g * milli
				}
				if got := named(r.log, c.charge); !equalInts(got, want) {
					t.Errorf("%s %v, want %v", c.charge, got, want)
				}
			})
		})
	}
}

// fvm-abi-next.md §14 scenario 26 (and §7.14): an aggregate with no infos
// costs its (zero) charge, then IllegalArgument; §14 scenario 25: at nv25 a
// limit covering two 42,000,000 charges of three runs out of gas before any
// seal is verified (the trusting verifier would have answered 1 for each).
func TestV4AggregateAndBatchEdges(t *testing.T) {
	onEngines(t, func(t *testing.T, k engineKind) {
		data := testactors.AggregateSeals(abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep, 0)
		r := probe(t, 25, k, testactors.ProbeParams(testactors.ProbeAggregateSeals, data, testactors.ProbeData, uint64(len(data))), 0)
		if r.errno != 1 || !equalInts(named(r.log, "OnVerifyAggregateSeals"), []int64{0}) {
			t.Errorf("empty aggregate: errno %d, charges %v; want IllegalArgument after a charge of 0", r.errno, named(r.log, "OnVerifyAggregateSeals"))
		}
		seals := testactors.SealInfos(3)
		r = probe(t, 25, k, testactors.ProbeParams(testactors.ProbeBatchSeals, seals, testactors.ProbeData, uint64(len(seals))), 100_000_000)
		if r.ret.Receipt.ExitCode != 7 || r.ret.Receipt.GasUsed != 100_000_000 {
			t.Errorf("3 seals under 10^8 gas: exit %d gas %d, want 7 and the limit", r.ret.Receipt.ExitCode, r.ret.Receipt.GasUsed)
		}
		if got := named(r.log, "OnVerifySeal"); len(got) != 3 || got[0] != 42_000_000_000 || got[1] != 42_000_000_000 {
			t.Errorf("OnVerifySeal charges %v: two that fit, then the third that does not", got)
		}
	})
}

// fvm-abi-next.md §14 scenario 24 (v4 part) and §7.14: from nv21 a V1 Window
// PoSt type (8, 32GiB V1) is IllegalArgument after the 117,680,921 +
// 43,780·n charge; two proofs of different types, and a 64GiB sector under a
// 32GiB V1P1 proof, are IllegalArgument; a 32GiB V1P1 proof over 32GiB
// sectors reaches the verifier. (The v3 part, where V1 still verifies, is
// kernel/proofs_test.go's; the probe runs on the v4 line only.)
func TestV4WindowPoSt(t *testing.T) {
	const (
		v1   = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1
		v1p1 = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1
	)
	params := func(types []abi.RegisteredPoStProof, seal abi.RegisteredSealProof) []byte {
		data := testactors.WindowPoStOf(types, seal, 2)
		return testactors.ProbeParams(testactors.ProbeVerifyPoSt, data, testactors.ProbeData, uint64(len(data)))
	}
	charge := []int64{(117_680_921 + 2*43_780) * 1000}
	for _, c := range []struct {
		name   string
		types  []abi.RegisteredPoStProof
		seal   abi.RegisteredSealProof
		errnos map[network.Version]uint32
	}{
		{"v1", []abi.RegisteredPoStProof{v1}, abi.RegisteredSealProof_StackedDrg32GiBV1_1, map[network.Version]uint32{21: 1, 28: 1}},
		{"v1p1", []abi.RegisteredPoStProof{v1p1}, abi.RegisteredSealProof_StackedDrg32GiBV1_1, map[network.Version]uint32{21: 0, 28: 0}},
		{"mixed", []abi.RegisteredPoStProof{v1p1, v1}, abi.RegisteredSealProof_StackedDrg32GiBV1_1, map[network.Version]uint32{21: 1}},
		{"seal-64GiB", []abi.RegisteredPoStProof{v1p1}, abi.RegisteredSealProof_StackedDrg64GiBV1_1, map[network.Version]uint32{21: 1}},
		{"seal-ni-porep", []abi.RegisteredPoStProof{v1p1}, abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep, map[network.Version]uint32{24: 0}},
	} {
		for nv, want := range c.errnos {
			t.Run(fmt.Sprintf("%s/nv%d", c.name, nv), func(t *testing.T) {
				onEngines(t, func(t *testing.T, k engineKind) {
					r := probe(t, nv, k, params(c.types, c.seal), 0)
					if r.errno != want {
						t.Fatalf("errno %d, want %d; %s", r.errno, want, r.ret.FailureInfo)
					}
					if got := named(r.log, "OnVerifyPost"); !equalInts(got, charge) {
						t.Errorf("OnVerifyPost %v, want %v (charged first)", got, charge)
					}
				})
			})
		}
	}
}

// BLS helpers: a key is a scalar and its compressed G1 public key; a
// signature is sk·H(m) with the Filecoin DST, compressed; an aggregate is
// the sum of signatures.
type blsTestKey struct {
	sk *big.Int
	pk [48]byte
}

func newBLSTestKey(seed uint64) blsTestKey {
	var e fr.Element
	e.SetUint64(seed*0x9e3779b97f4a7c15 + 7)
	sk := e.BigInt(new(big.Int))
	var pk bls12381.G1Affine
	pk.ScalarMultiplicationBase(sk)
	return blsTestKey{sk: sk, pk: pk.Bytes()}
}

func (k blsTestKey) sign(t testing.TB, msg []byte) bls12381.G2Jac {
	h, err := bls12381.HashToG2(msg, []byte(fvmcrypto.BLSDomainSeparationTag))
	if err != nil {
		t.Fatal(err)
	}
	var s bls12381.G2Affine
	s.ScalarMultiplication(&h, k.sk)
	var j bls12381.G2Jac
	j.FromAffine(&s)
	return j
}

// blsProbe lays out verify_bls_aggregate's buffers: signature, keys,
// plaintexts, lengths (u32le).
func blsProbe(n uint64, sig []byte, keys []byte, plaintexts []byte, lens []uint32) []byte {
	data := append(bytes.Clone(sig), keys...)
	ptOff := uint64(testactors.ProbeData + len(data))
	data = append(data, plaintexts...)
	lenOff := uint64(testactors.ProbeData + len(data))
	for _, l := range lens {
		data = binary.LittleEndian.AppendUint32(data, l)
	}
	return testactors.ProbeParams(testactors.ProbeBLSAggregate, data, n, testactors.ProbeData,
		testactors.ProbeData+uint64(len(sig)), ptOff, lenOff)
}

// fvm-abi-next.md §14 scenario 27 and fvm-gas-next.md §10 example 25:
// OnVerifyBlsAggregateSignature = 8,299,302·(N + 1) + 7·P before the
// plaintexts are split; a valid aggregate answers 0, an invalid one −1 (not
// an error); no signers answers 0 after 8,299,302; lengths that do not use
// the plaintext buffer exactly are IllegalArgument after the charge — which
// only a u32 sum that wraps can cause, since the syscall slices the buffer
// by that sum; a plaintext buffer past the end of memory is IllegalArgument
// before it.
func TestV4BLSAggregate(t *testing.T) {
	keys := []blsTestKey{newBLSTestKey(1), newBLSTestKey(2), newBLSTestKey(3)}
	msgs := [][]byte{bytes.Repeat([]byte{1}, 100), bytes.Repeat([]byte{2}, 100), bytes.Repeat([]byte{3}, 100)}
	var acc bls12381.G2Jac
	var pks, pts []byte
	var lens []uint32
	for i, k := range keys {
		s := k.sign(t, msgs[i])
		acc.AddAssign(&s)
		pks = append(pks, k.pk[:]...)
		pts = append(pts, msgs[i]...)
		lens = append(lens, 100)
	}
	var aggAff bls12381.G2Affine
	aggAff.FromJacobian(&acc)
	agg := aggAff.Bytes()
	bad := bytes.Clone(agg[:])
	bad[10] ^= 1
	for _, c := range []struct {
		name   string
		params []byte
		errno  uint32
		result uint32
		charge []int64
	}{
		// Example 25: 3 signers, 300 bytes → 33,199,308.
		{"valid", blsProbe(3, agg[:], pks, pts, lens), 0, 0, []int64{33_199_308_000}},
		{"invalid", blsProbe(3, bad, pks, pts, lens), 0, 0xffffffff, []int64{33_199_308_000}},
		// Scenario 27: 2 signers, 64 bytes → 24,898,354; zero bytes are no
		// signature → −1.
		{"undecodable", blsProbe(2, make([]byte, 96), make([]byte, 96), make([]byte, 64), []uint32{32, 32}), 0, 0xffffffff,
			[]int64{24_898_354_000}},
		// Example 25: 1 signer, empty plaintext → 16,598,604.
		{"one-empty", blsProbe(1, make([]byte, 96), make([]byte, 48), nil, []uint32{0}), 0, 0xffffffff, []int64{16_598_604_000}},
		{"no-signers", blsProbe(0, make([]byte, 96), nil, nil, nil), 0, 0, []int64{8_299_302_000}},
		// The u32 sum wraps to 1: one byte is charged, then splitting fails.
		{"lengths-wrap", blsProbe(2, make([]byte, 96), make([]byte, 96), []byte{1}, []uint32{0xffffffff, 2}), 1, 0,
			[]int64{(8_299_302*3 + 7) * 1000}},
		{"plaintexts-past-memory", blsProbe(1, make([]byte, 96), make([]byte, 48), nil, []uint32{0x7fffffff}), 1, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			onEngines(t, func(t *testing.T, k engineKind) {
				r := probe(t, network.Version21, k, c.params, 0)
				if r.ret.Receipt.ExitCode != 0 || r.errno != c.errno {
					t.Fatalf("exit %d errno %d, want 0 and %d; %s", r.ret.Receipt.ExitCode, r.errno, c.errno, r.ret.FailureInfo)
				}
				if c.errno == 0 && binary.LittleEndian.Uint32(r.out) != c.result {
					t.Errorf("answer %d, want %d", int32(binary.LittleEndian.Uint32(r.out)), int32(c.result))
				}
				if got := named(r.log, "OnVerifyBlsAggregateSignature"); !equalInts(got, c.charge) {
					t.Errorf("OnVerifyBlsAggregateSignature %v, want %v", got, c.charge)
				}
			})
		})
	}
}

// fvm-abi-next.md §14 scenario 31 and §7.15: a low-S secp256k1 signature
// and its malleated twin (n − s, v ⊕ 1) both verify for the same f1
// address, and recover_secp_public_key returns the same 65-byte key for
// both (FVM v4 here; every version in TestSecpHighSAtEveryVersion).
func TestV4SecpHighS(t *testing.T) {
	priv := secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{0x42}, 32))
	pub := priv.PubKey().SerializeUncompressed()
	signer, err := address.NewSecp256k1Address(pub)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("high and low")
	digest := blake2b.Sum256(msg)
	low, high := secpPair(t, priv, digest)
	for _, sig := range [][]byte{low, high} {
		onEngines(t, func(t *testing.T, k engineKind) {
			data := append(append(bytes.Clone(sig), signer.Bytes()...), msg...)
			p := testactors.ProbeParams(testactors.ProbeVerifySignature, data, 1, testactors.ProbeData, 65,
				testactors.ProbeData+65, uint64(len(signer.Bytes())), testactors.ProbeData+65+uint64(len(signer.Bytes())), uint64(len(msg)))
			r := probe(t, network.Version21, k, p, 0)
			if r.errno != 0 || binary.LittleEndian.Uint32(r.out) != 0 {
				t.Errorf("verify_signature: errno %d answer %d, want 0 and 0 (valid)", r.errno, int32(binary.LittleEndian.Uint32(r.out)))
			}
			data = append(digest[:], sig...)
			r = probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeRecoverSecpPubKey, data,
				testactors.ProbeData, testactors.ProbeData+32), 0)
			if r.errno != 0 || !bytes.Equal(r.out[:65], pub) {
				t.Errorf("recover: errno %d key %x, want %x", r.errno, r.out[:65], pub)
			}
		})
	}
}

// secpPair signs digest (decred gives low S) and returns the signature and
// its malleated twin, both r ‖ s ‖ v.
func secpPair(t testing.TB, priv *secp256k1.PrivateKey, digest [32]byte) (low, high []byte) {
	compact := ecdsa.SignCompact(priv, digest[:], false) // v ‖ r ‖ s, v = 27 + id
	low = append(bytes.Clone(compact[1:]), compact[0]-27)
	var s secp256k1.ModNScalar
	s.SetByteSlice(low[32:64])
	if s.IsOverHalfOrder() {
		t.Fatal("decred signed with a high S")
	}
	s.Negate()
	sb := s.Bytes()
	high = bytes.Clone(low)
	copy(high[32:64], sb[:])
	high[64] ^= 1
	return low, high
}
