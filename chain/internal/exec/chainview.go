package exec

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/amt0"
	"github.com/gofvm/gofvm/chain/internal/types"
)

// LoadTipSet reads the headers of a tipset key from bs (each one verified
// by the store against its CID) and makes the tipset.
func LoadTipSet(ctx context.Context, bs Blockstore, key []cid.Cid) (*types.TipSet, error) {
	if len(key) == 0 {
		return nil, errors.New("empty tipset key")
	}
	hs := make([]*types.BlockHeader, len(key))
	for i, c := range key {
		blk, err := bs.Get(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("block header %s: %w", c, err)
		}
		if hs[i], err = types.DecodeBlockHeader(blk.RawData()); err != nil {
			return nil, fmt.Errorf("block header %s: %w", c, err)
		}
	}
	ts, err := types.NewTipSet(hs, key)
	if err != nil {
		return nil, fmt.Errorf("tipset %s: %w", types.KeyString(key), err)
	}
	return ts, nil
}

// BlockMessages reads one block's messages in MsgMeta order: the BLS list,
// then the secp list (chain.md §1.5), with no selection applied.
func BlockMessages(ctx context.Context, bs Blockstore, h *types.BlockHeader) ([]*types.ChainMessage, error) {
	blk, err := bs.Get(ctx, h.Messages)
	if err != nil {
		return nil, fmt.Errorf("MsgMeta %s: %w", h.Messages, err)
	}
	meta, err := types.DecodeMsgMeta(blk.RawData())
	if err != nil {
		return nil, fmt.Errorf("MsgMeta %s: %w", h.Messages, err)
	}
	var out []*types.ChainMessage
	for _, list := range []struct {
		root   cid.Cid
		signed bool
	}{{meta.BlsMessages, false}, {meta.SecpkMessages, true}} {
		_, vals, err := amt0.Read(ctx, bs, list.root)
		if err != nil {
			return nil, fmt.Errorf("message list %s: %w", list.root, err)
		}
		for _, v := range vals {
			c, err := types.DecodeCidValue(v)
			if err != nil {
				return nil, fmt.Errorf("message list %s: %w", list.root, err)
			}
			mb, err := bs.Get(ctx, c)
			if err != nil {
				return nil, fmt.Errorf("message %s: %w", c, err)
			}
			var m *types.ChainMessage
			if list.signed {
				m, err = types.SignedChainMessage(mb.RawData())
			} else {
				m, err = types.BLSChainMessage(mb.RawData())
			}
			if err != nil {
				return nil, fmt.Errorf("message %s: %w", c, err)
			}
			if !m.Cid.Equals(c) {
				return nil, fmt.Errorf("message %s: re-encodes to %s", c, m.Cid)
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// ChainView answers "which tipset is at height h" on one tipset's chain by
// walking parent links (every header verified), remembering what it saw. It
// is safe for concurrent use.
type ChainView struct {
	bs   Blockstore
	head *types.TipSet

	mu       sync.Mutex
	byHeight map[abi.ChainEpoch]*types.TipSet // non-null tipsets seen
	lowest   *types.TipSet                    // the earliest tipset walked to
}

// NewChainView anchors a view at head.
func NewChainView(bs Blockstore, head *types.TipSet) *ChainView {
	return &ChainView{bs: bs, head: head, lowest: head,
		byHeight: map[abi.ChainEpoch]*types.TipSet{head.Height(): head}}
}

// Head is the anchor.
func (v *ChainView) Head() *types.TipSet { return v.head }

// Parent is the parent tipset of ts.
func (v *ChainView) Parent(ctx context.Context, ts *types.TipSet) (*types.TipSet, error) {
	return LoadTipSet(ctx, v.bs, ts.Parents())
}

// At is the tipset at height h on the anchor's chain; when h is a null
// round it is the previous non-null tipset if prev, else the next one
// (Lotus's GetTipsetByHeight, chain.md §2.2, §2.4). h must not be above the
// anchor; heights below genesis give genesis.
func (v *ChainView) At(ctx context.Context, h abi.ChainEpoch, prev bool) (*types.TipSet, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if h > v.head.Height() {
		return nil, fmt.Errorf("height %d is above the anchor at %d", h, v.head.Height())
	}
	if h < 0 {
		h = 0
	}
	for v.lowest.Height() > h {
		if len(v.lowest.Parents()) == 0 || v.lowest.Height() == 0 {
			break // genesis
		}
		p, err := LoadTipSet(ctx, v.bs, v.lowest.Parents())
		if err != nil {
			return nil, err
		}
		if p.Height() >= v.lowest.Height() {
			return nil, fmt.Errorf("tipset at %d has a parent at %d", v.lowest.Height(), p.Height())
		}
		v.byHeight[p.Height()] = p
		v.lowest = p
	}
	if ts, ok := v.byHeight[h]; ok {
		return ts, nil
	}
	// h is a null round (or below the lowest tipset): find the neighbours.
	var below, above *types.TipSet
	for height, ts := range v.byHeight {
		if height < h && (below == nil || height > below.Height()) {
			below = ts
		}
		if height > h && (above == nil || height < above.Height()) {
			above = ts
		}
	}
	if prev {
		if below == nil {
			return nil, fmt.Errorf("no tipset at or below height %d", h)
		}
		return below, nil
	}
	if above == nil {
		return nil, fmt.Errorf("no tipset at or above height %d", h)
	}
	return above, nil
}
