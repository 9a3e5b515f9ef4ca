package gas

import (
	"testing"

	"github.com/filecoin-project/go-state-types/big"
)

// The four (used, limit → refund, burned) pairs of fvm-gas.md §5.6.
func TestOverEstimation(t *testing.T) {
	for _, c := range []struct{ used, limit, refund, burned int64 }{
		{100, 200, 10, 90},
		{1000, 1300, 240, 60},
		{500, 651, 121, 30},
		{0, 2000, 0, 2000},
		{1000, 1000, 0, 0}, // over < 0
		{1000, 1100, 100, 0},
	} {
		r, b := overEstimation(c.used, c.limit)
		if r != c.refund || b != c.burned {
			t.Errorf("(%d, %d): got refund %d burned %d, want %d %d", c.used, c.limit, r, b, c.refund, c.burned)
		}
	}
}

func TestComputeGasOutputs(t *testing.T) {
	b := big.NewInt
	for _, c := range []struct {
		name                                 string
		used, limit                          int64
		baseFee, feeCap, premium             int64
		burn, overBurn, penalty, tip, refund int64
		gasRefund, gasBurned                 int64
	}{
		// used 100, limit 200: refund 10, burned 90 (§5.6). fee_cap 20 ≥ base 10;
		// tip rate min(5, 20−10) = 5 on the limit.
		{"under cap", 100, 200, 10, 20, 5, 1000, 900, 0, 1000, 4000 - 1000 - 1000 - 900, 10, 90},
		// base fee above cap: pay = cap 8, penalty (10−8)·used + (10−8)·burned; tip rate min(5, 0) = 0.
		{"over cap", 1000, 1300, 10, 8, 5, 8000, 480, 2000 + 120, 0, 10400 - 8000 - 0 - 480, 240, 60},
		// premium capped by fee_cap − base_fee: min(7, 12−10) = 2.
		{"tip capped", 500, 651, 10, 12, 7, 5000, 300, 0, 1302, 7812 - 5000 - 1302 - 300, 121, 30},
		// used 0: everything burned as over-estimation.
		{"used 0", 0, 2000, 3, 3, 0, 0, 6000, 0, 0, 0, 0, 2000},
	} {
		out, err := ComputeGasOutputs(c.used, c.limit, b(c.baseFee), b(c.feeCap), b(c.premium))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := []int64{out.BaseFeeBurn.Int64(), out.OverEstimationBurn.Int64(), out.MinerPenalty.Int64(),
			out.MinerTip.Int64(), out.Refund.Int64(), out.GasRefund, out.GasBurned}
		want := []int64{c.burn, c.overBurn, c.penalty, c.tip, c.refund, c.gasRefund, c.gasBurned}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, want)
				break
			}
		}
		// Sanity identity: the four transfers add up to fee_cap × limit.
		sum := big.Sum(out.BaseFeeBurn, out.OverEstimationBurn, out.Refund, out.MinerTip)
		if !sum.Equals(big.Mul(b(c.feeCap), b(c.limit))) {
			t.Errorf("%s: transfers sum %s", c.name, sum)
		}
	}
}

func TestComputeGasOutputsRejects(t *testing.T) {
	one := big.NewInt(1)
	for _, c := range [][2]int64{{-1, 10}, {11, 10}, {0, -1}} {
		if _, err := ComputeGasOutputs(c[0], c[1], one, one, one); err == nil {
			t.Errorf("used %d limit %d: want error", c[0], c[1])
		}
	}
}

// Token amounts far beyond int64 stay exact.
func TestComputeGasOutputsBig(t *testing.T) {
	fee := big.Mul(big.NewInt(1_000_000_000_000_000_000), big.NewInt(1_000_000_000)) // 1e27
	out, err := ComputeGasOutputs(100, 200, fee, fee, big.Zero())
	if err != nil {
		t.Fatal(err)
	}
	if !out.BaseFeeBurn.Equals(big.Mul(fee, big.NewInt(100))) || !out.OverEstimationBurn.Equals(big.Mul(fee, big.NewInt(90))) ||
		!out.Refund.Equals(big.Mul(fee, big.NewInt(10))) {
		t.Errorf("big outputs %+v", out)
	}
}

func BenchmarkComputeGasOutputs(b *testing.B) {
	base, cap, prem := big.NewInt(100), big.NewInt(150), big.NewInt(10)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = ComputeGasOutputs(1_000_000, 1_300_000, base, cap, prem)
	}
}
