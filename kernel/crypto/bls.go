package fvmcrypto

import (
	bls12381 "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/filecoin-project/go-address"
)

// BLSDomainSeparationTag is the hash-to-curve DST of Filecoin BLS signatures:
// the IETF BLS "basic" (NUL) scheme over G2 with SHA-256 XMD and SSWU, as in
// filecoin-project/bls-signatures src/signature.rs (CSUITE).
const BLSDomainSeparationTag = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_"

// Sizes of compressed BLS12-381 points.
const (
	BLSPublicKeyLen = 48 // compressed G1
	BLSSignatureLen = 96 // compressed G2
)

var blsDST = []byte(BLSDomainSeparationTag)

// negG1Gen is −g1, so that e(pk, H(m)) == e(g1, sig) becomes the single
// product check e(pk, H(m)) · e(−g1, sig) == 1.
var negG1Gen = func() bls12381.G1Affine {
	_, _, g1, _ := bls12381.Generators()
	var n bls12381.G1Affine
	n.Neg(&g1)
	return n
}()

// verifyBLS is the BLS half of VerifySignature. It follows bls-signatures'
// verify_messages for one message: both points must decode (canonical
// compressed encoding, on the curve, in the prime-order subgroup), the
// identity public key never verifies, and then e(pk, H(m)) == e(g1, sig).
func verifyBLS(sig []byte, signer address.Address, plaintext []byte) bool {
	if signer.Protocol() != address.BLS || len(sig) != BLSSignatureLen {
		return false
	}
	pkBytes := signer.Payload()
	if len(pkBytes) != BLSPublicKeyLen {
		return false
	}
	pk, ok := decodeG1(pkBytes)
	if !ok || pk.IsInfinity() {
		return false
	}
	s, ok := decodeG2(sig)
	if !ok || s.IsInfinity() {
		// e(pk, H(m)) is never 1 for a non-identity key, so the identity
		// signature is invalid; say so without a pairing.
		return false
	}
	h, err := bls12381.HashToG2(plaintext, blsDST)
	if err != nil {
		return false
	}
	valid, err := bls12381.PairingCheck(
		[]bls12381.G1Affine{pk, negG1Gen},
		[]bls12381.G2Affine{h, s},
	)
	return err == nil && valid
}

// decodeG1 accepts only the 48-byte compressed form (the compression flag set).
func decodeG1(b []byte) (bls12381.G1Affine, bool) {
	var p bls12381.G1Affine
	if len(b) != BLSPublicKeyLen || b[0]&0x80 == 0 {
		return p, false
	}
	n, err := p.SetBytes(b)
	return p, err == nil && n == BLSPublicKeyLen
}

// decodeG2 accepts only the 96-byte compressed form (the compression flag set).
func decodeG2(b []byte) (bls12381.G2Affine, bool) {
	var p bls12381.G2Affine
	if len(b) != BLSSignatureLen || b[0]&0x80 == 0 {
		return p, false
	}
	n, err := p.SetBytes(b)
	return p, err == nil && n == BLSSignatureLen
}

// VerifyBLSAggregate checks an aggregate signature over one plaintext per
// public key, as crypto.verify_bls_aggregate does (FIP-0079, fvm-abi-next.md
// §3.3 step 8): no signers is valid; otherwise the signature and every key
// must decode, no key may be the identity, the plaintexts must be pairwise
// distinct (the rogue-key countermeasure of the BLS aggregate scheme), and
// e(g1, sig) must equal the product of e(pk_i, H(m_i)). Anything else is
// simply invalid.
func VerifyBLSAggregate(sig []byte, pubKeys, plaintexts [][]byte) bool {
	if len(pubKeys) != len(plaintexts) {
		return false
	}
	if len(pubKeys) == 0 {
		return true
	}
	s, ok := decodeG2(sig)
	if !ok {
		return false
	}
	g1s := make([]bls12381.G1Affine, 0, len(pubKeys)+1)
	g2s := make([]bls12381.G2Affine, 0, len(pubKeys)+1)
	for _, b := range pubKeys {
		pk, ok := decodeG1(b)
		if !ok || pk.IsInfinity() {
			return false
		}
		g1s = append(g1s, pk)
	}
	seen := make(map[string]struct{}, len(plaintexts))
	for _, m := range plaintexts {
		if _, dup := seen[string(m)]; dup {
			return false
		}
		seen[string(m)] = struct{}{}
		h, err := bls12381.HashToG2(m, blsDST)
		if err != nil {
			return false
		}
		g2s = append(g2s, h)
	}
	valid, err := bls12381.PairingCheck(append(g1s, negG1Gen), append(g2s, s))
	return err == nil && valid
}
