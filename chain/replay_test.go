package chain_test

import (
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/kernel"
)

func msg(from uint64, nonce uint64, value int64) *kernel.Message {
	f := chaintest.Alice
	if from == 3 {
		f = chaintest.Carol
	}
	return &kernel.Message{From: f, To: chaintest.Bob, Nonce: nonce, Value: big.NewInt(value),
		GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
}

func TestReplayQuick(t *testing.T) {
	ctx := context.Background()
	c, err := chaintest.New(ctx, chaintest.Options{UpgradeHeight: 4})
	if err != nil {
		t.Fatal(err)
	}
	var last abi.ChainEpoch
	for i, h := range []abi.ChainEpoch{1, 2, 5, 6, 7} {
		if _, err := c.Mine(ctx, h,
			chaintest.BlockSpec{Miner: 0, WinCount: 1, Secp: []*kernel.Message{msg(1, uint64(i), 10)}, BLS: []*kernel.Message{msg(3, uint64(i), 5)}},
			chaintest.BlockSpec{Miner: 1, WinCount: 2, Secp: []*kernel.Message{msg(1, uint64(i), 10)}}); err != nil {
			t.Fatal(err)
		}
		last = h
	}
	_ = last
	srv := chaintest.Serve(c)
	defer srv.Close()
	dir := t.TempDir()
	n, err := chain.Open(ctx, chain.Config{URL: srv.URL, CacheDir: dir, Network: c.Net, Engine: mustEngine(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for _, h := range []abi.ChainEpoch{1, 2, 5, 6} {
		r, err := n.ReplayTipSet(ctx, h, false)
		if err != nil {
			t.Fatalf("replay %d: %v", h, err)
		}
		t.Logf("h=%d ok=%v %v %v", h, r.OK(), r.Mismatches, r.ReceiptDiffs)
	}
	t.Logf("calls %d: %s", n.Calls(), srv.CallSummary())
}

func mustEngine(t *testing.T) kernel.Engine {
	e, err := chaintest.NewEngine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return e
}
