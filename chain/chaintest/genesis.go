package chaintest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	init10 "github.com/filecoin-project/go-state-types/builtin/v10/init"
	"github.com/filecoin-project/go-state-types/builtin/v10/util/adt"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/chain/internal/exec"
)

// Actor ids of the genesis.
const (
	SystemID   abi.ActorID = 0
	InitID     abi.ActorID = 1
	RewardID   abi.ActorID = 2
	CronID     abi.ActorID = 3
	BurntID    abi.ActorID = 99
	AliceID    abi.ActorID = 100 // f1 account: secp messages
	BobID      abi.ActorID = 101 // f1 account
	CarolID    abi.ActorID = 102 // f3 account: BLS messages
	TesterID   abi.ActorID = 103
	FirstMiner abi.ActorID = 1000 // miners 1000, 1001, 1002
	Miners                 = 3
)

// Genesis balances in attoFIL.
var (
	FIL            = big.NewInt(1e18)
	AccountBalance = big.Mul(big.NewInt(1000), FIL)
	RewardBalance  = big.Mul(big.NewInt(1_000_000), FIL)
	TesterBalance  = big.NewInt(1_000_000)
	// TotalFIL is what the test network's circulating-supply rule starts
	// from (see Supply).
	TotalFIL = big.Mul(big.NewInt(2_000_000_000), FIL)
	// RewardPerWin is what the reward actor pays per win on top of the gas
	// reward (wat/reward.wat.in).
	RewardPerWin = big.NewInt(1_000_000_000)
)

// NetworkName is the init actor's network name.
const NetworkName = "gofvm-testchain"

// Addresses of the genesis accounts.
var (
	Alice      = testactors.KeyAddress(1)
	Bob        = testactors.KeyAddress(2)
	Carol      = testactors.BLSAddress(3)
	TesterAddr = mustActorAddress("tester")
)

func mustActorAddress(seed string) address.Address {
	a, err := address.NewActorAddress([]byte("gofvm-chain " + seed))
	if err != nil {
		panic(err)
	}
	return a
}

// MinerAddr is the ID address of miner i (0, 1, 2).
func MinerAddr(i int) address.Address {
	a, _ := address.NewIDAddress(uint64(FirstMiner) + uint64(i))
	return a
}

// CronTally is the cron actor's state (wat/cron.wat.in).
type CronTally struct {
	Ticks, LastEpoch, EpochSum, TicksV2, TicksV3, LastTimestamp uint64
}

func encodeTally(t CronTally) []byte {
	out := make([]byte, 50)
	out[0], out[1] = 0x58, 48
	for i, v := range []uint64{t.Ticks, t.LastEpoch, t.EpochSum, t.TicksV2, t.TicksV3, t.LastTimestamp} {
		binary.LittleEndian.PutUint64(out[2+8*i:], v)
	}
	return out
}

// DecodeTally reads the cron actor's state block.
func DecodeTally(b []byte) (CronTally, error) {
	if len(b) != 50 || b[0] != 0x58 || b[1] != 48 {
		return CronTally{}, errors.New("cron state is not a 48-byte byte string")
	}
	var v [6]uint64
	for i := range v {
		v[i] = binary.LittleEndian.Uint64(b[2+8*i:])
	}
	return CronTally{v[0], v[1], v[2], v[3], v[4], v[5]}, nil
}

// genesisState builds the nv17 state tree (StateRoot v4) in s.
func genesisState(ctx context.Context, s *MemStore, b *Bundle) (cid.Cid, error) {
	for _, blk := range b.Blocks {
		_ = s.Put(ctx, blk)
	}
	cs := cbor.NewCborStore(s)
	ist, err := init10.ConstructState(adt.WrapStore(ctx, cs), NetworkName)
	if err != nil {
		return cid.Undef, err
	}
	for i, a := range []address.Address{Alice, Bob, Carol, TesterAddr} {
		id, err := ist.MapAddressToNewID(adt.WrapStore(ctx, cs), a)
		if err != nil {
			return cid.Undef, err
		}
		if want, _ := address.NewIDAddress(uint64(AliceID) + uint64(i)); id != want {
			return cid.Undef, fmt.Errorf("chaintest: %s got %s, want %s", a, id, want)
		}
	}
	initHead, err := cs.Put(ctx, ist)
	if err != nil {
		return cid.Undef, err
	}
	sysHead, err := putRaw(ctx, s, tuple(func(w *cbg.CborWriter) error { return cbg.WriteCid(w, b.Data) }))
	if err != nil {
		return cid.Undef, err
	}
	empty, err := actors.PutEmptyArray(ctx, cs)
	if err != nil {
		return cid.Undef, err
	}
	cronHead, err := putRaw(ctx, s, encodeTally(CronTally{}))
	if err != nil {
		return cid.Undef, err
	}
	st, err := actors.NewStateTree(ctx, cs, network.Version17)
	if err != nil {
		return cid.Undef, err
	}
	set := func(id abi.ActorID, code string, head cid.Cid, bal abi.TokenAmount) error {
		return st.SetActor(id, &actors.Actor{Code: b.Codes[code], Head: head, Balance: bal})
	}
	steps := []error{
		set(SystemID, System, sysHead, big.Zero()),
		set(InitID, Init, initHead, big.Zero()),
		set(RewardID, Reward, empty, RewardBalance),
		set(CronID, Cron, cronHead, big.Zero()),
		set(BurntID, Account, empty, big.Zero()),
		set(TesterID, Tester, empty, TesterBalance),
	}
	for _, acc := range []struct {
		id abi.ActorID
		a  address.Address
	}{{AliceID, Alice}, {BobID, Bob}, {CarolID, Carol}} {
		a := acc.a
		head, err := putRaw(ctx, s, tuple(func(w *cbg.CborWriter) error { return a.MarshalCBOR(w) }))
		if err != nil {
			return cid.Undef, err
		}
		steps = append(steps, set(acc.id, Account, head, AccountBalance))
	}
	for i := 0; i < Miners; i++ {
		steps = append(steps, set(FirstMiner+abi.ActorID(i), StorageMiner, empty, big.Zero()))
	}
	if err := errors.Join(steps...); err != nil {
		return cid.Undef, err
	}
	return st.Flush()
}

