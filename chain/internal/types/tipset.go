package types

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"
	"golang.org/x/crypto/blake2b"
)

// TipSet is a set of blocks at one height with the same parents, in ticket
// order (chain.md §1.3): the order of the tipset key, of message execution
// and of rewards.
type TipSet struct {
	blocks []*BlockHeader
	cids   []cid.Cid
}

// NewTipSet checks that the blocks share height and parents, that no miner
// has two blocks (chain.md §1.2), and sorts them by ticket. cids[i] must be
// blocks[i]'s CID.
func NewTipSet(blocks []*BlockHeader, cids []cid.Cid) (*TipSet, error) {
	if len(blocks) == 0 {
		return nil, errors.New("a tipset needs at least one block")
	}
	if len(blocks) != len(cids) {
		return nil, errors.New("tipset: one CID per block")
	}
	ts := &TipSet{blocks: append([]*BlockHeader(nil), blocks...), cids: append([]cid.Cid(nil), cids...)}
	first := blocks[0]
	miners := map[string]bool{}
	for _, b := range blocks {
		if b.Height != first.Height {
			return nil, fmt.Errorf("tipset: blocks at heights %d and %d", first.Height, b.Height)
		}
		if !sameCids(b.Parents, first.Parents) {
			return nil, errors.New("tipset: blocks with different parents")
		}
		if b.Ticket == nil {
			return nil, errors.New("tipset: a block has no ticket")
		}
		if miners[b.Miner.String()] {
			return nil, fmt.Errorf("tipset: duplicate miner %s in a tipset", b.Miner)
		}
		miners[b.Miner.String()] = true
	}
	idx := make([]int, len(blocks))
	keys := make([][32]byte, len(blocks))
	for i, b := range blocks {
		idx[i] = i
		keys[i] = blake2b.Sum256(b.Ticket.VRFProof)
	}
	sort.SliceStable(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if c := bytes.Compare(keys[i][:], keys[j][:]); c != 0 {
			return c < 0
		}
		return bytes.Compare(cids[i].Bytes(), cids[j].Bytes()) < 0
	})
	for k, i := range idx {
		ts.blocks[k], ts.cids[k] = blocks[i], cids[i]
	}
	return ts, nil
}

func sameCids(a, b []cid.Cid) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equals(b[i]) {
			return false
		}
	}
	return true
}

// Blocks are the headers in ticket order.
func (ts *TipSet) Blocks() []*BlockHeader { return ts.blocks }

// Cids are the block CIDs in ticket order: the tipset key.
func (ts *TipSet) Cids() []cid.Cid { return ts.cids }

// Height is the tipset's epoch.
func (ts *TipSet) Height() abi.ChainEpoch { return ts.blocks[0].Height }

// Parents is the parent tipset's key.
func (ts *TipSet) Parents() []cid.Cid { return ts.blocks[0].Parents }

// ParentState is the state root the tipset's messages apply to.
func (ts *TipSet) ParentState() cid.Cid { return ts.blocks[0].ParentStateRoot }

// MinTicketBlock is the block with the smallest ticket: the first.
func (ts *TipSet) MinTicketBlock() *BlockHeader { return ts.blocks[0] }

// MinTimestamp is the smallest block timestamp (chain.md §1.3).
func (ts *TipSet) MinTimestamp() uint64 {
	m := ts.blocks[0].Timestamp
	for _, b := range ts.blocks[1:] {
		if b.Timestamp < m {
			m = b.Timestamp
		}
	}
	return m
}

// Key is the tipset key's CID (chain.md §2.4).
func (ts *TipSet) Key() (cid.Cid, error) { return KeyCid(ts.cids) }

// KeyCid is the CID of a tipset key: DAG-CBOR blake2b-256 of one CBOR byte
// string holding the concatenated binary block CIDs, in tipset order
// (chain.md §2.4).
func KeyCid(cids []cid.Cid) (cid.Cid, error) {
	var cat []byte
	for _, c := range cids {
		cat = append(cat, c.Bytes()...)
	}
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	if err := writeBytes(w, cat); err != nil {
		return cid.Undef, err
	}
	return abi.CidBuilder.Sum(buf.Bytes())
}

// KeyString is a printable tipset key.
func KeyString(cids []cid.Cid) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range cids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.String())
	}
	b.WriteByte('}')
	return b.String()
}

// tipSetJSON is Lotus's ExpTipSet shape (chain.md §3.2).
type tipSetJSON struct {
	Cids   []cid.Cid
	Blocks []*BlockHeader
	Height abi.ChainEpoch
}

// MarshalJSON writes {Cids, Blocks, Height}.
func (ts *TipSet) MarshalJSON() ([]byte, error) {
	return json.Marshal(tipSetJSON{Cids: ts.cids, Blocks: ts.blocks, Height: ts.Height()})
}

// UnmarshalJSON reads {Cids, Blocks, Height} and re-sorts through NewTipSet,
// as Lotus does (chain.md §1.3). The CIDs are recomputed from the headers.
func (ts *TipSet) UnmarshalJSON(b []byte) error {
	var j tipSetJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	cids := make([]cid.Cid, len(j.Blocks))
	for i, h := range j.Blocks {
		if h == nil {
			return errors.New("tipset: null block")
		}
		c, err := h.Cid()
		if err != nil {
			return err
		}
		cids[i] = c
	}
	t, err := NewTipSet(j.Blocks, cids)
	if err != nil {
		return err
	}
	*ts = *t
	return nil
}
