package testactors

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	init10 "github.com/filecoin-project/go-state-types/builtin/v10/init"
	"github.com/filecoin-project/go-state-types/builtin/v10/util/adt"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	ipld "github.com/ipfs/go-ipld-format"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/rules"
)

// Well-known ids (fvm-abi.md §8.6) and the genesis's own actors.
const (
	SystemID     abi.ActorID = 0
	InitID       abi.ActorID = 1
	RewardID     abi.ActorID = 2
	BurntFundsID abi.ActorID = 99
	AliceID      abi.ActorID = 100 // f1 account
	BobID        abi.ActorID = 101 // f1 account
	CarolID      abi.ActorID = 102 // f3 account
	Tester1ID    abi.ActorID = 103
	Tester2ID    abi.ActorID = 104
	TinyID       abi.ActorID = 105
	BadPtrID     abi.ActorID = 106
	ChargeID     abi.ActorID = 107
	RetBlkID     abi.ActorID = 108
	ExitDataID   abi.ActorID = 109
	// PlaceholderID is, on the FVM v3 line only, a placeholder actor with an f410
	// (EAM namespace) delegated address, nonce 0 and a balance: a valid
	// message sender that preflight turns into an ethaccount (fvm-abi.md §7.1).
	PlaceholderID abi.ActorID = 110
	// DestructID runs the destruct module (self_destruct to Bob; on FVM v4
	// self_destruct with burn, FIP-0073). It has no
	// robust address and sits below the account range, so the init actor's
	// next id is unchanged.
	DestructID abi.ActorID = 90
	// AvailID (FVM v3 and v4) runs the avail module: returns gas.available.
	AvailID abi.ActorID = 91
	// SealerID, PostV1P1ID and PostMixedID (FVM v2 and v3) run the sealer,
	// postv1p1 and postmixed modules; TipsetID and LeakerID (FVM v3 only) the tipset and
	// leaker ones (the leaker knows its own id, f096). Like DestructID they
	// have no robust address.
	SealerID    abi.ActorID = 92
	PostV1P1ID  abi.ActorID = 93
	PostMixedID abi.ActorID = 94
	TipsetID    abi.ActorID = 95
	LeakerID    abi.ActorID = 96
	// FVM v4 only, below the account range as well: the probe (one syscall
	// with the arguments its params give), a module without invoke, and the
	// one-syscall modules of the new rules' hand-computed scenarios (wat/).
	ProbeID     abi.ActorID = 80
	NoInvokeID  abi.ActorID = 81
	EventID     abi.ActorID = 82
	EventCBORID abi.ActorID = 83
	RandID      abi.ActorID = 84
	BLSID       abi.ActorID = 85
	SealsID     abi.ActorID = 86
	AggSealsID  abi.ActorID = 87
	PoStID      abi.ActorID = 88
	// ReachID and Reach2ID (FVM v3 and v4) run the reach script actor
	// (FIP-0071 at the message level, reach.go); ReachID's state is the
	// empty array, Reach2ID's is ReachState's S = [A, B].
	ReachID  abi.ActorID = 78
	Reach2ID abi.ActorID = 79
	// RootOpenID (FVM v4 only) runs rootopen_v4 (FIP-0071's root rule,
	// hand gas).
	RootOpenID abi.ActorID = 77
)

// EAMNamespace is the EAM actor's id, the f4 namespace of Ethereum addresses.
const EAMNamespace = 10

// Genesis balances in attoFIL.
var (
	AccountBalance = big.Mul(big.NewInt(1000), big.NewInt(1e18)) // 1000 FIL
	TesterBalance  = big.NewInt(1_000_000)
)

// NetworkName is the init actor's network name.
const NetworkName = "gofvm-testactors"

// Genesis is a state tree over the test bundle.
type Genesis struct {
	NV     network.Version
	Bundle *Bundle
	Root   cid.Cid
	Store  *MemStore // every block: bundle, state, actor states
	// Key and robust addresses of the genesis actors.
	Alice, Bob, Carol                                                  address.Address // f1, f1, f3
	Tester1, Tester2, TinyF2, BadPtrF2, ChargeF2, RetBlkF2, ExitDataF2 address.Address // f2
	// Delegated is the placeholder's f410 address (FVM v3; Undef on v2).
	Delegated address.Address
}

// NextID is the init actor's next_id in the genesis: the id the first
// created actor gets.
func (g *Genesis) NextID() abi.ActorID {
	if abiV3(g.NV) {
		return PlaceholderID + 1
	}
	return PlaceholderID
}

// EthAddress derives a deterministic f410 address (EAM namespace, 20-byte
// sub-address) from a seed.
func EthAddress(seed byte) address.Address {
	a, err := address.NewDelegatedAddress(EAMNamespace, bytes.Repeat([]byte{seed}, 20))
	if err != nil {
		panic(err)
	}
	return a
}

