package chaintest

import (
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	c, err := New(ctx, Options{UpgradeHeight: 4})
	if err != nil {
		t.Fatal(err)
	}
	m1 := &kernel.Message{From: Alice, To: Bob, Nonce: 0, Value: big.NewInt(10), GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
	m2 := &kernel.Message{From: Carol, To: Bob, Nonce: 0, Value: big.NewInt(20), GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
	for _, h := range []int64{1, 2, 5, 6, 7} {
		var specs []BlockSpec
		specs = append(specs, BlockSpec{Miner: 0, WinCount: 1, Secp: []*kernel.Message{m1}, BLS: []*kernel.Message{m2}})
		specs = append(specs, BlockSpec{Miner: 1, WinCount: 2, Secp: []*kernel.Message{m1}})
		ts, err := c.Mine(ctx, abiEpoch(h), specs...)
		if err != nil {
			t.Fatalf("mine %d: %v", h, err)
		}
		m1 = &kernel.Message{From: Alice, To: Bob, Nonce: m1.Nonce + 1, Value: big.NewInt(10), GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
		m2 = &kernel.Message{From: Carol, To: Bob, Nonce: m2.Nonce + 1, Value: big.NewInt(20), GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
		t.Logf("mined %d: %v", h, ts.Cids())
	}
	for _, ts := range c.TipSets() {
		if r := c.Result(ts); r != nil {
			t.Logf("h=%d root=%s receipts=%d nv=%d migrations=%v", ts.Height(), r.StateRoot, len(r.Receipts), r.NetworkVersion, r.Migrations)
			for _, a := range r.Messages {
				t.Logf("  %s exit=%d gas=%d", a.Cid, a.Ret.Receipt.ExitCode, a.Ret.Receipt.GasUsed)
			}
		}
	}
}

func abiEpoch(h int64) abi.ChainEpoch { return abi.ChainEpoch(h) }
