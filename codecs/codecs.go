package codecs

import (
	"fmt"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Multicodec codes the FVM deals in (fvm-abi.md §4).
const (
	// DagCBOR is the only codec that can link to other blocks.
	DagCBOR uint64 = 0x71
	// CBOR is plain CBOR (registries hold it from FVM v3).
	CBOR uint64 = 0x51
	// Raw is IPLD raw bytes (actor code is raw; registries hold it from FVM v3).
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

// Set is a set of the three codecs a block registry can hold (DAG-CBOR,
// CBOR, raw). Which set applies is a rule of the network version (package
// rules); this package only answers membership. The zero Set holds nothing.
type Set uint8

const (
	setDagCBOR Set = 1 << iota
	setCBOR
	setRaw
)

// SetOf returns the set of the given codecs; codecs other than DAG-CBOR,
// CBOR and raw are ignored (no registry can hold them).
func SetOf(codecs ...uint64) Set {
	var s Set
	for _, c := range codecs {
		s |= bit(c)
	}
	return s
}

func bit(codec uint64) Set {
	switch codec {
	case DagCBOR:
		return setDagCBOR
	case CBOR:
		return setCBOR
	case Raw:
		return setRaw
	}
	return 0
}

// Has reports whether codec is in the set.
func (s Set) Has(codec uint64) bool {
	b := bit(codec)
	return b != 0 && s&b != 0
}

// String lists the set's codecs in hex, e.g. "{0x71 0x51 0x55}".
func (s Set) String() string {
	out := "{"
	for _, c := range []uint64{DagCBOR, CBOR, Raw} {
		if s.Has(c) {
			if len(out) > 1 {
				out += " "
			}
			out += fmt.Sprintf("%#x", c)
		}
	}
	return out + "}"
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