// KeyAddress derives a deterministic secp256k1 (f1) address from a seed: the
// payload is blake2b-160 of a fixed 65-byte "public key" (no signature is
// ever checked in these tests).
func KeyAddress(seed byte) address.Address {
	pk := bytes.Repeat([]byte{seed}, 65)
	pk[0] = 4
	a, err := address.NewSecp256k1Address(pk)
	if err != nil {
		panic(err) // a 65-byte key always hashes
	}
	return a
}

// BLSAddress derives a deterministic BLS (f3) address from a seed.
func BLSAddress(seed byte) address.Address {
	a, err := address.NewBLSAddress(bytes.Repeat([]byte{seed}, 48))
	if err != nil {
		panic(err)
	}
	return a
}

func robust(seed byte) address.Address {
	a, err := address.NewActorAddress([]byte{'g', 'o', 'f', 'v', 'm', seed})
	if err != nil {
		panic(err)
	}
	return a
}

// NewGenesis builds the genesis for nv (16–28) with the StateRoot version
// its rules create: v4 on the FVM v2 line, v5 on v3 and v4.
func NewGenesis(ctx context.Context, nv network.Version) (*Genesis, error) {
	b, err := NewBundle(nv)
	if err != nil {
		return nil, err
	}
	g := &Genesis{NV: nv, Bundle: b, Store: NewMemStore(),
		Alice: KeyAddress(1), Bob: KeyAddress(2), Carol: BLSAddress(3),
		Tester1: robust(1), Tester2: robust(2), TinyF2: robust(3), BadPtrF2: robust(4), ChargeF2: robust(5), RetBlkF2: robust(6), ExitDataF2: robust(7)}
	for _, blk := range b.Blocks {
		_ = g.Store.Put(ctx, blk)
	}
	cs := cbor.NewCborStore(g.Store)

	// init: address map of every non-singleton, next_id = FirstUnusedID.
	ist, err := init10.ConstructState(adt.WrapStore(ctx, cs), NetworkName)
	if err != nil {
		return nil, err
	}
	for i, a := range g.addresses() {
		id, err := ist.MapAddressToNewID(adt.WrapStore(ctx, cs), a)
		if err != nil {
			return nil, err
		}
		if want, _ := address.NewIDAddress(uint64(AliceID) + uint64(i)); id != want {
			return nil, fmt.Errorf("testactors: %s got %s, want %s", a, id, want)
		}
	}
	if abiV3(nv) {
		g.Delegated = EthAddress(7)
		if _, err := ist.MapAddressToNewID(adt.WrapStore(ctx, cs), g.Delegated); err != nil {
			return nil, err
		}
	}
	initHead, err := cs.Put(ctx, ist)
	if err != nil {
		return nil, err
	}
	sysHead, err := g.putTuple(ctx, func(w *cbg.CborWriter) error { return cbg.WriteCid(w, b.Data) })
	if err != nil {
		return nil, err
	}
	empty, err := actors.PutEmptyArray(ctx, cs)
	if err != nil {
		return nil, err
	}
	accountState := func(a address.Address) (cid.Cid, error) {
		return g.putTuple(ctx, func(w *cbg.CborWriter) error { return a.MarshalCBOR(w) })
	}

	st, err := actors.NewStateTree(ctx, cs, nv)
	if err != nil {
		return nil, err
	}
	set := func(id abi.ActorID, code string, head cid.Cid, bal abi.TokenAmount) error {
		return st.SetActor(id, &actors.Actor{Code: b.Codes[code], Head: head, Balance: bal})
	}
	if err := set(SystemID, System, sysHead, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(InitID, Init, initHead, big.Zero()); err != nil {
		return nil, err
	}
	// reward and burnt funds only receive funds here; they run no code.
	if err := set(RewardID, System, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(BurntFundsID, Account, empty, big.Zero()); err != nil {
		return nil, err
	}
	for _, acc := range []struct {
		id abi.ActorID
		a  address.Address
	}{{AliceID, g.Alice}, {BobID, g.Bob}, {CarolID, g.Carol}} {
		head, err := accountState(acc.a)
		if err != nil {
			return nil, err
		}
		if err := set(acc.id, Account, head, AccountBalance); err != nil {
			return nil, err
		}
	}
	if err := set(Tester1ID, Tester, empty, TesterBalance); err != nil {
		return nil, err
	}
	if err := set(Tester2ID, Tester, empty, TesterBalance); err != nil {
		return nil, err
	}
	if err := set(TinyID, Tiny, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(BadPtrID, BadPtr, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(ChargeID, Charge, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(RetBlkID, RetBlk, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(ExitDataID, ExitData, empty, big.Zero()); err != nil {
		return nil, err
	}
	if err := set(DestructID, Destruct, empty, TesterBalance); err != nil {
		return nil, err
	}
	if line(nv) <= rules.FVMv3 {
		for _, a := range []struct {
			id   abi.ActorID
			code string
		}{{SealerID, Sealer}, {PostV1P1ID, PostV1P1}, {PostMixedID, PostMixed}} {
			if err := set(a.id, a.code, empty, big.Zero()); err != nil {
				return nil, err
			}
		}
	}
	if abiV3(nv) {
		if err := set(AvailID, Avail, empty, big.Zero()); err != nil {
			return nil, err
		}
		if line(nv) == rules.FVMv3 {
			if err := set(TipsetID, Tipset, empty, big.Zero()); err != nil {
				return nil, err
			}
			if err := set(LeakerID, Leaker, empty, big.Zero()); err != nil {
				return nil, err
			}
		}
		if err := set(ReachID, Reach, empty, big.Zero()); err != nil {
			return nil, err
		}
		s := ReachState()
		for _, blk := range s.Blocks {
			if err := g.Store.Put(ctx, blk); err != nil {
				return nil, err
			}
		}
		if err := set(Reach2ID, Reach, s.S, big.Zero()); err != nil {
			return nil, err
		}
		if line(nv) == rules.FVMv4 {
			for _, a := range []struct {
				id   abi.ActorID
				name string
				bal  abi.TokenAmount
			}{{ProbeID, Probe, TesterBalance}, {NoInvokeID, NoInvoke, big.Zero()}, {EventID, Event, big.Zero()},
				{EventCBORID, EventCBOR, big.Zero()}, {RandID, Rand, big.Zero()}, {BLSID, BLS, big.Zero()},
				{SealsID, Seals, big.Zero()}, {AggSealsID, AggSeals, big.Zero()}, {PoStID, PoSt, big.Zero()},
				{RootOpenID, RootOpen, big.Zero()}} {
				if err := set(a.id, a.name, empty, a.bal); err != nil {
					return nil, err
				}
			}
		}
		d := g.Delegated
		if err := st.SetActor(PlaceholderID, &actors.Actor{Code: b.Codes[Placeholder], Head: empty,
			Balance: AccountBalance, DelegatedAddress: &d}); err != nil {
			return nil, err
		}
	}
	if g.Root, err = st.Flush(); err != nil {
		return nil, err
	}
	return g, nil
}

// putTuple stores the DAG-CBOR 1-tuple [field].
func (g *Genesis) putTuple(ctx context.Context, field func(*cbg.CborWriter) error) (cid.Cid, error) {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 1)
	if err := field(w); err != nil {
		return cid.Undef, err
	}
	blk, err := newBlock(cid.DagCBOR, buf.Bytes())
	if err != nil {
		return cid.Undef, err
	}
	return blk.Cid(), g.Store.Put(ctx, blk)
}

// MemStore is a concurrency-safe in-memory blockstore.
type MemStore struct {
	mu sync.RWMutex
	m  map[cid.Cid]blocks.Block
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore { return &MemStore{m: map[cid.Cid]blocks.Block{}} }

// Get returns a block or ipld.ErrNotFound.
func (s *MemStore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b, ok := s.m[c]; ok {
		return b, nil
	}
	return nil, ipld.ErrNotFound{Cid: c}
}

// Put stores a block.
func (s *MemStore) Put(_ context.Context, b blocks.Block) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[b.Cid()] = b
	return nil
}

// Copy is an independent store with the same blocks (one per machine, so a
// test's writes never leak into another's pre-state).
func (s *MemStore) Copy() *MemStore {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := NewMemStore()
	for k, v := range s.m {
		c.m[k] = v
	}
	return c
}

// Blocks lists every block, sorted by CID bytes (deterministic CARs).
func (s *MemStore) Blocks() []blocks.Block {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]blocks.Block, 0, len(s.m))
	for _, b := range s.m {
		out = append(out, b)
	}
	sortBlocks(out)
	return out
}

func sortBlocks(bs []blocks.Block) {
	for i := 1; i < len(bs); i++ { // insertion sort: small sets, no import
		for j := i; j > 0 && bytes.Compare(bs[j-1].Cid().Bytes(), bs[j].Cid().Bytes()) > 0; j-- {
			bs[j-1], bs[j] = bs[j], bs[j-1]
		}
	}
}

// addresses are the genesis's non-ID addresses in id order (100…109).
func (g *Genesis) addresses() []address.Address {
	return []address.Address{g.Alice, g.Bob, g.Carol, g.Tester1, g.Tester2, g.TinyF2, g.BadPtrF2, g.ChargeF2, g.RetBlkF2, g.ExitDataF2}
}
