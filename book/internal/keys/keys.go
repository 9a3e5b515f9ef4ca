// Package keys makes the book's signing keys: secp256k1 (f1) and BLS (f3)
// keys derived from a seed, and signatures the kernel's verifier accepts
// (fvm-abi.md §3.2 crypto.verify_signature): secp256k1 over the blake2b-256
// digest as r ‖ s ‖ v, BLS as the IETF "NUL" scheme over G2 with public keys
// in G1.
package keys

import (
	"crypto/sha256"
	"fmt"
	"math/big"

	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/crypto"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/sha3"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// Key is a private key with its Filecoin address.
type Key struct {
	Type    crypto.SigType
	Address address.Address
	secp    *secp256k1.PrivateKey
	bls     *big.Int
}

// seedBytes derives 32 key bytes from a label, so that every run of the book
// makes the same keys.
func seedBytes(kind, label string) [32]byte {
	return sha256.Sum256([]byte("gofvm book key/" + kind + "/" + label))
}

// Secp256k1 derives a secp256k1 key from label.
func Secp256k1(label string) *Key {
	b := seedBytes("secp256k1", label)
	k := secp256k1.PrivKeyFromBytes(b[:])
	a, err := address.NewSecp256k1Address(k.PubKey().SerializeUncompressed())
	if err != nil {
		panic(err) // a 65-byte key always hashes
	}
	return &Key{Type: crypto.SigTypeSecp256k1, Address: a, secp: k}
}

// BLS derives a BLS key from label: the secret is the seed reduced into the
// scalar field (never zero for the labels used; checked).
func BLS(label string) *Key {
	b := seedBytes("bls", label)
	sk := new(big.Int).SetBytes(b[:])
	sk.Mod(sk, fr.Modulus())
	if sk.Sign() == 0 {
		panic("keys: zero BLS secret")
	}
	var pk bls12381.G1Affine
	pk.ScalarMultiplicationBase(sk)
	pkb := pk.Bytes()
	a, err := address.NewBLSAddress(pkb[:])
	if err != nil {
		panic(err)
	}
	return &Key{Type: crypto.SigTypeBLS, Address: a, bls: sk}
}

// Sign signs data the way the verifier checks it.
func (k *Key) Sign(data []byte) (*crypto.Signature, error) {
	switch k.Type {
	case crypto.SigTypeSecp256k1:
		digest := blake2b.Sum256(data)
		compact := ecdsa.SignCompact(k.secp, digest[:], false) // v ‖ r ‖ s, v = 27 + id
		sig := make([]byte, 65)
		copy(sig, compact[1:])
		sig[64] = compact[0] - 27
		return &crypto.Signature{Type: k.Type, Data: sig}, nil
	case crypto.SigTypeBLS:
		h, err := bls12381.HashToG2(data, []byte(fvmcrypto.BLSDomainSeparationTag))
		if err != nil {
			return nil, err
		}
		var s bls12381.G2Affine
		s.ScalarMultiplication(&h, k.bls)
		sb := s.Bytes()
		return &crypto.Signature{Type: k.Type, Data: sb[:]}, nil
	}
	return nil, fmt.Errorf("keys: cannot sign with type %d", k.Type)
}

// EthAddress is the Ethereum address of a secp256k1 key: the last 20 bytes
// of keccak-256 over the uncompressed public key without its 0x04 prefix.
func (k *Key) EthAddress() ([20]byte, error) {
	var out [20]byte
	if k.Type != crypto.SigTypeSecp256k1 {
		return out, fmt.Errorf("keys: %s is not a secp256k1 key", k.Address)
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(k.secp.PubKey().SerializeUncompressed()[1:])
	copy(out[:], h.Sum(nil)[12:])
	return out, nil
}

// F410 is the f4 address in the EAM's namespace (10) of an Ethereum address.
func F410(eth [20]byte) address.Address {
	a, err := address.NewDelegatedAddress(10, eth[:])
	if err != nil {
		panic(err) // 20 bytes always fit
	}
	return a
}
