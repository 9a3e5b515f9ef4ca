package kernel

import (
	"bytes"
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
	cbg "github.com/whyrusleeping/cbor-gen"

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
// state tree, the manifest and the engine (fvm-abi.md §8.1). Apply messages
// to it through an Executor; it is not safe for concurrent use.
type Machine struct {
	cfg    config
	nv     network.Version
	rules  *rules.Rules
	v3     bool
	bs     Blockstore
	st     *stateTree
	prices *prices
	// gasPrices is kernel/gas's list for nv; the syscall wrapper reads OnSyscall from it.
	gasPrices *gas.PriceList
	manifest  *builtinManifest
	emptyArr  cid.Cid
}

// ErrUnsupportedNetworkVersion is returned for versions other than 17 and 18.
var ErrUnsupportedNetworkVersion = errors.New("unsupported network version")

// NewMachine loads the state tree at root and the builtin-actors manifest
// from the system actor (fvm-abi.md §8.1). Only nv17 (FVM v2 semantics) and
// nv18 (FVM v3) are supported.
func NewMachine(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version, opts ...Option) (*Machine, error) {
	if nv != network.Version17 && nv != network.Version18 {
		return nil, fmt.Errorf("%w: %d", ErrUnsupportedNetworkVersion, nv)
	}
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	r, err := rules.For(nv)
	if err != nil {
		return nil, err
	}
	m := &Machine{cfg: cfg, nv: nv, rules: r, v3: r.Engine >= rules.FVMv3, bs: bs}
	m.gasPrices = r.Prices
	m.prices = pricesFor(m.gasPrices)
	empty, err := emptyArrayBlock()
	if err != nil {
		return nil, err
	}
	m.emptyArr = empty.Cid()
	if m.v3 { // v3 writes the empty-array block at start (fvm-abi.md §8.1)
		if err := bs.Put(ctx, empty); err != nil {
			return nil, fmt.Errorf("storing the empty array: %w", err)
		}
	}
	if m.st, err = actors.LoadStateTree(ctx, cbor.NewCborStore(bs), root, nv); err != nil {
		return nil, err
	}
	if m.manifest, err = loadManifest(ctx, bs, m.st, m.v3); err != nil {
		return nil, err
	}
	if cfg.engine != nil {
		// The reference compiles every manifest code up front (v2 at machine
		// creation, v3 at executor creation): missing code is a machine
		// error, not a message failure (fvm-abi.md §8.1).
		for _, code := range m.manifest.codes {
			blk, err := bs.Get(ctx, code)
			if err != nil {
				return nil, fmt.Errorf("builtin actor code %s: %w", code, err)
			}
			if _, err := cfg.engine.Load(ctx, code, blk.RawData(), nv); err != nil {
				return nil, fmt.Errorf("loading builtin actor code %s: %w", code, err)
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
func (m *Machine) NetworkVersion() network.Version { return m.nv }

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

// builtinManifest maps builtin-actor names, type ids and code CIDs (type id =
// 1-based position in the manifest, fvm-abi.md §8.1).
type builtinManifest struct {
	codes       []cid.Cid // index = type id − 1
	byCode      map[cid.Cid]int32
	byName      map[string]cid.Cid
	account     cid.Cid
	placeholder cid.Cid // v3
	ethAccount  cid.Cid // v3
}

func loadManifest(ctx context.Context, bs Blockstore, st *stateTree, v3 bool) (*builtinManifest, error) {
	sys, err := st.GetActor(systemActorID)
	if err != nil {
		return nil, err
	}
	if sys == nil {
		return nil, errors.New("manifest: system actor missing")
	}
	blk, err := bs.Get(ctx, sys.Head)
	if err != nil {
		return nil, fmt.Errorf("manifest: system actor state: %w", err)
	}
	r := cbg.NewCborReader(bytes.NewReader(blk.RawData()))
	if maj, n, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || n < 1 {
		return nil, errors.New("manifest: system actor state is not [builtin_actors, ...]")
	}
	dataCid, err := cbg.ReadCid(r)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	blk, err = bs.Get(ctx, dataCid)
	if err != nil {
		return nil, fmt.Errorf("manifest data %s: %w", dataCid, err)
	}
	return parseManifestData(blk.RawData(), v3)
}

// parseManifestData reads [[name, code], ...].
func parseManifestData(data []byte, v3 bool) (*builtinManifest, error) {
	r := cbg.NewCborReader(bytes.NewReader(data))
	maj, n, err := r.ReadHeader()
	if err != nil || maj != cbg.MajArray || n > 1024 {
		return nil, errors.New("manifest: data is not an array")
	}
	m := &builtinManifest{byCode: map[cid.Cid]int32{}, byName: map[string]cid.Cid{}}
	for i := uint64(0); i < n; i++ {
		if maj, l, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || l != 2 {
			return nil, errors.New("manifest: entry is not a pair")
		}
		name, err := cbg.ReadStringWithMax(r, 256)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		code, err := cbg.ReadCid(r)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		m.codes = append(m.codes, code)
		m.byCode[code] = int32(i + 1)
		m.byName[name] = code
	}
	required := []string{"account", "system", "init"}
	if v3 {
		required = append(required, "placeholder", "eam", "ethaccount")
	}
	for _, name := range required {
		if _, ok := m.byName[name]; !ok {
			return nil, fmt.Errorf("manifest: no %q actor", name)
		}
	}
	m.account, m.placeholder, m.ethAccount = m.byName["account"], m.byName["placeholder"], m.byName["ethaccount"]
	return m, nil
}

// typeOf is the builtin type id of code (0 = not builtin).
func (b *builtinManifest) typeOf(code cid.Cid) int32 { return b.byCode[code] }

// isSingleton reports the v2 singleton types: system, init, reward, cron,
// storagepower, storagemarket, verifiedregistry (fvm-abi.md §3.2).
func (b *builtinManifest) isSingleton(code cid.Cid) bool {
	for _, name := range []string{"system", "init", "reward", "cron", "storagepower", "storagemarket", "verifiedregistry"} {
		if c, ok := b.byName[name]; ok && c == code {
			return true
		}
	}
	return false
}
