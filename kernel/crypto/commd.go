package fvmcrypto

import (
	"crypto/sha256"
	"math/bits"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The CID prefix of every data (CommD) and piece (CommP) commitment
// (fvm_shared::commcid): codec fil-commitment-unsealed, multihash
// sha2-256-trunc254-padded, 32-byte digest.
const (
	FilCommitmentUnsealed  uint64 = 0xf101
	Sha2_256Trunc254Padded uint64 = 0x1012
)

const (
	minPieceSize  = 128 // padded bytes: four 32-byte nodes
	maxSectorLog2 = 36  // 64 GiB, the largest sector of the known seal proofs
)

// zeroComms[k] is the commitment of 128·2^k zero bytes (a zero piece), for
// every size a sector can need. Each level hashes the one below with itself,
// as rust-fil-proofs' zero_padding does; the test compares the table with the
// published one in go-commp-utils/zerocomm.
var zeroComms = func() (t [maxSectorLog2 - 6][32]byte) {
	var z [32]byte        // a 32-byte node of zeros
	z = pieceHash(&z, &z) // 64 bytes
	for i := range t {
		z = pieceHash(&z, &z)
		t[i] = z
	}
	return t
}()

// pieceHash is the node hash of piece and sector trees: sha256 of the two
// children with the top two bits of the last byte cleared, so that the node
// is a BLS12-381 scalar (254 bits).
func pieceHash(left, right *[32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], left[:])
	copy(buf[32:], right[:])
	d := sha256.Sum256(buf[:])
	d[31] &= 0x3f
	return d
}

func zeroComm(size uint64) [32]byte {
	return zeroComms[bits.TrailingZeros64(size)-7]
}

// SealProofSectorSize is the sector size of the seal proof types FVM v2 and
// v3 know (fvm_shared RegisteredSealProof: 0..4 StackedDRG V1, 5..9 V1_1).
// Later types (synthetic PoRep, NI-PoRep) did not exist at nv17/nv18.
func SealProofSectorSize(p abi.RegisteredSealProof) (uint64, bool) {
	if p < 0 || p > 9 {
		return 0, false
	}
	return [...]uint64{2 << 10, 8 << 20, 512 << 20, 32 << 30, 64 << 30}[p%5], true
}

// commFrame is a subtree on the reduction stack: its padded size and root.
type commFrame struct {
	size uint64
	comm [32]byte
}

// commStack folds pieces, laid out left to right, into the sector tree root.
// It holds the binary decomposition of the bytes pushed so far, largest
// first; pushing a subtree of the same size as the top merges the two.
type commStack []commFrame

func (s *commStack) push(f commFrame) {
	st := append(*s, f)
	for n := len(st); n >= 2 && st[n-2].size == st[n-1].size; n = len(st) {
		st[n-2] = commFrame{size: 2 * st[n-2].size, comm: pieceHash(&st[n-2].comm, &st[n-1].comm)}
		st = st[:n-1]
	}
	*s = st
}

// pad pushes the zero pieces that bring used up to a multiple of align,
// smallest first (ref-fvm get_required_padding: the set bits of −used mod
// align). align is a power of two ≥ 128 and used a multiple of 128.
func (s *commStack) pad(used, align uint64) uint64 {
	toFill := (-used) & (align - 1)
	for toFill != 0 {
		p := toFill & -toFill
		s.push(commFrame{size: p, comm: zeroComm(p)})
		toFill ^= p
		used += p
	}
	return used
}

