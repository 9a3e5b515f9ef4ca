package chaintest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/chain/internal/amt0"
	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
)

// MemStore is a concurrency-safe in-memory blockstore.
type MemStore struct {
	mu sync.RWMutex
	m  map[cid.Cid][]byte
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore { return &MemStore{m: map[cid.Cid][]byte{}} }

// Get returns a block or ipld.ErrNotFound.
func (s *MemStore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	s.mu.RLock()
	d, ok := s.m[c]
	s.mu.RUnlock()
	if !ok {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	return blocks.NewBlockWithCid(d, c)
}

// Put stores a block.
func (s *MemStore) Put(_ context.Context, b blocks.Block) error {
	s.mu.Lock()
	s.m[b.Cid()] = b.RawData()
	s.mu.Unlock()
	return nil
}

// Raw returns a block's bytes.
func (s *MemStore) Raw(c cid.Cid) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.m[c]
	return d, ok
}

// Options configure a test chain.
type Options struct {
	// UpgradeHeight is where nv17 ends: the tipset at it runs nv17, the
	// migration runs after its cron, and nv18 starts at the next epoch.
	UpgradeHeight abi.ChainEpoch
	// GenesisTimestamp of the genesis block (default 1,600,000,000).
	GenesisTimestamp uint64
	// QuicknetHeight is where the beacon switches from a 30 s drand network
	// to a 3 s one (the quicknet switch of chain.md §2.3); 0 = never.
	QuicknetHeight abi.ChainEpoch
	// Engine runs the actors (nil: a new interpreter engine).
	Engine kernel.Engine
}

// Chain is a test chain: every block, message, receipt and state in one
// store, the tipsets in height order, and the execution of every tipset
// that has a child.
type Chain struct {
	Net         *exec.Network
	GenesisTime uint64
	Store       *MemStore
	Genesis     *types.TipSet
	engine      kernel.Engine

	mu      sync.Mutex
	tipsets []*types.TipSet
	msgs    map[string][][]*types.ChainMessage // by tipset key string
	results map[string]*exec.Result            // execution of a tipset, by key
	// applied maps a message's chain CID to the tipset it was applied in.
	applied map[cid.Cid]*types.TipSet
}

// Drand networks of the test chain (periods of mainnet's two, §2.3).
func drandSchedule(genesis uint64, quicknet abi.ChainEpoch) []exec.DrandPoint {
	d := []exec.DrandPoint{{Start: 0, Name: "test-chained", GenesisTime: genesis - 3000, Period: 30}}
	if quicknet > 0 {
		d = append(d, exec.DrandPoint{Start: quicknet, Name: "test-quicknet", GenesisTime: genesis - 600, Period: 3})
	}
	return d
}

// Network is the test chain's network: nv17 up to upgrade, then nv18 with
// Migrate; its own circulating-supply rule (Supply); chain id 314.
func Network(upgrade, quicknet abi.ChainEpoch, genesis uint64) *exec.Network {
	return &exec.Network{
		Name:         "gofvm-testchain",
		FirstVersion: network.Version17,
		Upgrades: []exec.Upgrade{{Height: upgrade, Network: network.Version18, Name: "testchain-nv18",
			Migration: Migrate}},
		BlockDelay:           30,
		ChainID:              314,
		Drand:                drandSchedule(genesis, quicknet),
		PremiumBaseFeeHeight: -1,
		Supply:               Supply,
	}
}

// New builds the genesis.
func New(ctx context.Context, o Options) (*Chain, error) {
	if o.GenesisTimestamp == 0 {
		o.GenesisTimestamp = 1_600_000_000
	}
	if o.UpgradeHeight <= 0 {
		o.UpgradeHeight = 10
	}
	if o.Engine == nil {
		var err error
		if o.Engine, err = NewEngine(ctx); err != nil {
			return nil, err
		}
	}
	c := &Chain{Net: Network(o.UpgradeHeight, o.QuicknetHeight, o.GenesisTimestamp), GenesisTime: o.GenesisTimestamp,
		Store: NewMemStore(), engine: o.Engine, msgs: map[string][][]*types.ChainMessage{},
		results: map[string]*exec.Result{}, applied: map[cid.Cid]*types.TipSet{}}
	b, err := NewBundle(network.Version17)
	if err != nil {
		return nil, err
	}
	root, err := genesisState(ctx, c.Store, b)
	if err != nil {
		return nil, err
	}
	receipts, err := amt0.Build(ctx, c.Store, nil)
	if err != nil {
		return nil, err
	}
	meta, err := c.putMsgMeta(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	h := &types.BlockHeader{Miner: MinerAddr(0), Ticket: &types.Ticket{VRFProof: []byte("genesis")},
		ParentWeight: big.Zero(), Height: 0, ParentStateRoot: root, ParentMessageReceipts: receipts, Messages: meta,
		Timestamp: o.GenesisTimestamp, ParentBaseFee: big.NewInt(exec.MinimumBaseFee)}
	ts, err := c.putTipSet(ctx, []*types.BlockHeader{h})
	if err != nil {
		return nil, err
	}
	c.Genesis = ts
	c.tipsets = []*types.TipSet{ts}
	c.msgs[keyOf(ts)] = [][]*types.ChainMessage{nil}
	return c, nil
}

func keyOf(ts *types.TipSet) string { return types.KeyString(ts.Cids()) }

// BlockSpec describes one block to mine.
type BlockSpec struct {
	Miner    int // 0, 1 or 2
	WinCount int64
	// BLS messages are stored unsigned; Secp ones signed with a (never
	// checked) 65-byte secp256k1 signature.
	BLS, Secp []*kernel.Message
}

// Head is the newest tipset.
func (c *Chain) Head() *types.TipSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tipsets[len(c.tipsets)-1]
}

// TipSets are the chain's tipsets in height order, genesis first.
func (c *Chain) TipSets() []*types.TipSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*types.TipSet(nil), c.tipsets...)
}

