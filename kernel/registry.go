package kernel

import "github.com/gofvm/gofvm/kernel/errno"

// Codecs a block may carry (fvm-abi.md §4.1).
const (
	codecCBOR    uint64 = 0x51
	codecDagCBOR uint64 = 0x71
	codecRaw     uint64 = 0x55
)

// block is an immutable (codec, bytes) pair.
type block struct {
	codec uint64
	data  []byte
}

// blockRegistry is the per-invocation block table: ids from 1, 0 = none,
// never reused (fvm-abi.md §4.1). It stays here until package blocks exports
// its registry.
type blockRegistry struct {
	blocks []block
	v3     bool
}

const maxBlocks = 1<<31 - 1

func newBlockRegistry(v3 bool) *blockRegistry { return &blockRegistry{v3: v3} }

// put checks fullness, then the codec (v2 DAG-CBOR only; v3 CBOR, DAG-CBOR, raw).
func (r *blockRegistry) put(b block) (uint32, error) {
	if len(r.blocks) >= maxBlocks {
		return 0, errno.New(errno.LimitExceeded, "too many blocks")
	}
	ok := b.codec == codecDagCBOR
	if r.v3 {
		ok = ok || b.codec == codecCBOR || b.codec == codecRaw
	}
	if !ok {
		return 0, errno.New(errno.IllegalCodec, "codec %#x not allowed", b.codec)
	}
	r.blocks = append(r.blocks, b)
	return uint32(len(r.blocks)), nil
}

func (r *blockRegistry) get(id uint32) (*block, error) {
	if id == 0 || int(id) > len(r.blocks) {
		return nil, errno.New(errno.InvalidHandle, "no block %d", id)
	}
	return &r.blocks[id-1], nil
}
