package fvmcrypto

import (
	"bytes"
	"errors"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The secp256k1 generator G, uncompressed (SEC 2 v2 §2.4.1): the public key
// of the private key 1.
const secpGeneratorHex = "04" +
	"79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
	"483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"

// The group order n (SEC 2 v2 §2.4.1).
const secpOrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

type secpKey struct {
	priv *secp256k1.PrivateKey
	pub  [65]byte
	addr address.Address
}

func newSecpKey(t testing.TB, seed byte) secpKey {
	t.Helper()
	var b [32]byte
	b[31] = seed
	for i := 0; i < 31 && seed > 1; i++ {
		b[i] = seed ^ byte(i*7)
	}
	priv := secp256k1.PrivKeyFromBytes(b[:])
	k := secpKey{priv: priv}
	copy(k.pub[:], priv.PubKey().SerializeUncompressed())
	a, err := address.NewSecp256k1Address(k.pub[:])
	if err != nil {
		t.Fatal(err)
	}
	k.addr = a
	return k
}

// signDigest signs a 32-byte digest and returns Filecoin's r ‖ s ‖ v.
func (k secpKey) signDigest(digest [32]byte) [65]byte {
	compact := ecdsa.SignCompact(k.priv, digest[:], false) // v ‖ r ‖ s, v = 27 + id
	var sig [65]byte
	copy(sig[:64], compact[1:])
	sig[64] = compact[0] - 27
	return sig
}

// sign signs a plaintext the Filecoin way: over its blake2b-256 digest.
func (k secpKey) sign(msg []byte) []byte {
	s := k.signDigest(blake2b.Sum256(msg))
	return s[:]
}

func TestRecoverSecpGenerator(t *testing.T) {
	k := newSecpKey(t, 1)
	if !bytes.Equal(k.pub[:], mustHex(t, secpGeneratorHex)) {
		t.Fatalf("key 1 is not G: %x", k.pub)
	}
	for _, msg := range []string{"", "abc", "filecoin"} {
		digest := blake2b.Sum256([]byte(msg))
		got, err := RecoverSecpPublicKey(digest, k.signDigest(digest))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:], mustHex(t, secpGeneratorHex)) {
			t.Fatalf("recovered %x, want G", got)
		}
	}
}

func TestSecpRoundTrip(t *testing.T) {
	for seed := byte(1); seed <= 20; seed++ {
		k := newSecpKey(t, seed)
		for _, msg := range [][]byte{nil, []byte("abc"), bytes.Repeat([]byte{7}, 4096)} {
			sig := k.sign(msg)
			ok, err := VerifySignature(SigTypeSecp256k1, sig, k.addr, msg)
			if err != nil || !ok {
				t.Fatalf("seed %d: %v, %v", seed, ok, err)
			}
			pub, err := RecoverSecpPublicKey(blake2b.Sum256(msg), [65]byte(sig))
			if err != nil || pub != k.pub {
				t.Fatalf("seed %d: recovered %x, %v", seed, pub, err)
			}
		}
	}
}

// highS turns a (low-S) signature into its malleated twin: s → n − s and
// the recovery id's parity flipped. Mainnet accepts both (fvm-abi.md §12).
func highS(t testing.TB, sig []byte) []byte {
	t.Helper()
	var s secp256k1.ModNScalar
	if s.SetByteSlice(sig[32:64]) {
		t.Fatal("s overflows")
	}
	if s.IsOverHalfOrder() {
		t.Fatal("decred produced a high-S signature")
	}
	s.Negate()
	if !s.IsOverHalfOrder() {
		t.Fatal("n − s is not high")
	}
	out := bytes.Clone(sig)
	sb := s.Bytes()
	copy(out[32:64], sb[:])
	out[64] ^= 1
	return out
}

func TestSecpHighSAccepted(t *testing.T) {
	for seed := byte(1); seed <= 10; seed++ {
		k := newSecpKey(t, seed)
		msg := []byte{seed, 'h', 'i', 'g', 'h'}
		hs := highS(t, k.sign(msg))
		ok, err := VerifySignature(SigTypeSecp256k1, hs, k.addr, msg)
		if err != nil || !ok {
			t.Fatalf("seed %d: high-S rejected: %v, %v", seed, ok, err)
		}
		pub, err := RecoverSecpPublicKey(blake2b.Sum256(msg), [65]byte(hs))
		if err != nil || pub != k.pub {
			t.Fatalf("seed %d: recovered %x, %v", seed, pub, err)
		}
	}
}

