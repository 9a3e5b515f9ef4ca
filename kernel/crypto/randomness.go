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
// (fvm-abi.md §3.2 rand; conformance.md §1.5). The vectors' randomness
// entries hold the raw digest, so the kernel always derives the value itself.
func DeriveRandomness(domainTag int64, digest [32]byte, round int64, entropy []byte) [32]byte {
	h, _ := blake2b.New256(nil) // cannot fail without a key
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(domainTag))
	h.Write(buf[:])
	h.Write(digest[:])
	binary.BigEndian.PutUint64(buf[:], uint64(round))
	h.Write(buf[:])
	h.Write(entropy)
	var out [32]byte
	h.Sum(out[:0])
	return out
}
