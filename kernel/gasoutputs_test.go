package kernel

import (
	"testing"

	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel/gas"
)

// The (used, limit → refund, burned) pairs are the reference crate's own
// checks quoted in fvm-gas.md §5.6.
func TestGasOutputsOverEstimation(t *testing.T) {
	for _, c := range []struct{ used, limit, refund, burned int64 }{
		{100, 200, 10, 90},
		{1000, 1300, 240, 60},
		{500, 651, 121, 30},
		{0, 2000, 0, 2000},
		{1000, 1000, 0, 0},   // over < 0 → everything refunded (nothing left)
		{1000, 1100, 100, 0}, // over = 0
	} {
		o, err := gas.ComputeGasOutputs(c.used, c.limit, big.NewInt(1), big.NewInt(1), big.Zero())
		if err != nil {
			t.Fatal(err)
		}
		r, b := o.GasRefund, o.GasBurned
		if r != c.refund || b != c.burned {
			t.Errorf("over-estimation(%d, %d) = (%d, %d), want (%d, %d)", c.used, c.limit, r, b, c.refund, c.burned)
		}
	}
}

// Worked by hand from fvm-abi.md §7.4.
func TestComputeGasOutputs(t *testing.T) {
	bi := big.NewInt
	cases := []struct {
		name                               string
		used, limit                        int64
		baseFee, feeCap, premium           int64
		burn, overBurn, penalty, tip, refd int64
	}{
		// pay = 100; burn = 100·1000; tip = 5·1300; (refund, burned) = (240, 60);
		// overBurn = 100·60; refund = 200·1300 − 100000 − 6500 − 6000.
		{"normal", 1000, 1300, 100, 200, 5, 100_000, 6_000, 0, 6_500, 147_500},
		// base fee above the cap: pay = 150; penalty = 50·1000 + 50·60; tip = 0.
		{"fee cap below base fee", 1000, 1300, 200, 150, 5, 150_000, 9_000, 53_000, 0, 36_000},
		// premium capped at fee_cap − pay = 10.
		{"premium capped", 1000, 1000, 100, 110, 50, 100_000, 0, 0, 10_000, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := gas.ComputeGasOutputs(c.used, c.limit, bi(c.baseFee), bi(c.feeCap), bi(c.premium))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				name      string
				got, want big.Int
			}{
				{"burn", o.BaseFeeBurn, bi(c.burn)}, {"overBurn", o.OverEstimationBurn, bi(c.overBurn)},
				{"penalty", o.MinerPenalty, bi(c.penalty)}, {"tip", o.MinerTip, bi(c.tip)},
				{"refund", o.Refund, bi(c.refd)},
			} {
				if !f.got.Equals(f.want) {
					t.Errorf("%s = %s, want %s", f.name, f.got, f.want)
				}
			}
			sum := big.Sum(o.BaseFeeBurn, o.OverEstimationBurn, o.Refund, o.MinerTip)
			if !sum.Equals(big.Mul(bi(c.feeCap), bi(c.limit))) {
				t.Errorf("sum %s != fee_cap·limit", sum)
			}
		})
	}
}