func TestSecpRejects(t *testing.T) {
	k1, k2 := newSecpKey(t, 3), newSecpKey(t, 4)
	msg := []byte("the message")
	sig := k1.sign(msg)
	with := func(f func(s []byte)) []byte {
		c := bytes.Clone(sig)
		f(c)
		return c
	}
	order := mustHex(t, secpOrderHex)
	blsAddr := newBLSKey(t, 1).addr

	cases := []struct {
		name   string
		sig    []byte
		signer address.Address
		msg    []byte
	}{
		{"wrong message", sig, k1.addr, []byte("the messagf")},
		{"wrong key", sig, k2.addr, msg},
		{"flipped r bit", with(func(s []byte) { s[5] ^= 0x10 }), k1.addr, msg},
		{"flipped s bit", with(func(s []byte) { s[40] ^= 0x01 }), k1.addr, msg},
		{"other parity", with(func(s []byte) { s[64] ^= 1 }), k1.addr, msg},
		{"recovery id 2", with(func(s []byte) { s[64] = 2 }), k1.addr, msg},
		{"recovery id 4", with(func(s []byte) { s[64] += 4 }), k1.addr, msg},
		{"recovery id 27 (decred style)", with(func(s []byte) { s[64] += 27 }), k1.addr, msg},
		{"r = 0", with(func(s []byte) { clear(s[:32]) }), k1.addr, msg},
		{"s = 0", with(func(s []byte) { clear(s[32:64]) }), k1.addr, msg},
		{"r = n", with(func(s []byte) { copy(s[:32], order) }), k1.addr, msg},
		{"s = n", with(func(s []byte) { copy(s[32:64], order) }), k1.addr, msg},
		{"64 bytes", sig[:64], k1.addr, msg},
		{"66 bytes", append(bytes.Clone(sig), 0), k1.addr, msg},
		{"empty", nil, k1.addr, msg},
		{"all zero", make([]byte, 65), k1.addr, msg},
		{"secp signature against an f3 signer", sig, blsAddr, msg},
		{"v ‖ r ‖ s layout", append([]byte{sig[64] + 27}, sig[:64]...), k1.addr, msg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, err := VerifySignature(SigTypeSecp256k1, c.sig, c.signer, c.msg)
			if err != nil || ok {
				t.Fatalf("got %v, %v; want false, nil", ok, err)
			}
		})
	}
	if ok, err := VerifySignature(SigTypeSecp256k1, sig, k1.addr, msg); !ok || err != nil {
		t.Fatalf("control: %v, %v", ok, err)
	}
}

func TestRecoverSecpErrors(t *testing.T) {
	k := newSecpKey(t, 9)
	digest := blake2b.Sum256([]byte("x"))
	good := k.signDigest(digest)
	order := mustHex(t, secpOrderHex)
	cases := map[string]func(s *[65]byte){
		"recovery id 4":   func(s *[65]byte) { s[64] = 4 },
		"recovery id 255": func(s *[65]byte) { s[64] = 255 },
		"r = 0":           func(s *[65]byte) { clear(s[:32]) },
		"s = 0":           func(s *[65]byte) { clear(s[32:64]) },
		"r = n":           func(s *[65]byte) { copy(s[:32], order) },
		"s = n":           func(s *[65]byte) { copy(s[32:64], order) },
		"r + n ≥ p (id 3)": func(s *[65]byte) {
			s[64] = 3
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			s := good
			mutate(&s)
			pub, err := RecoverSecpPublicKey(digest, s)
			if err == nil {
				t.Fatalf("recovered %x, want an error", pub)
			}
			if !errors.Is(err, errno.New(errno.IllegalArgument, "")) {
				t.Fatalf("error %v is not IllegalArgument", err)
			}
			if pub != ([65]byte{}) {
				t.Fatalf("key bytes returned with an error: %x", pub)
			}
		})
	}
}
