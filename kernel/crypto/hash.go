package fvmcrypto

import (
	"crypto/sha256"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // the FVM supports RIPEMD-160 (0x1053) for the EVM precompile
	"golang.org/x/crypto/sha3"
)

// Multihash codes the crypto.hash syscall supports (fvm-abi.md §3.2; ref-fvm
// fvm/src/kernel/hash.rs SupportedHashes).
const (
	HashSha2_256   uint64 = 0x12
	HashBlake2b256 uint64 = 0xb220
	HashBlake2b512 uint64 = 0xb240
	HashKeccak256  uint64 = 0x1b
	HashRipemd160  uint64 = 0x1053
)

// Hash returns the full digest of data under the multihash code, and false
// for a code the FVM does not support (the kernel answers IllegalArgument).
// Keccak-256 is the original Keccak padding (Ethereum's), not SHA3-256. The
// syscall layer truncates the digest to the actor's buffer.
func Hash(code uint64, data []byte) ([]byte, bool) {
	switch code {
	case HashSha2_256:
		d := sha256.Sum256(data)
		return d[:], true
	case HashBlake2b256:
		d := blake2b.Sum256(data)
		return d[:], true
	case HashBlake2b512:
		d := blake2b.Sum512(data)
		return d[:], true
	case HashKeccak256:
		h := sha3.NewLegacyKeccak256()
		h.Write(data)
		return h.Sum(nil), true
	case HashRipemd160:
		h := ripemd160.New()
		h.Write(data)
		return h.Sum(nil), true
	}
	return nil, false
}

// HashSupported reports whether code is one of the five supported hashes,
// for the v3 ordering where the code is checked before gas is charged
// (fvm-gas.md §2.2 OnHashing).
func HashSupported(code uint64) bool {
	switch code {
	case HashSha2_256, HashBlake2b256, HashBlake2b512, HashKeccak256, HashRipemd160:
		return true
	}
	return false
}
