package fvmcrypto

import (
	"bytes"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Sizes fixed by the crypto syscalls (fvm_shared::crypto::signature).
const (
	SecpSignatureLen   = 65 // r ‖ s ‖ v
	SecpPublicKeyLen   = 65 // 0x04 ‖ X ‖ Y
	SecpMessageHashLen = 32
)

// decred's compact recovery format is v ‖ r ‖ s with v = 27 + recovery id
// (+4 for a compressed key); Filecoin's is r ‖ s ‖ v with v the bare id.
const compactSigMagicOffset = 27

// RecoverSecpPublicKey recovers the uncompressed secp256k1 public key that
// produced sig (r ‖ s ‖ v, v in 0..3) over the 32-byte message hash, as the
// crypto.recover_secp_public_key syscall does (fvm-abi.md §3.2). Any failure
// (recovery id above 3, r or s zero or not below the group order, r not an x
// coordinate, recovered point at infinity) is an IllegalArgument error.
// High-S signatures are accepted, as on mainnet (fvm-abi.md §12).
func RecoverSecpPublicKey(hash [SecpMessageHashLen]byte, sig [SecpSignatureLen]byte) ([SecpPublicKeyLen]byte, error) {
	var out [SecpPublicKeyLen]byte
	v := sig[64]
	if v > 3 {
		// libsecp256k1's RecoveryId::parse accepts 0..3 only; decred would
		// read 4..7 as "compressed" flags, so reject them here.
		return out, errno.New(errno.IllegalArgument, "invalid secp256k1 recovery id %d", v)
	}
	var compact [SecpSignatureLen]byte
	compact[0] = compactSigMagicOffset + v
	copy(compact[1:], sig[:64])
	pub, _, err := ecdsa.RecoverCompact(compact[:], hash[:])
	if err != nil {
		return out, errno.New(errno.IllegalArgument, "public key recovery failed: %v", err)
	}
	copy(out[:], pub.SerializeUncompressed())
	return out, nil
}

// verifySecp256k1 is the secp256k1 half of VerifySignature: any failure is
// simply "invalid".
func verifySecp256k1(sig []byte, signer address.Address, plaintext []byte) bool {
	if signer.Protocol() != address.SECP256K1 || len(sig) != SecpSignatureLen {
		return false
	}
	digest := blake2b.Sum256(plaintext)
	pub, err := RecoverSecpPublicKey(digest, [SecpSignatureLen]byte(sig))
	if err != nil {
		return false
	}
	return bytes.Equal(secpAddressPayload(pub[:]), signer.Payload())
}

// secpAddressPayload is the f1 payload of an uncompressed public key:
// blake2b-160 of its 65 bytes (fvm-abi.md §8.7).
func secpAddressPayload(pub []byte) []byte {
	h, _ := blake2b.New(address.PayloadHashLength, nil) // cannot fail: size 20 and no key are valid
	h.Write(pub)
	return h.Sum(nil)
}
