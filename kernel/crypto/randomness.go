package fvmcrypto

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"
)

// DeriveRandomness turns a raw chain (ticket) or beacon digest into the value
// rand.get_chain_randomness / get_beacon_randomness return:
//
//	blake2b-256( tag as i64 BE ‖ digest ‖ round as i64 BE ‖ entropy )
//
// (fvm-abi.md §3.2 rand; conformance.md §1.5; ref-fvm release/v2
// default.rs draw_randomness). The vectors' randomness entries hold the raw
// digest, so the kernel always derives the value itself.
func DeriveRandomness(domainTag int64, digest [32]byte, round int64, entropy []byte) [32]byte {
	// Actors pass short entropy (an address, a CBOR'd epoch); keep the
	// preimage on the stack for those.
	var stack [256]byte
	pre := stack[:0]
	if n := 8 + 32 + 8 + len(entropy); n > len(stack) {
		pre = make([]byte, 0, n)
	}
	pre = binary.BigEndian.AppendUint64(pre, uint64(domainTag))
	pre = append(pre, digest[:]...)
	pre = binary.BigEndian.AppendUint64(pre, uint64(round))
	pre = append(pre, entropy...)
	return blake2b.Sum256(pre)
}
