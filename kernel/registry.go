package kernel

import (
	fvmblocks "github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/codecs"
)

// block is an immutable (codec, bytes) pair.
type block = fvmblocks.Block

// blockRegistry is the per-invocation block table of package blocks: ids
// from 1, 0 = none, never reused, holding the codecs of the version's rules
// (Rules.RegistryCodecs, fvm-abi.md §4.1).
type blockRegistry struct {
	*fvmblocks.Registry
}

func newBlockRegistry(allowed codecs.Set) *blockRegistry {
	return &blockRegistry{fvmblocks.NewRegistry(allowed)}
}

func (r *blockRegistry) put(b block) (uint32, error) { return r.Put(b) }

func (r *blockRegistry) get(id uint32) (*block, error) {
	b, err := r.Get(id)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// full reports whether no further block fits (send checks it before calling).
func (r *blockRegistry) full() bool { return r.Len() >= fvmblocks.MaxBlocks }