// ComputeUnsealedSectorCID computes the unsealed sector commitment CommD of a
// sector of the given seal proof type holding pieces in order, as the
// crypto.compute_unsealed_sector_cid syscall does (fvm-abi.md §3.2): every
// piece is preceded by the zero pieces that align it to its own size, the
// rest of the sector is filled with zero pieces, and the tree root is
// returned as a fil-commitment-unsealed CID. No pieces gives the commitment
// of an all-zero sector.
//
// Errors (all IllegalArgument, as the reference maps them): a seal proof
// type other than 0..9; a piece size that is not a power of two ≥ 128; a
// piece CID that is not a v1 piece commitment; pieces that do not fit the
// sector once aligned. The reference reaches the same verdict through
// panics and rust-fil-proofs checks; for sizes that are not powers of two ≥
// 128 it may also misbehave rather than fail cleanly, which builtin actors
// never trigger (the market actor validates piece sizes first).
func ComputeUnsealedSectorCID(proofType abi.RegisteredSealProof, pieces []abi.PieceInfo) (cid.Cid, error) {
	sectorSize, ok := SealProofSectorSize(proofType)
	if !ok {
		return cid.Undef, errno.New(errno.IllegalArgument, "invalid seal proof type %d", proofType)
	}
	if len(pieces) == 0 {
		return commitmentCID(zeroComm(sectorSize)), nil
	}
	stack := make(commStack, 0, bits.TrailingZeros64(sectorSize)+1)
	var used uint64
	for i, p := range pieces {
		size := uint64(p.Size)
		if size < minPieceSize || size&(size-1) != 0 {
			return cid.Undef, errno.New(errno.IllegalArgument, "piece %d: size %d is not a power of two ≥ 128", i, size)
		}
		if size > sectorSize {
			return cid.Undef, errno.New(errno.IllegalArgument, "piece %d: size %d exceeds the sector size %d", i, size, sectorSize)
		}
		comm, err := PieceCommitment(p.PieceCID)
		if err != nil {
			return cid.Undef, errno.New(errno.IllegalArgument, "piece %d: %v", i, err)
		}
		used = stack.pad(used, size)
		if used+size > sectorSize {
			return cid.Undef, errno.New(errno.IllegalArgument, "pieces exceed the sector size %d", sectorSize)
		}
		stack.push(commFrame{size: size, comm: comm})
		used += size
	}
	stack.pad(used, sectorSize)
	if len(stack) != 1 || stack[0].size != sectorSize {
		// Unreachable: aligned pieces that fit always fold to one root.
		return cid.Undef, errno.New(errno.IllegalArgument, "pieces do not fold into one sector tree")
	}
	return commitmentCID(stack[0].comm), nil
}

// PieceCommitment extracts the 32-byte commitment from a piece (or data)
// commitment CID, with fvm_shared::commcid's checks: codec
// fil-commitment-unsealed, multihash sha2-256-trunc254-padded, 32 bytes.
func PieceCommitment(c cid.Cid) ([32]byte, error) {
	var comm [32]byte
	if !c.Defined() {
		return comm, errno.New(errno.IllegalArgument, "undefined piece CID")
	}
	if c.Prefix().Codec != FilCommitmentUnsealed {
		return comm, errno.New(errno.IllegalArgument, "piece CID codec %#x is not fil-commitment-unsealed", c.Prefix().Codec)
	}
	dmh, err := multihash.Decode(c.Hash())
	if err != nil {
		return comm, errno.New(errno.IllegalArgument, "piece CID multihash: %v", err)
	}
	if dmh.Code != Sha2_256Trunc254Padded {
		return comm, errno.New(errno.IllegalArgument, "piece CID hash %#x is not sha2-256-trunc254-padded", dmh.Code)
	}
	if len(dmh.Digest) != 32 {
		return comm, errno.New(errno.IllegalArgument, "piece commitment is %d bytes, not 32", len(dmh.Digest))
	}
	copy(comm[:], dmh.Digest)
	return comm, nil
}

// commitmentCID wraps a 32-byte data commitment as a CID.
func commitmentCID(comm [32]byte) cid.Cid {
	mh, _ := multihash.Encode(comm[:], Sha2_256Trunc254Padded) // cannot fail for a 32-byte digest
	return cid.NewCidV1(FilCommitmentUnsealed, mh)
}
