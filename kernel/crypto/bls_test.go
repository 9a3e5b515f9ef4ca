package fvmcrypto

import (
	"bytes"
	"math/big"
	"strings"
	"testing"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/filecoin-project/go-address"
)

// RFC 9380 Appendix J.10.1, suite BLS12381G2_XMD:SHA-256_SSWU_RO_: the
// published P for each message, x = x0 + I·x1, y = y0 + I·y1. These pin the
// hash-to-curve gnark-crypto performs; Filecoin uses the same suite with its
// own DST (BLSDomainSeparationTag).
const rfc9380DST = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_"

var rfc9380G2Vectors = []struct {
	msg            string
	x0, x1, y0, y1 string
}{
	{"",
		"0141ebfbdca40eb85b87142e130ab689c673cf60f1a3e98d69335266f30d9b8d4ac44c1038e9dcdd5393faf5c41fb78a",
		"05cb8437535e20ecffaef7752baddf98034139c38452458baeefab379ba13dff5bf5dd71b72418717047f5b0f37da03d",
		"0503921d7f6a12805e72940b963c0cf3471c7b2a524950ca195d11062ee75ec076daf2d4bc358c4b190c0c98064fdd92",
		"12424ac32561493f3fe3c260708a12b7c620e7be00099a974e259ddc7d1f6395c3c811cdd19f1e8dbf3e9ecfdcbab8d6"},
	{"abc",
		"02c2d18e033b960562aae3cab37a27ce00d80ccd5ba4b7fe0e7a210245129dbec7780ccc7954725f4168aff2787776e6",
		"139cddbccdc5e91b9623efd38c49f81a6f83f175e80b06fc374de9eb4b41dfe4ca3a230ed250fbe3a2acf73a41177fd8",
		"1787327b68159716a37440985269cf584bcb1e621d3a7202be6ea05c4cfe244aeb197642555a0645fb87bf7466b2ba48",
		"00aa65dae3c8d732d10ecd2c50f8a1baf3001578f71c694e03866e9f3d49ac1e1ce70dd94a733534f106d4cec0eddd16"},
	{"abcdef0123456789",
		"121982811d2491fde9ba7ed31ef9ca474f0e1501297f68c298e9f4c0028add35aea8bb83d53c08cfc007c1e005723cd0",
		"190d119345b94fbd15497bcba94ecf7db2cbfd1e1fe7da034d26cbba169fb3968288b3fafb265f9ebd380512a71c3f2c",
		"05571a0f8d3c08d094576981f4a3b8eda0a8e771fcdcc8ecceaf1356a6acf17574518acb506e435b639353c2e14827c8",
		"0bb5e7572275c567462d91807de765611490205a941a5a6af3b1691bfe596c31225d3aabdf15faff860cb4ef17c7c3be"},
	{"q128_" + strings.Repeat("q", 128),
		"19a84dd7248a1066f737cc34502ee5555bd3c19f2ecdb3c7d9e24dc65d4e25e50d83f0f77105e955d78f4762d33c17da",
		"0934aba516a52d8ae479939a91998299c76d39cc0c035cd18813bec433f587e2d7a4fef038260eef0cef4d02aae3eb91",
		"14f81cd421617428bc3b9fe25afbb751d934a00493524bc4e065635b0555084dd54679df1536101b2c979c0152d09192",
		"09bcccfa036b4847c9950780733633f13619994394c23ff0b32fa6b795844f4a0673e20282d07bc69641cee04f5e5662"},
	{"a512_" + strings.Repeat("a", 512),
		"01a6ba2f9a11fa5598b2d8ace0fbe0a0eacb65deceb476fbbcb64fd24557c2f4b18ecfc5663e54ae16a84f5ab7f62534",
		"11fca2ff525572795a801eed17eb12785887c7b63fb77a42be46ce4a34131d71f7a73e95fee3f812aea3de78b4d01569",
		"0b6798718c8aed24bc19cb27f866f1c9effcdbf92397ad6448b5c9db90d2b9da6cbabf48adc1adf59a1a28344e79d57e",
		"03a47f8e6d1763ba0cad63d6114c0accbef65707825a511b251a660a9b3994249ae4e63fac38b23da0c398689ee2ab52"},
}

