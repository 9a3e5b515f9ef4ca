package mainnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	reward10 "github.com/filecoin-project/go-state-types/builtin/v10/reward"
	market9 "github.com/filecoin-project/go-state-types/builtin/v9/market"
	power9 "github.com/filecoin-project/go-state-types/builtin/v9/power"
	reward9 "github.com/filecoin-project/go-state-types/builtin/v9/reward"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/chain/internal/amt0"
	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
)

// TestRealMigrations runs go-state-types' migrations, as the mainnet
// schedule calls them, on a genesis of the real bundle before each upgrade
// (package genesis), with the new real bundle in the store: the result must
// be a state root of the right version whose system actor names the new
// manifest and whose every actor runs code of the new bundle; where the
// kernel runs the new version, a machine opens on it and the real cron
// actor ticks (at epoch 1: the power actor's cron walks every epoch since
// genesis, so a tick at the upgrade height would walk millions). Skipped unless GOFVM_CONFORMANCE is set.
func TestRealMigrations(t *testing.T) {
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	ctx := context.Background()
	eng, err := kernel.NewWasmEngine(ctx, engine.WithInterpreter(), engine.WithPrewarm(0))
	if err != nil {
		t.Fatal(err)
	}
	defer kernel.CloseEngine(ctx, eng)
	n := Network()
	prevNV, prevAV := network.Version16, 8
	for _, up := range n.Upgrades[1:] { // from Shark: Skyr's migration is not available
		if up.Migration == nil {
			prevNV = up.Network
			continue
		}
		fromNV, fromAV, toAV := prevNV, prevAV, prevAV+1
		prevNV, prevAV = up.Network, toAV
		t.Run(fmt.Sprintf("%s nv%d→nv%d", up.Name, fromNV, up.Network), func(t *testing.T) {
			store := testactors.NewMemStore()
			put := func(b blocks.Block) error { return store.Put(ctx, b) }
			old, _, err := genesis.LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), fromAV, put)
			if errors.Is(err, genesis.ErrNoBundle) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			nb, _, err := genesis.LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), toAV, put)
			if errors.Is(err, genesis.ErrNoBundle) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			key, _ := address.NewSecp256k1Address(append([]byte{4}, make([]byte, 64)...))
			g, err := genesis.Build(ctx, store, fromNV, old, genesis.Template{
				Accounts: []genesis.Account{{Address: key, Balance: big.Mul(big.NewInt(1000), genesis.FIL)}},
				RootKey:  genesis.Account{Address: testactors.KeyAddress(9), Balance: genesis.FIL}})
			if err != nil {
				t.Fatal(err)
			}
			root, err := up.Migration(ctx, store, g.Root, up.Height)
			if err != nil {
				t.Fatal(err)
			}
			cs := cbor.NewCborStore(store)
			var sr actors.StateRoot
			if err := cs.Get(ctx, root, &sr); err != nil {
				t.Fatal(err)
			}
			wantVersion := uint64(5)
			if toAV <= 9 {
				wantVersion = 4
			}
			if sr.Version != wantVersion {
				t.Errorf("state root version %d, want %d", sr.Version, wantVersion)
			}
			want, _ := cid.Decode(Manifests[toAV])
			if !want.Equals(nb.Root) {
				t.Fatalf("bundle v%d's manifest %s is not the schedule's %s", toAV, nb.Root, want)
			}
			codes := map[cid.Cid]bool{}
			for _, e := range nb.Entries {
				codes[e.Code] = true
			}
			st, err := exec.LoadStateTree(ctx, store, root, up.Network)
			if err != nil {
				t.Fatal(err)
			}
			nActors := 0
			if err := st.ForEach(func(id abi.ActorID, a *actors.Actor) error {
				nActors++
				if !codes[a.Code] {
					return fmt.Errorf("actor f0%d runs %s, not in bundle v%d", id, a.Code, toAV)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			m, err := kernel.NewMachine(ctx, store, root, up.Network, kernel.WithEngine(eng), kernel.WithEpoch(1))
			if errors.Is(err, kernel.ErrUnsupportedNetworkVersion) {
				t.Logf("%d actors migrated; the kernel does not run nv%d yet", nActors, up.Network)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cron, _ := address.NewIDAddress(3)
			system, _ := address.NewIDAddress(0)
			ret, err := kernel.NewExecutor(m).ApplyImplicitMessage(ctx, &kernel.Message{From: system, To: cron,
				Nonce: 1, Value: big.Zero(), GasLimit: kernel.ImplicitGasLimit,
				GasFeeCap: big.Zero(), GasPremium: big.Zero(), Method: 2})
			if err != nil || ret.Receipt.ExitCode != exitcode.Ok {
				t.Fatalf("cron on the migrated state: %v %+v", err, ret)
			}
			t.Logf("%d actors migrated; the real cron ticks on nv%d", nActors, up.Network)
		})
	}
}

