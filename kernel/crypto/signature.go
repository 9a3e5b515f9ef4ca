package fvmcrypto

import (
	"fmt"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Signature types as the crypto.verify_signature syscall numbers them
// (fvm_shared SignatureType, fvm-abi.md §3.2).
const (
	SigTypeSecp256k1 int32 = 1
	SigTypeBLS       int32 = 2
)

// VerifySignature checks sig over plaintext against the key address signer.
//
// It answers (true, nil) for a valid signature and (false, nil) for an
// invalid one; a malformed signature, a signature of the other type than the
// signer's key, or a wrong length is "invalid", not an error (fvm-abi.md
// §3.2). It returns an IllegalArgument error only for an unknown signature
// type or a signer that is not an f1/f3 key address: the kernel resolves
// other addresses (v2) or rejects them (v3) before calling in.
//
// secp256k1: the signature is r ‖ s ‖ v (65 bytes, recovery id last), the
// digest is blake2b-256(plaintext), the recovered uncompressed key hashed
// with blake2b-160 must equal the f1 payload, and high-S signatures are
// accepted (fvm-abi.md §12). BLS: minimal-pubkey-size scheme, compressed G1
// keys (the f3 payload, 48 bytes), compressed G2 signatures (96 bytes),
// hash-to-curve with BLSDomainSeparationTag.
func VerifySignature(sigType int32, sig []byte, signer address.Address, plaintext []byte) (ok bool, err error) {
	if sigType != SigTypeSecp256k1 && sigType != SigTypeBLS {
		return false, errno.New(errno.IllegalArgument, "unknown signature type %d", sigType)
	}
	// address.Undef has protocol Unknown, so it fails here too.
	if proto := signer.Protocol(); proto != address.SECP256K1 && proto != address.BLS {
		return false, errno.New(errno.IllegalArgument, "signer %s is not a key address", signerString(signer))
	}
	// The reference catches a panic in the signature libraries and turns it
	// into IllegalArgument (fvm-abi.md §3.2); do the same so that a bug in a
	// dependency cannot take the machine down.
	defer func() {
		if r := recover(); r != nil {
			ok, err = false, errno.New(errno.IllegalArgument, "signature verification panicked: %v", r)
		}
	}()
	if sigType == SigTypeSecp256k1 {
		return verifySecp256k1(sig, signer, plaintext), nil
	}
	return verifyBLS(sig, signer, plaintext), nil
}

func signerString(a address.Address) string {
	if a == address.Undef {
		return "<undef>"
	}
	return fmt.Sprintf("%s (protocol %d)", a, a.Protocol())
}