// Result is the execution of ts (known once a child is mined).
func (c *Chain) Result(ts *types.TipSet) *exec.Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.results[keyOf(ts)]
}

// Messages are ts's messages per block, before selection.
func (c *Chain) Messages(ts *types.TipSet) [][]*types.ChainMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.msgs[keyOf(ts)]
}

// AppliedIn is the tipset a message (by chain CID) was applied in.
func (c *Chain) AppliedIn(m cid.Cid) (*types.TipSet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts, ok := c.applied[m]
	return ts, ok
}

// Execute applies ts with the test network (what mining a child does).
func (c *Chain) Execute(ctx context.Context, ts *types.TipSet, trace bool) (*exec.Result, error) {
	parentEpoch := abi.ChainEpoch(0)
	if ts.Height() > 0 {
		p, err := exec.LoadTipSet(ctx, c.Store, ts.Parents())
		if err != nil {
			return nil, err
		}
		parentEpoch = p.Height()
	}
	return exec.ApplyTipSet(ctx, c.Store, exec.Input{TipSet: ts, ParentEpoch: parentEpoch,
		Messages: c.Messages(ts), View: exec.NewChainView(c.Store, ts)},
		exec.Options{Network: c.Net, GenesisTimestamp: c.GenesisTime, Engine: c.engine,
			Reachability: kernel.ReachabilityCompat, Trace: trace})
}

