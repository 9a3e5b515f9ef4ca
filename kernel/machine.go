package kernel

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
)

// Blockstore is what the machine reads state from and writes blocks to: the
// buffered blockstore of package blocks, or any IPLD blockstore.
type Blockstore = cbor.IpldBlockstore

// flusher is implemented by buffered blockstores: Flush copies what root
// reaches to the backing store (fvm-abi.md §4.3).
type flusher interface {
	Flush(ctx context.Context, root cid.Cid) error
}

// Machine is the state of one tipset's execution: immutable settings, the
// network version's rules, the state tree, the manifest and the engine
// (fvm-abi.md §8.1). Apply messages to it through an Executor; it is not safe
// for concurrent use.
type Machine struct {
	cfg   config
	rules *rules.Rules
	bs    Blockstore
	st    *stateTree
	// prices is the version's price list (kernel/gas), charged from directly.
	prices   *gas.PriceList
	manifest *actors.Manifest
	// The codes the kernel itself creates or recognises (preflight, sends).
	accountCode, placeholderCode, ethAccountCode cid.Cid
	emptyArr                                     cid.Cid
}

// ErrUnsupportedNetworkVersion is returned for the versions NewMachine does
// not run.
var ErrUnsupportedNetworkVersion = errors.New("unsupported network version")

// NewMachine loads the state tree at root and the builtin-actors manifest
// from the system actor (fvm-abi.md §8.1) and applies the rules of network
// version nv (package rules).
func NewMachine(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version, opts ...Option) (*Machine, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedNetworkVersion, err)
	}
	return newMachine(ctx, bs, root, r, opts...)
}

// newMachine builds a machine for any rules (tests build some with modified
// rules); NewMachine offers every version package rules knows.
func newMachine(ctx context.Context, bs Blockstore, root cid.Cid, r *rules.Rules, opts ...Option) (*Machine, error) {
	nv := r.NetworkVersion
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	switch cfg.reachability {
	case ReachabilityCompat, ReachabilityStrict, ReachabilityAudit:
	default:
		return nil, fmt.Errorf("reachability mode %s is not an option (compat, strict or audit; from nv21 FIP-0071 is consensus)",
			cfg.reachability)
	}
	m := &Machine{cfg: cfg, rules: r, prices: r.Prices, bs: bs}
	empty, err := emptyArrayBlock()
	if err != nil {
		return nil, err
	}
	m.emptyArr = empty.Cid()
	if r.EmptyArrayAtStart { // fvm-abi.md §8.1
		if err := bs.Put(ctx, empty); err != nil {
			return nil, fmt.Errorf("storing the empty array: %w", err)
		}
	}
	if m.st, err = actors.LoadStateTree(ctx, cbor.NewCborStore(bs), root, nv); err != nil {
		return nil, err
	}
	if m.manifest, err = actors.ManifestFromState(m.st); err != nil {
		return nil, err
	}
	m.accountCode, _ = m.manifest.CodeByName("account")
	m.placeholderCode, _ = m.manifest.CodeByName("placeholder")
	m.ethAccountCode, _ = m.manifest.CodeByName("ethaccount")
	if cfg.engine != nil {
		// The reference compiles every manifest code up front (v2 at machine
		// creation, v3 at executor creation): missing code is a machine
		// error, not a message failure (fvm-abi.md §8.1).
		for _, e := range m.manifest.Entries() {
			blk, err := bs.Get(ctx, e.Code)
			if err != nil {
				return nil, fmt.Errorf("builtin actor code %s: %w", e.Code, err)
			}
			if _, err := cfg.engine.Load(ctx, e.Code, blk.RawData(), nv); err != nil {
				return nil, fmt.Errorf("loading builtin actor code %s: %w", e.Code, err)
			}
		}
	}
	return m, nil
}

// emptyArrayBlock is the DAG-CBOR block 0x80 (blake2b-256), the state of
// every freshly created actor (fvm-abi.md §8.4).
func emptyArrayBlock() (blocks.Block, error) {
	data := []byte{0x80}
	c, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

func (m *Machine) newEmptyActor(code cid.Cid) *ActorState {
	return &ActorState{Code: code, Head: m.emptyArr, Balance: big.Zero()}
}

// NetworkVersion is the machine's network version.
func (m *Machine) NetworkVersion() network.Version { return m.rules.NetworkVersion }

// Rules are the rules of the machine's network version.
func (m *Machine) Rules() *rules.Rules { return m.rules }

// Reachability is the reachability the machine enforces: ReachabilityConsensus
// from nv21 (rules.Rules.Reachability), else the WithReachability option.
func (m *Machine) Reachability() ReachabilityMode {
	if m.rules.Reachability {
		return ReachabilityConsensus
	}
	return m.cfg.reachability
}

// Epoch is the epoch messages are applied at.
func (m *Machine) Epoch() abi.ChainEpoch { return m.cfg.epoch }

// Flush writes the state tree and returns the new state root; a buffered
// blockstore then persists what that root reaches. It must not be called
// while a message is being applied.
func (m *Machine) Flush(ctx context.Context) (cid.Cid, error) {
	root, err := m.st.Flush()
	if err != nil {
		return cid.Undef, err
	}
	if f, ok := m.bs.(flusher); ok {
		if err := f.Flush(ctx, root); err != nil {
			return cid.Undef, fmt.Errorf("flushing blockstore: %w", err)
		}
	}
	return root, nil
}
