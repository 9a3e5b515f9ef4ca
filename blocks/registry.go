package blocks

import (
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// Block is an IPLD block as an invocation holds it: a codec, immutable bytes
// and, from nv21, its link list (fvm-abi.md §4.1, fvm-abi-next.md §4.1).
type Block struct {
	Codec uint64
	Data  []byte
	// Links are the CIDs FIP-0071's scan found in the block when it entered
	// the system (block_open, block_create), in order, with duplicates,
	// identity-inlined links expanded and commitment CIDs dropped
	// (codecs.AppendReachable). They travel with the block to a callee or a
	// caller, whose reachable set gains them. Nil before nv21, where nothing
	// is scanned, and for blocks without links (top-level params).
	Links []cid.Cid
}

// Size is the block's length as block_stat reports it (a u32; blocks never
// come near 4 GiB).
func (b Block) Size() uint32 { return uint32(len(b.Data)) }

// Stat is what block_stat returns: codec and size.
type Stat struct {
	Codec uint64
	Size  uint32
}

// NoBlock is the reserved id meaning "no block" (no params, no return value).
const NoBlock uint32 = 0

// MaxBlocks is how many blocks one registry holds (2^31 − 1; fvm-abi.md §4.1).
const MaxBlocks = 1<<31 - 1

// Registry is the block registry of one actor invocation: ids from 1,
// assigned in order, never reused (fvm-abi.md §4.1).
//
// Ownership: Put stores b.Data as given, without copying. The caller hands
// over a slice nobody will modify again: block_create copies out of wasm
// memory before calling Put; block_open passes the blockstore's immutable
// bytes; a send passes the caller's block, which is immutable too. Get
// returns the stored slice; callers must not modify it (copy into wasm
// memory, never out of it).
//
// A Registry is not safe for concurrent use; one invocation runs on one
// goroutine. The zero Registry holds no codec; use NewRegistry.
type Registry struct {
	codecs codecs.Set
	blocks []Block
	max    uint32
	inline [8]Block // most invocations hold a handful of blocks
}

// NewRegistry returns an empty registry that holds blocks of the given codecs
// (the network version's rule, fvm-abi.md §4.1).
func NewRegistry(allowed codecs.Set) *Registry {
	r := &Registry{codecs: allowed, max: MaxBlocks}
	r.blocks = r.inline[:0]
	return r
}

// Reset empties the registry for reuse by another invocation that holds
// blocks of the allowed codecs. It keeps a moderate amount of capacity and drops references to
// the old blocks so they can be collected.
func (r *Registry) Reset(allowed codecs.Set) {
	clear(r.blocks)
	if cap(r.blocks) > 1<<12 {
		r.blocks = r.inline[:0]
	} else {
		r.blocks = r.blocks[:0]
	}
	r.codecs = allowed
}

// Put adds a block and returns its id. A full registry is LimitExceeded,
// checked before the codec: a codec outside the registry's set is
// IllegalCodec (fvm-abi.md §4.1; ref-fvm kernel/blocks.rs BlockRegistry::put).
func (r *Registry) Put(b Block) (uint32, error) {
	max := r.max
	if max == 0 { // the zero Registry
		max = MaxBlocks
	}
	if uint32(len(r.blocks)) >= max {
		return 0, errno.New(errno.LimitExceeded, "too many blocks have been written")
	}
	if !r.codecs.Has(b.Codec) {
		return 0, errno.New(errno.IllegalCodec, "invalid or forbidden ipld codec %#x", b.Codec)
	}
	r.blocks = append(r.blocks, b)
	return uint32(len(r.blocks)), nil
}

// Get returns block id. Id 0 and unassigned ids are InvalidHandle.
func (r *Registry) Get(id uint32) (Block, error) {
	if id == NoBlock || uint64(id) > uint64(len(r.blocks)) {
		return Block{}, errno.New(errno.InvalidHandle, "block handle %d does not exist, or is illegal", id)
	}
	return r.blocks[id-1], nil
}

// Stat returns the codec and size of block id (InvalidHandle as for Get).
func (r *Registry) Stat(id uint32) (Stat, error) {
	b, err := r.Get(id)
	if err != nil {
		return Stat{}, err
	}
	return Stat{Codec: b.Codec, Size: b.Size()}, nil
}

// Len is the number of blocks held; the last id assigned.
func (r *Registry) Len() int { return len(r.blocks) }

// Codecs is the set of codecs Put accepts.
func (r *Registry) Codecs() codecs.Set { return r.codecs }
