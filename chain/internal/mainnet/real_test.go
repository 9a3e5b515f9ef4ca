package mainnet

import (
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

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/chain/internal/exec"
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