// TestRealSupply computes the circulating supply on the genesis of every
// real bundle: nothing is mined, burnt or locked there, so chain.md §1.14's
// formula reduces to vested + (300,000,000 FIL − the reserve's balance),
// read through each actors version's reward, power and market states.
func TestRealSupply(t *testing.T) {
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	ctx := context.Background()
	n := Network()
	for _, up := range n.Upgrades {
		av := map[network.Version]int{16: 8, 17: 9, 18: 10, 19: 11, 20: 11, 21: 12, 22: 13, 23: 14, 24: 15,
			25: 16, 26: 16, 27: 17, 28: 18}[up.Network]
		t.Run(fmt.Sprintf("nv%d", up.Network), func(t *testing.T) {
			store := testactors.NewMemStore()
			bm, _, err := genesis.LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), av,
				func(b blocks.Block) error { return store.Put(ctx, b) })
			if errors.Is(err, genesis.ErrNoBundle) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			g, err := genesis.Build(ctx, store, up.Network, bm, genesis.Template{
				Accounts: []genesis.Account{{Address: testactors.KeyAddress(1), Balance: big.Mul(big.NewInt(1000), genesis.FIL)}},
				RootKey:  genesis.Account{Address: testactors.KeyAddress(9), Balance: genesis.FIL}})
			if err != nil {
				t.Fatal(err)
			}
			// Genesis gives the reserve more than 300M FIL (the clamp at 0
			// would hide everything): leave it 250M, so 50M are disbursed.
			st, err := exec.LoadStateTree(ctx, store, g.Root, up.Network)
			if err != nil {
				t.Fatal(err)
			}
			reserve, err := st.GetActor(genesis.ReserveID)
			if err != nil || reserve == nil {
				t.Fatal("no reserve", err)
			}
			reserve.Balance = big.Mul(big.NewInt(250_000_000), genesis.FIL)
			if err := st.SetActor(genesis.ReserveID, reserve); err != nil {
				t.Fatal(err)
			}
			root, err := st.Flush()
			if err != nil {
				t.Fatal(err)
			}
			h := up.Height + 1
			got, err := Supply(ctx, store, root, h, up.Network)
			if err != nil {
				t.Fatal(err)
			}
			want := big.Add(FilVested(h), big.Mul(big.NewInt(50_000_000), genesis.FIL))
			if !got.Equals(want) {
				t.Errorf("supply %s, want %s", got, want)
			}
		})
	}
}

