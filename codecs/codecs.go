package codecs

import (
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Multicodec codes the FVM deals in (fvm-abi.md §4).
const (
	// DagCBOR is the only codec that can link to other blocks.
	DagCBOR uint64 = 0x71
	// CBOR is plain CBOR; allowed in registries from nv18.
	CBOR uint64 = 0x51
	// Raw is IPLD raw bytes (actor code is raw); allowed in registries from nv18.
	Raw uint64 = 0x55
	// Identity is the identity multihash: the "digest" is the block itself.
	Identity uint64 = 0x00
	// Blake2b256 is the only multihash block_link may produce (with a 32-byte digest).
	Blake2b256 uint64 = 0xb220
	// FilCommitmentUnsealed and FilCommitmentSealed are piece/sector commitments:
	// their "blocks" are not part of the state, so traversals ignore them.
	FilCommitmentUnsealed uint64 = 0xf101
	FilCommitmentSealed   uint64 = 0xf102
)

const (
	// Blake2b256Len is the only digest length block_link accepts.
	Blake2b256Len = 32
	// MaxDigestLen is the largest multihash digest a CID may carry (the
	// reference's Cid is generic over 64 bytes).
	MaxDigestLen = 64
	// MaxCidLen is the largest binary CID the memory helpers write (fvm-abi.md §1.4),
	// and the largest tag-42 byte string the flush scanner accepts (§4.3).
	MaxCidLen = 100
)

// AllowedInRegistry reports whether a block of codec may enter a block
// registry under network version nv (fvm-abi.md §4.1): FVM v2 (nv ≤ 17) takes
// DAG-CBOR only; FVM v3 (nv ≥ 18) takes CBOR, DAG-CBOR and raw.
func AllowedInRegistry(nv network.Version, codec uint64) bool {
	if nv < network.Version18 {
		return codec == DagCBOR
	}
	return codec == DagCBOR || codec == CBOR || codec == Raw
}

// CheckBlockLink validates the multihash block_link is asked to produce
// (fvm-abi.md §3.2 ipld.block_link): only blake2b-256 with its full 32-byte
// digest; anything else is IllegalCid.
func CheckBlockLink(hashFun uint64, hashLen uint32) error {
	if hashFun != Blake2b256 {
		return errno.New(errno.IllegalCid, "unsupported hash function %#x", hashFun)
	}
	if hashLen != Blake2b256Len {
		return errno.New(errno.IllegalCid, "invalid hash length %d", hashLen)
	}
	return nil
}