// Mine executes the head, then makes a tipset at height (above the head;
// the epochs between are null rounds) from blocks, whose headers carry the
// head's execution results.
func (c *Chain) Mine(ctx context.Context, height abi.ChainEpoch, specs ...BlockSpec) (*types.TipSet, error) {
	head := c.Head()
	if height <= head.Height() {
		return nil, fmt.Errorf("chaintest: height %d is not above the head at %d", height, head.Height())
	}
	if len(specs) == 0 {
		return nil, errors.New("chaintest: a tipset needs a block")
	}
	root, receipts := head.ParentState(), head.Blocks()[0].ParentMessageReceipts
	if head.Height() > 0 {
		res, err := c.Execute(ctx, head, false)
		if err != nil {
			return nil, fmt.Errorf("chaintest: executing the head at %d: %w", head.Height(), err)
		}
		root, receipts = res.StateRoot, res.ReceiptsRoot
		c.mu.Lock()
		c.results[keyOf(head)] = res
		for _, a := range res.Messages {
			c.applied[a.Cid] = head
		}
		c.mu.Unlock()
	}
	baseFee := big.NewInt(exec.MinimumBaseFee)
	if head.Height() > 0 {
		baseFee = c.Net.NextBaseFee(head, c.Messages(head))
	}
	nv := c.Net.VersionAt(height)
	d := c.Net.Drand[0]
	for _, p := range c.Net.Drand {
		if p.Start <= height {
			d = p
		}
	}
	round := exec.MaxBeaconRound(nv, height, c.GenesisTime, c.Net.BlockDelay, d)
	beacon := []types.BeaconEntry{{Round: round, Data: beaconData(d.Name, round)}}

	var hs []*types.BlockHeader
	var all [][]*types.ChainMessage
	for _, s := range specs {
		var cms []*types.ChainMessage
		var blsCids, secpCids []cid.Cid
		for _, m := range s.BLS {
			raw, err := m.Bytes()
			if err != nil {
				return nil, err
			}
			cm, err := types.BLSChainMessage(raw)
			if err != nil {
				return nil, err
			}
			if err := c.putRaw(ctx, cm.Cid, raw); err != nil {
				return nil, err
			}
			blsCids = append(blsCids, cm.Cid)
			cms = append(cms, cm)
		}
		for _, m := range s.Secp {
			sm := &types.SignedMessage{Message: *m, Signature: crypto.Signature{Type: crypto.SigTypeSecp256k1,
				Data: bytes.Repeat([]byte{0x5a}, 65)}}
			var buf bytes.Buffer
			if err := sm.MarshalCBOR(&buf); err != nil {
				return nil, err
			}
			cm, err := types.SignedChainMessage(buf.Bytes())
			if err != nil {
				return nil, err
			}
			if err := c.putRaw(ctx, cm.Cid, buf.Bytes()); err != nil {
				return nil, err
			}
			secpCids = append(secpCids, cm.Cid)
			cms = append(cms, cm)
		}
		meta, err := c.putMsgMeta(ctx, blsCids, secpCids)
		if err != nil {
			return nil, err
		}
		var hb [8]byte
		binary.BigEndian.PutUint64(hb[:], uint64(height))
		ticket := blake2b.Sum256(append(append([]byte("ticket"), hb[:]...), byte(s.Miner)))
		hs = append(hs, &types.BlockHeader{
			Miner: MinerAddr(s.Miner), Ticket: &types.Ticket{VRFProof: ticket[:]},
			ElectionProof: &types.ElectionProof{WinCount: s.WinCount, VRFProof: []byte{byte(s.Miner)}},
			BeaconEntries: beacon, Parents: head.Cids(), ParentWeight: big.NewInt(int64(height)),
			Height: height, ParentStateRoot: root, ParentMessageReceipts: receipts, Messages: meta,
			BLSAggregate:  &crypto.Signature{Type: crypto.SigTypeBLS, Data: make([]byte, 96)},
			Timestamp:     c.GenesisTime + c.Net.BlockDelay*uint64(height),
			BlockSig:      &crypto.Signature{Type: crypto.SigTypeBLS, Data: make([]byte, 96)},
			ParentBaseFee: baseFee,
		})
		all = append(all, cms)
	}
	ts, err := c.putTipSet(ctx, hs)
	if err != nil {
		return nil, err
	}
	// Messages per block in the tipset's (ticket) order.
	ordered := make([][]*types.ChainMessage, len(hs))
	for i, h := range hs {
		for j, b := range ts.Blocks() {
			if b == h {
				ordered[j] = all[i]
			}
		}
	}
	c.mu.Lock()
	c.tipsets = append(c.tipsets, ts)
	c.msgs[keyOf(ts)] = ordered
	c.mu.Unlock()
	return ts, nil
}

func beaconData(name string, round uint64) []byte {
	var rb [8]byte
	binary.BigEndian.PutUint64(rb[:], round)
	d := blake2b.Sum256(append([]byte("beacon "+name), rb[:]...))
	return d[:]
}

func (c *Chain) putRaw(ctx context.Context, want cid.Cid, raw []byte) error {
	blk, err := blocks.NewBlockWithCid(raw, want)
	if err != nil {
		return err
	}
	return c.Store.Put(ctx, blk)
}

func (c *Chain) putMsgMeta(ctx context.Context, bls, secp []cid.Cid) (cid.Cid, error) {
	var roots [2]cid.Cid
	for i, list := range [][]cid.Cid{bls, secp} {
		vals := make([][]byte, len(list))
		for j, m := range list {
			var buf bytes.Buffer
			if err := cborCid(&buf, m); err != nil {
				return cid.Undef, err
			}
			vals[j] = buf.Bytes()
		}
		r, err := amt0.Build(ctx, c.Store, vals)
		if err != nil {
			return cid.Undef, err
		}
		roots[i] = r
	}
	meta := &types.MsgMeta{BlsMessages: roots[0], SecpkMessages: roots[1]}
	var buf bytes.Buffer
	if err := meta.MarshalCBOR(&buf); err != nil {
		return cid.Undef, err
	}
	return putRaw(ctx, c.Store, buf.Bytes())
}

func (c *Chain) putTipSet(ctx context.Context, hs []*types.BlockHeader) (*types.TipSet, error) {
	cids := make([]cid.Cid, len(hs))
	for i, h := range hs {
		raw, err := h.Bytes()
		if err != nil {
			return nil, err
		}
		if cids[i], err = putRaw(ctx, c.Store, raw); err != nil {
			return nil, err
		}
	}
	return types.NewTipSet(hs, cids)
}
