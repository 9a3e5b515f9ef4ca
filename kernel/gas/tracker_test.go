package gas

import (
	"math"
	"testing"
)

func TestTrackerOutOfGasPinsLimit(t *testing.T) {
	tr := NewTrackerGas(20)
	if err := tr.Apply(Charge{Name: "a", Compute: NewGas(15)}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(Charge{Name: "b", Compute: NewGas(5)}); err != nil {
		t.Fatal(err)
	}
	if err := tr.ChargeMilli("c", 1); err != ErrOutOfGas {
		t.Fatalf("want out of gas, got %v", err)
	}
	if tr.Used() != NewGas(20) || tr.Available() != 0 {
		t.Errorf("used %d available %d", tr.Used(), tr.Available())
	}
}

func TestTrackerNegativeCharge(t *testing.T) {
	// v2 self-destruct refund: −98,800 gas lowers usage (fvm-gas.md §1).
	tr := NewTrackerGas(1_000_000)
	_ = tr.Apply(Charge{Compute: NewGas(100_000)})
	if err := tr.Apply(Skyr().OnDeleteActor()); err != nil {
		t.Fatal(err)
	}
	if tr.Used() != NewGas(1_200) {
		t.Errorf("used %d", tr.Used())
	}
}

func TestTrackerSubLimits(t *testing.T) {
	tr := NewTrackerGas(1000)
	_ = tr.Apply(Charge{Compute: NewGas(100)})
	tr.PushLimit(NewGas(5000)) // min(available 900, 5000)
	if tr.Limit() != NewGas(900) || tr.Used() != 0 {
		t.Fatalf("limit %d used %d", tr.Limit(), tr.Used())
	}
	if err := tr.Apply(Charge{Compute: NewGas(901)}); err != ErrOutOfGas {
		t.Fatal("want out of gas in the frame")
	}
	if tr.TotalUsed() != NewGas(1000) {
		t.Errorf("total %d", tr.TotalUsed())
	}
	tr.PopLimit()
	if tr.Used() != NewGas(1000) || tr.Available() != 0 {
		t.Errorf("after pop used %d", tr.Used())
	}
	tr2 := NewTrackerGas(100)
	tr2.PushLimit(0) // explicit 0 really means 0
	if tr2.Apply(Charge{Compute: 1}) != ErrOutOfGas {
		t.Error("zero sub-limit accepted a charge")
	}
}

func TestGasArithmetic(t *testing.T) {
	if NewGas(math.MaxInt64/10) != math.MaxInt64 || NewGas(math.MinInt64/10) != math.MinInt64 {
		t.Error("NewGas must saturate")
	}
	if Gas(math.MaxInt64).Add(1) != math.MaxInt64 || Gas(math.MinInt64).Add(-1) != math.MinInt64 {
		t.Error("Add must saturate")
	}
	if Gas(math.MaxInt64/2+1).Mul(2) != math.MaxInt64 || Gas(-3).Mul(math.MaxInt64) != math.MinInt64 {
		t.Error("Mul must saturate")
	}
	for _, c := range []struct {
		g        Gas
		up, down int64
	}{{0, 0, 0}, {1, 1, 0}, {999, 1, 0}, {1000, 1, 1}, {1001, 2, 1}, {-1, 0, -1}, {-1000, -1, -1}} {
		if c.g.RoundUp() != c.up || c.g.RoundDown() != c.down {
			t.Errorf("%d: up %d down %d", c.g, c.g.RoundUp(), c.g.RoundDown())
		}
	}
}
