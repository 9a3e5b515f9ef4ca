package codecs

import (
	"golang.org/x/crypto/blake2b"

	"github.com/ipfs/go-cid"
)

// LinkCid is the CID block_link gives a block: CIDv1(codec,
// blake2b-256(data)) with the full 32-byte digest (fvm-abi.md §3.2
// ipld.block_link). Callers check the requested hash with CheckBlockLink
// first. It allocates once (the CID).
func LinkCid(codec uint64, data []byte) cid.Cid {
	sum := blake2b.Sum256(data)
	out := make([]byte, 0, 1+10+3+1+32)
	out = append(out, 1)
	out = appendUvarint(out, codec)
	out = append(out, 0xa0, 0xe4, 0x02, Blake2b256Len) // varint(0xb220), digest length
	out = append(out, sum[:]...)
	return cidFromString(unsafeString(out))
}