func tuple(field func(*cbg.CborWriter) error) []byte {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 1)
	if err := field(w); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func putRaw(ctx context.Context, s exec.Blockstore, data []byte) (cid.Cid, error) {
	blk, err := newBlock(cid.DagCBOR, data)
	if err != nil {
		return cid.Undef, err
	}
	return blk.Cid(), s.Put(ctx, blk)
}

// Migrate is the test chain's nv17 → nv18 migration: every actor keeps its
// head, balance and nonce and gets the nv18 code of the same manifest name;
// the system actor points at the nv18 manifest; the state root becomes
// version 5. It is small on purpose, and it is what the executor runs at
// the upgrade height, in the place Lotus runs go-state-types' migrations
// (chain.md §1.13).
func Migrate(ctx context.Context, bs exec.Blockstore, root cid.Cid, _ abi.ChainEpoch) (cid.Cid, error) {
	oldB, err := NewBundle(network.Version17)
	if err != nil {
		return cid.Undef, err
	}
	newB, err := NewBundle(network.Version18)
	if err != nil {
		return cid.Undef, err
	}
	for _, blk := range newB.Blocks {
		if err := bs.Put(ctx, blk); err != nil {
			return cid.Undef, err
		}
	}
	name := map[cid.Cid]string{}
	for n, c := range oldB.Codes {
		name[c] = n
	}
	cs := cbor.NewCborStore(bs)
	old, err := actors.LoadStateTree(ctx, cs, root, network.Version17)
	if err != nil {
		return cid.Undef, err
	}
	st, err := actors.NewStateTree(ctx, cs, network.Version18)
	if err != nil {
		return cid.Undef, err
	}
	sysHead, err := putRaw(ctx, bs, tuple(func(w *cbg.CborWriter) error { return cbg.WriteCid(w, newB.Data) }))
	if err != nil {
		return cid.Undef, err
	}
	err = old.ForEach(func(id abi.ActorID, a *actors.Actor) error {
		n, ok := name[a.Code]
		if !ok {
			return fmt.Errorf("actor %d has code %s, not in the nv17 bundle", id, a.Code)
		}
		na := a.Copy()
		na.Code = newB.Codes[n]
		if id == SystemID {
			na.Head = sysHead
		}
		return st.SetActor(id, na)
	})
	if err != nil {
		return cid.Undef, err
	}
	return st.Flush()
}

// Supply is the test network's circulating-supply rule: TotalFIL minus
// what the burnt-funds actor holds in the machine's pre-state. It stands in
// for mainnet's formula (chain.md §1.14), which needs the power and market
// actors this genesis does not have; like it, it is read from the state the
// machine starts from.
func Supply(ctx context.Context, bs exec.Blockstore, root cid.Cid, _ abi.ChainEpoch, nv network.Version) (abi.TokenAmount, error) {
	st, err := actors.LoadStateTree(ctx, cbor.NewCborStore(bs), root, nv)
	if err != nil && nv >= network.Version18 {
		// A pre-migration state asked about at the new version (a node
		// answering for the tipset right after an upgrade).
		st, err = actors.LoadStateTree(ctx, cbor.NewCborStore(bs), root, network.Version17)
	}
	if err != nil {
		return abi.TokenAmount{}, err
	}
	burnt, err := st.GetActor(BurntID)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	if burnt == nil {
		return TotalFIL, nil
	}
	return big.Sub(TotalFIL, burnt.Balance), nil
}