func TestHashToG2RFC9380(t *testing.T) {
	for _, v := range rfc9380G2Vectors {
		name := v.msg
		if len(name) > 16 {
			name = name[:16] + "…"
		}
		t.Run(name, func(t *testing.T) {
			var want bls12381.G2Affine
			if _, err := want.X.A0.SetString("0x" + v.x0); err != nil {
				t.Fatal(err)
			}
			if _, err := want.X.A1.SetString("0x" + v.x1); err != nil {
				t.Fatal(err)
			}
			if _, err := want.Y.A0.SetString("0x" + v.y0); err != nil {
				t.Fatal(err)
			}
			if _, err := want.Y.A1.SetString("0x" + v.y1); err != nil {
				t.Fatal(err)
			}
			got, err := bls12381.HashToG2([]byte(v.msg), []byte(rfc9380DST))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(&want) {
				t.Fatalf("got %s\nwant %s", got.String(), want.String())
			}
			// The Filecoin DST must give a different point: the tag is in use.
			fil, _ := bls12381.HashToG2([]byte(v.msg), blsDST)
			if fil.Equal(&want) {
				t.Fatal("the DST made no difference")
			}
		})
	}
}

// blsKey is a test key: secret scalar, compressed public key, f3 address.
type blsKey struct {
	sk   *big.Int
	pk   [48]byte
	addr address.Address
}

func newBLSKey(t testing.TB, seed int64) blsKey {
	t.Helper()
	var e fr.Element
	e.SetInt64(seed)
	e.Square(&e).Add(&e, new(fr.Element).SetUint64(0x9e3779b97f4a7c15)) // spread the seeds a little
	sk := e.BigInt(new(big.Int))
	var pk bls12381.G1Affine
	pk.ScalarMultiplicationBase(sk)
	k := blsKey{sk: sk, pk: pk.Bytes()}
	a, err := address.NewBLSAddress(k.pk[:])
	if err != nil {
		t.Fatal(err)
	}
	k.addr = a
	return k
}

// sign is sk·H(msg) with the Filecoin DST, compressed.
func (k blsKey) sign(t testing.TB, msg []byte) []byte {
	t.Helper()
	h, err := bls12381.HashToG2(msg, blsDST)
	if err != nil {
		t.Fatal(err)
	}
	var s bls12381.G2Affine
	s.ScalarMultiplication(&h, k.sk)
	b := s.Bytes()
	return b[:]
}

func TestBLSRoundTrip(t *testing.T) {
	msgs := [][]byte{nil, []byte("abc"), bytes.Repeat([]byte{0xff}, 1000), []byte(strings.Repeat("deal proposal ", 50))}
	for seed := int64(1); seed <= 4; seed++ {
		k := newBLSKey(t, seed)
		for _, m := range msgs {
			ok, err := VerifySignature(SigTypeBLS, k.sign(t, m), k.addr, m)
			if err != nil || !ok {
				t.Fatalf("seed %d msg %q: %v, %v", seed, m, ok, err)
			}
		}
	}
}

// A G1 or G2 point on its curve but outside the prime-order subgroup,
// compressed. Such points must not decode (bls-signatures checks the
// subgroup through blstrs' from_compressed).
func offSubgroupG1(t testing.TB) [48]byte {
	t.Helper()
	var p bls12381.G1Affine
	for x := uint64(1); ; x++ {
		p.X.SetUint64(x)
		var rhs, four = p.X, p.X
		four.SetUint64(4)
		rhs.Square(&p.X).Mul(&rhs, &p.X).Add(&rhs, &four)
		if rhs.Legendre() != 1 {
			continue
		}
		p.Y.Sqrt(&rhs)
		if p.IsOnCurve() && !p.IsInSubGroup() {
			return p.Bytes()
		}
	}
}

func offSubgroupG2(t testing.TB) [96]byte {
	t.Helper()
	var p bls12381.G2Affine
	for x := uint64(1); ; x++ {
		p.X.A0.SetUint64(x)
		p.X.A1.SetUint64(1)
		rhs, b := p.X, p.X
		b.A0.SetUint64(4)
		b.A1.SetUint64(4) // the twist's b = 4(1 + I)
		rhs.Square(&p.X).Mul(&rhs, &p.X).Add(&rhs, &b)
		if rhs.Legendre() != 1 {
			continue
		}
		p.Y.Sqrt(&rhs)
		if p.IsOnCurve() && !p.IsInSubGroup() {
			return p.Bytes()
		}
	}
}