// TestRealTipsets applies two tipsets with exec.ApplyTipSet on the mainnet
// network over a genesis of the real v9 bundle: the first, whose parent is
// two epochs before Hygge's height, runs the null-round crons (nv17), the
// real Hygge migration and its own epoch at nv18; the second, with two
// blocks, pays block rewards. The real reward actor adds
// floor(ThisEpochReward × win count / 5) per block to TotalStoragePowerReward
// (builtin-actors reward award_block_reward), ThisEpochReward read from the
// second tipset's pre-state. Skipped unless GOFVM_CONFORMANCE is set.
func TestRealTipsets(t *testing.T) {
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	ctx := context.Background()
	store := testactors.NewMemStore()
	put := func(b blocks.Block) error { return store.Put(ctx, b) }
	old, _, err := genesis.LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), 9, put)
	if err != nil {
		t.Skip(err)
	}
	if _, _, err := genesis.LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), 10, put); err != nil {
		t.Skip(err)
	}
	alice := testactors.KeyAddress(1)
	g, err := genesis.Build(ctx, store, network.Version17, old, genesis.Template{
		Accounts: []genesis.Account{{Address: alice, Balance: big.Mul(big.NewInt(1000), genesis.FIL)}},
		RootKey:  genesis.Account{Address: testactors.KeyAddress(9), Balance: genesis.FIL}})
	if err != nil {
		t.Fatal(err)
	}
	// A genesis "at" Hygge: the power, reward and market actors' crons catch
	// up epoch by epoch from their state's epoch, so start them just before.
	root := startCronsAt(t, ctx, store, g.Root, HyggeHeight-2)
	eng, err := kernel.NewWasmEngine(ctx, engine.WithInterpreter(), engine.WithPrewarm(0))
	if err != nil {
		t.Fatal(err)
	}
	defer kernel.CloseEngine(ctx, eng)
	n := Network()
	miner, _ := address.NewIDAddress(uint64(genesis.FirstAccountID)) // an account: its reward is burnt
	header := func(h abi.ChainEpoch, parents []cid.Cid, state, receipts, meta cid.Cid, seed byte) (*types.BlockHeader, cid.Cid) {
		hd := &types.BlockHeader{Miner: miner, Ticket: &types.Ticket{VRFProof: []byte{seed}},
			ElectionProof: &types.ElectionProof{WinCount: int64(seed)}, Parents: parents, ParentWeight: big.Zero(),
			Height: h, ParentStateRoot: state, ParentMessageReceipts: receipts, Messages: meta,
			Timestamp: GenesisTimestamp + 30*uint64(h), ParentBaseFee: big.NewInt(100)}
		raw, _ := hd.Bytes()
		c, _ := abi.CidBuilder.Sum(raw)
		b, _ := blocks.NewBlockWithCid(raw, c)
		_ = store.Put(ctx, b)
		return hd, c
	}
	empty, err := amt0.Build(ctx, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	metaRaw := []byte{0x82}
	metaRaw = append(metaRaw, cborCid(empty)...)
	metaRaw = append(metaRaw, cborCid(empty)...)
	meta, _ := abi.CidBuilder.Sum(metaRaw)
	mb, _ := blocks.NewBlockWithCid(metaRaw, meta)
	_ = store.Put(ctx, mb)

	parentH := abi.ChainEpoch(HyggeHeight - 1)
	ph, pc := header(parentH, nil, root, empty, meta, 1)
	parent, _ := types.NewTipSet([]*types.BlockHeader{ph}, []cid.Cid{pc})
	send := &kernel.Message{From: alice, To: testactors.KeyAddress(2), Value: genesis.FIL, GasLimit: 10_000_000,
		GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
	rawSend, _ := send.Bytes()
	signed := append(append([]byte{0x82}, rawSend...), append([]byte{0x58, 0x42, 0x01}, make([]byte, 65)...)...)
	cm, err := types.SignedChainMessage(signed)
	if err != nil {
		t.Fatal(err)
	}
	h1, c1 := header(HyggeHeight+2, parent.Cids(), root, empty, meta, 1)
	ts1, _ := types.NewTipSet([]*types.BlockHeader{h1}, []cid.Cid{c1})
	o := exec.Options{Network: n, GenesisTimestamp: GenesisTimestamp, Engine: eng, Reachability: kernel.ReachabilityCompat}
	res1, err := exec.ApplyTipSet(ctx, store, exec.Input{TipSet: ts1, ParentEpoch: parentH,
		Messages: [][]*types.ChainMessage{{cm}}, View: exec.NewChainView(store, ts1)}, o)
	if err != nil {
		t.Fatal(err)
	}
	crons := 0
	for _, im := range res1.Implicit {
		if im.Kind == exec.Cron {
			crons++
		}
	}
	if len(res1.Migrations) != 1 || res1.Migrations[0] != "Hygge" || res1.NetworkVersion != network.Version18 ||
		crons != 3 || len(res1.Receipts) != 1 || res1.Receipts[0].ExitCode != exitcode.Ok || !res1.Receipts[0].WithEvents {
		t.Fatalf("first tipset: migrations %v nv%d crons %d receipts %+v", res1.Migrations, res1.NetworkVersion, crons, res1.Receipts)
	}

	// Second tipset: two blocks, win counts 1 and 3, no message.
	ha, ca := header(HyggeHeight+3, ts1.Cids(), res1.StateRoot, res1.ReceiptsRoot, meta, 1)
	other, _ := address.NewIDAddress(uint64(genesis.RootKeyID))
	hb := *ha
	hb.Miner, hb.Ticket, hb.ElectionProof = other, &types.Ticket{VRFProof: []byte{3}}, &types.ElectionProof{WinCount: 3}
	rawB, _ := hb.Bytes()
	cb, _ := abi.CidBuilder.Sum(rawB)
	bb, _ := blocks.NewBlockWithCid(rawB, cb)
	_ = store.Put(ctx, bb)
	ts2, err := types.NewTipSet([]*types.BlockHeader{ha, &hb}, []cid.Cid{ca, cb})
	if err != nil {
		t.Fatal(err)
	}
	before := rewardState(t, ctx, store, res1.StateRoot)
	res2, err := exec.ApplyTipSet(ctx, store, exec.Input{TipSet: ts2, ParentEpoch: ts1.Height(),
		Messages: [][]*types.ChainMessage{nil, nil}, View: exec.NewChainView(store, ts2)}, o)
	if err != nil {
		t.Fatal(err)
	}
	after := rewardState(t, ctx, store, res2.StateRoot)
	five := big.NewInt(5)
	want := big.Add(big.Div(big.Mul(before.ThisEpochReward, big.NewInt(1)), five),
		big.Div(big.Mul(before.ThisEpochReward, big.NewInt(3)), five))
	if got := big.Sub(after.TotalStoragePowerReward, before.TotalStoragePowerReward); !got.Equals(want) || want.IsZero() {
		t.Errorf("block rewards %s, want %s (this epoch reward %s)", got, want, before.ThisEpochReward)
	}
}

func cborCid(c cid.Cid) []byte {
	var buf bytes.Buffer
	_ = cbg.WriteCid(&buf, c)
	return buf.Bytes()
}

func rewardState(t *testing.T, ctx context.Context, store *testactors.MemStore, root cid.Cid) *reward10.State {
	t.Helper()
	st, err := exec.LoadStateTree(ctx, store, root, network.Version18)
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.GetActor(rewardID)
	if err != nil || a == nil {
		t.Fatal("no reward actor", err)
	}
	blk, err := store.Get(ctx, a.Head)
	if err != nil {
		t.Fatal(err)
	}
	var s reward10.State
	if err := decode(blk.RawData(), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// startCronsAt sets the power actor's FirstCronEpoch, the reward actor's
// Epoch and the market actor's LastCron (actors v9 states) to e.
func startCronsAt(t *testing.T, ctx context.Context, store *testactors.MemStore, root cid.Cid, e abi.ChainEpoch) cid.Cid {
	t.Helper()
	st, err := exec.LoadStateTree(ctx, store, root, network.Version17)
	if err != nil {
		t.Fatal(err)
	}
	cs := cbor.NewCborStore(store)
	edit := func(id abi.ActorID, v interface {
		cbg.CBORUnmarshaler
		cbg.CBORMarshaler
	}, change func()) {
		a, err := st.GetActor(id)
		if err != nil || a == nil {
			t.Fatal(id, err)
		}
		if err := cs.Get(ctx, a.Head, v); err != nil {
			t.Fatal(err)
		}
		change()
		if a.Head, err = cs.Put(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := st.SetActor(id, a); err != nil {
			t.Fatal(err)
		}
	}
	var p power9.State
	edit(powerID, &p, func() { p.FirstCronEpoch = e })
	var r reward9.State
	edit(rewardID, &r, func() { r.Epoch = e })
	var m market9.State
	edit(marketID, &m, func() { m.LastCron = e })
	out, err := st.Flush()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
