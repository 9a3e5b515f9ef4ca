package genesis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	blocks "github.com/ipfs/go-block-format"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
)

// TestRealBundles builds the genesis of every mainnet bundle under
// $GOFVM_CONFORMANCE/bundles and, where the kernel runs the network version,
// sends 1 FIL from the first account to a new f1 address: the account actor
// is created at the init actor's next id (Lotus's MinerStart, +1 from actors
// v10 for the Ethereum zero address) and the value arrives. Skipped unless
// GOFVM_CONFORMANCE is set.
func TestRealBundles(t *testing.T) {
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
	for _, v := range versions {
		t.Run(fmt.Sprintf("nv%d", v.nv), func(t *testing.T) {
			store := testactors.NewMemStore()
			bm, _, err := LoadMainnetBundle(ctx, filepath.Join(dir, "bundles"), v.av, func(b blocks.Block) error { return store.Put(ctx, b) })
			if errors.Is(err, ErrNoBundle) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			tmpl := template()
			g, err := Build(ctx, store, v.nv, bm, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			m, err := kernel.NewMachine(ctx, store, g.Root, v.nv, kernel.WithEngine(eng), kernel.WithEpoch(1))
			if errors.Is(err, kernel.ErrUnsupportedNetworkVersion) {
				t.Skipf("the kernel does not run nv%d yet", v.nv)
			}
			if err != nil {
				t.Fatal(err)
			}
			to := secp(77)
			from, _ := address.NewIDAddress(100)
			msg := &kernel.Message{From: from, To: to, Value: FIL, GasLimit: 10_000_000,
				GasFeeCap: big.NewInt(100), GasPremium: big.NewInt(1)}
			ret, err := kernel.NewExecutor(m).ApplyMessage(ctx, msg, msg.ChainLength())
			if err != nil {
				t.Fatal(err)
			}
			if ret.Receipt.ExitCode != exitcode.Ok {
				t.Fatalf("exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			root, err := m.Flush(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st, err := LoadStateTree(ctx, cbor.NewCborStore(store), root, v.nv)
			if err != nil {
				t.Fatal(err)
			}
			id, ok, err := st.LookupID(to)
			wantID := FirstCreatedID
			if v.av >= 10 {
				wantID++
			}
			if err != nil || !ok || id != wantID {
				t.Fatalf("new account at f0%d (%v %v), want f0%d", id, ok, err, wantID)
			}
			a, _ := st.GetActor(id)
			if a.Code != g.Codes[AccountName] || !a.Balance.Equals(FIL) {
				t.Errorf("new account %+v", a)
			}
			sender, _ := st.GetActor(100)
			if sender.Nonce != 1 {
				t.Errorf("sender nonce %d", sender.Nonce)
			}
		})
	}
}
