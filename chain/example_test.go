package chain_test

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/kernel"
)

// A replay reads a chain from a Lotus JSON-RPC endpoint (here a test chain
// served on 127.0.0.1) through a verified block cache, re-executes a tipset
// and compares it with the chain.
func ExampleNode_ReplayTipSet() {
	ctx := context.Background()
	c, _ := chaintest.New(ctx, chaintest.Options{UpgradeHeight: 10})
	send := &kernel.Message{From: chaintest.Alice, To: chaintest.Bob, Value: big.NewInt(1), GasLimit: 10_000_000,
		GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
	_, _ = c.Mine(ctx, 1, chaintest.BlockSpec{Miner: 0, WinCount: 1})
	_, _ = c.Mine(ctx, 3, chaintest.BlockSpec{Miner: 0, WinCount: 1, Secp: []*kernel.Message{send}}) // 2 is a null round
	_, _ = c.Mine(ctx, 4, chaintest.BlockSpec{Miner: 1, WinCount: 1})                                // executes 3

	srv := chaintest.Serve(c)
	defer srv.Close()
	n, err := chain.Open(ctx, chain.Config{URL: srv.URL, Network: c.Net, Verifier: chain.HistoryProofs{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer n.Close()
	r, err := n.ReplayTipSet(ctx, 3, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("matches the chain:", r.OK())
	fmt.Println("receipts:", len(r.Result.Receipts), "exit", int(r.Result.Receipts[0].ExitCode))
	crons := 0
	for _, im := range r.Result.Implicit {
		if im.Kind == "cron" {
			crons++
		}
	}
	fmt.Println("crons:", crons, "(the null round's, then the tipset's own)")
	// Output:
	// matches the chain: true
	// receipts: 1 exit 0
	// crons: 2 (the null round's, then the tipset's own)
}