func TestBLSRejects(t *testing.T) {
	k1, k2 := newBLSKey(t, 1), newBLSKey(t, 2)
	msg := []byte("the message")
	sig := k1.sign(t, msg)

	flip := func(b []byte, i int, mask byte) []byte {
		c := bytes.Clone(b)
		c[i] ^= mask
		return c
	}
	identitySig := append([]byte{0xc0}, make([]byte, 95)...)
	identityPK := append([]byte{0xc0}, make([]byte, 47)...)
	identityAddr, err := address.NewBLSAddress(identityPK)
	if err != nil {
		t.Fatal(err)
	}
	offG1 := offSubgroupG1(t)
	offG1Addr, _ := address.NewBLSAddress(offG1[:])
	offG2 := offSubgroupG2(t)
	// An x for which x³ + b has no square root: not a curve point at all.
	notOnCurve := bytes.Clone(sig)
	for i := 0; ; i++ {
		notOnCurve[95] = byte(i)
		if _, ok := decodeG2(notOnCurve); !ok {
			break
		}
	}
	// x equal to the field modulus p: a non-canonical encoding.
	pHex := "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
	nonCanonical := append(mustHex(t, pHex), make([]byte, 48)...)
	nonCanonical[0] |= 0x80
	uncompressedFlag := flip(sig, 0, 0x80)
	var pkRaw bls12381.G1Affine
	if _, err := pkRaw.SetBytes(k1.pk[:]); err != nil {
		t.Fatal(err)
	}
	sigUncompressed := func() []byte {
		var s bls12381.G2Affine
		if _, err := s.SetBytes(sig); err != nil {
			t.Fatal(err)
		}
		b := s.RawBytes()
		return b[:]
	}()

	cases := []struct {
		name   string
		sig    []byte
		signer address.Address
		msg    []byte
	}{
		{"wrong message", sig, k1.addr, []byte("another message")},
		{"message with one more byte", sig, k1.addr, append(bytes.Clone(msg), 0)},
		{"wrong key", sig, k2.addr, msg},
		{"other key's signature", k2.sign(t, msg), k1.addr, msg},
		{"sign flag flipped", flip(sig, 0, 0x20), k1.addr, msg},
		{"low bit flipped", flip(sig, 95, 0x01), k1.addr, msg},
		{"compression flag cleared", uncompressedFlag, k1.addr, msg},
		{"uncompressed 192-byte signature", sigUncompressed, k1.addr, msg},
		{"95 bytes", sig[:95], k1.addr, msg},
		{"97 bytes", append(bytes.Clone(sig), 0), k1.addr, msg},
		{"empty", nil, k1.addr, msg},
		{"identity signature", identitySig, k1.addr, msg},
		{"identity key and identity signature", identitySig, identityAddr, msg},
		{"identity key", sig, identityAddr, msg},
		{"signature off the subgroup", offG2[:], k1.addr, msg},
		{"key off the subgroup", sig, offG1Addr, msg},
		{"signature not on the curve", notOnCurve, k1.addr, msg},
		{"non-canonical x", nonCanonical, k1.addr, msg},
		{"infinity flag with garbage", append([]byte{0xc0, 1}, make([]byte, 94)...), k1.addr, msg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, err := VerifySignature(SigTypeBLS, c.sig, c.signer, c.msg)
			if err != nil || ok {
				t.Fatalf("got %v, %v; want false, nil", ok, err)
			}
		})
	}
	// The off-subgroup points are genuinely on their curves: only the
	// subgroup check rejects them.
	var g1 bls12381.G1Affine
	if err := bls12381.NewDecoder(bytes.NewReader(offG1[:]), bls12381.NoSubgroupChecks()).Decode(&g1); err != nil || !g1.IsOnCurve() {
		t.Fatalf("off-subgroup G1 point does not decode without the check: %v", err)
	}
	var g2 bls12381.G2Affine
	if err := bls12381.NewDecoder(bytes.NewReader(offG2[:]), bls12381.NoSubgroupChecks()).Decode(&g2); err != nil || !g2.IsOnCurve() {
		t.Fatalf("off-subgroup G2 point does not decode without the check: %v", err)
	}
	// And the untouched signature verifies, so the cases above fail for
	// their own reason.
	if ok, err := VerifySignature(SigTypeBLS, sig, k1.addr, msg); !ok || err != nil {
		t.Fatalf("control: %v, %v", ok, err)
	}
}

// The DST is filecoin-project/bls-signatures' CSUITE (the basic "NUL"
// scheme). A signature made under another suite's tag, here the
// proof-of-possession tag Ethereum uses with the same curve groups, must not
// verify: the tag is part of what is checked.
func TestBLSDomainSeparationTag(t *testing.T) {
	if BLSDomainSeparationTag != "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_" {
		t.Fatalf("DST %q", BLSDomainSeparationTag)
	}
	k := newBLSKey(t, 21)
	msg := []byte("dst")
	h, err := bls12381.HashToG2(msg, []byte("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"))
	if err != nil {
		t.Fatal(err)
	}
	var s bls12381.G2Affine
	s.ScalarMultiplication(&h, k.sk)
	pop := s.Bytes()
	if ok, err := VerifySignature(SigTypeBLS, pop[:], k.addr, msg); ok || err != nil {
		t.Fatalf("a POP-tagged signature verified: %v, %v", ok, err)
	}
	if ok, err := VerifySignature(SigTypeBLS, k.sign(t, msg), k.addr, msg); !ok || err != nil {
		t.Fatalf("control: %v, %v", ok, err)
	}
}
