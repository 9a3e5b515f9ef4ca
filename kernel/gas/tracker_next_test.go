package gas

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

// FVM v3/v4 gas is a u64 saturating at 2^64 − 1 mg with limits capped at
// i64::MAX mg; v2 gas an i64 saturating at i64::MAX (fvm-gas.md §1,
// fvm-gas-next.md §1.1). The two differ only where a charge saturates.
func TestTrackerForArithmetic(t *testing.T) {
	for _, c := range []struct {
		name       string
		list       *PriceList
		limit      Gas
		before     Gas
		charge     Gas
		wantErr    error
		wantUsed   Gas
		wantUnsign bool
	}{
		{"v3 exact fit", Hygge(), NewGas(100), NewGas(40), NewGas(60), nil, NewGas(100), true},
		{"v3 one mg over", Hygge(), NewGas(100), NewGas(40), Milli(60_001), ErrOutOfGas, NewGas(100), true},
		{"v3 saturated charge, max limit", Watermelon(), math.MaxInt64, NewGas(14_000), math.MaxInt64, ErrOutOfGas, math.MaxInt64, true},
		{"v3 saturated charge, nothing used yet", Teep(), math.MaxInt64, 0, math.MaxInt64, ErrOutOfGas, math.MaxInt64, true},
		{"v3 sum past i64, max limit", Hygge(), math.MaxInt64, NewGas(14_000), math.MaxInt64 - NewGas(1), ErrOutOfGas, math.MaxInt64, true},
		{"v3 u64 ≥ 2^63 read as negative", Hygge(), math.MaxInt64, NewGas(14_000), -5, ErrOutOfGas, math.MaxInt64, true},
		{"v3 zero charge at the limit", Hygge(), NewGas(10), NewGas(10), 0, nil, NewGas(10), true},
		// v2: i64 saturation means a saturated charge fits the largest limit.
		{"v2 saturated charge, max limit", Skyr(), math.MaxInt64, NewGas(14_000), math.MaxInt64, nil, math.MaxInt64, false},
		{"v2 refund", Skyr(), NewGas(1_000), NewGas(500), NewGas(-98), nil, NewGas(402), false},
	} {
		tr := NewTrackerFor(c.list, c.limit)
		if tr.unsigned != c.wantUnsign {
			t.Errorf("%s: unsigned = %v", c.name, tr.unsigned)
		}
		if c.before != 0 {
			if err := tr.Apply(Charge{Name: "before", Compute: c.before}); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		err := tr.Apply(Charge{Name: "x", Compute: c.charge})
		if !errors.Is(err, c.wantErr) || (err == nil) != (c.wantErr == nil) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.wantErr)
		}
		if tr.Used() != c.wantUsed {
			t.Errorf("%s: used %d, want %d", c.name, tr.Used(), c.wantUsed)
		}
	}
}

// An unpriced charge is refused without being traced or charged.
func TestTrackerRefusesUnpriced(t *testing.T) {
	tr := NewTrackerFor(Watermelon(), NewGas(100))
	var seen []string
	tr.OnCharge = func(c Charge) { seen = append(seen, c.Name) }
	c := Watermelon().OnActorEventAccept(10)
	if err := tr.Apply(c); !errors.Is(err, ErrNoSuchCharge) {
		t.Fatalf("apply: %v", err)
	}
	if len(seen) != 0 || tr.Used() != 0 {
		t.Errorf("traced %v, used %d", seen, tr.Used())
	}
}

// FuzzTrackerUnsigned checks the v3/v4 tracker against a model in exact
// integers: a charge fits iff used + charge ≤ limit, where a negative charge
// stands for a u64 ≥ 2^63 and math.MaxInt64 for a saturated one (both ≥ 2^63 − 1
// and so, with used > 0 or a smaller limit, over any limit).
func FuzzTrackerUnsigned(f *testing.F) {
	f.Add(int64(1000), int64(10), int64(990), int64(1))
	f.Add(int64(math.MaxInt64), int64(14_000_000), int64(math.MaxInt64), int64(0))
	f.Add(int64(math.MaxInt64), int64(1), int64(-1), int64(0))
	f.Add(int64(5), int64(0), int64(5), int64(0))
	f.Fuzz(func(t *testing.T, limit, first, second, pushed int64) {
		if limit < 0 {
			limit = -(limit + 1)
		}
		tr := NewTrackerFor(Hygge(), Gas(limit))
		if pushed > 0 {
			tr.PushLimit(Gas(pushed))
		}
		lim := big.NewInt(int64(tr.Limit()))
		used := new(big.Int)
		for _, ch := range []int64{first, second} {
			model := big.NewInt(ch)
			if ch < 0 { // a u64 ≥ 2^63
				model.Add(model, new(big.Int).Lsh(big.NewInt(1), 64))
			}
			if ch == math.MaxInt64 { // saturated: at least 2^64 − 1 in the reference
				model.Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
			}
			sum := new(big.Int).Add(used, model)
			fits := sum.Cmp(lim) <= 0
			err := tr.Apply(Charge{Name: "f", Compute: Gas(ch)})
			if fits != (err == nil) {
				t.Fatalf("limit %d used %s charge %d: err %v, model fits %v", tr.Limit(), used, ch, err, fits)
			}
			if fits {
				used = sum
			} else {
				used.Set(lim)
			}
			if big.NewInt(int64(tr.Used())).Cmp(used) != 0 {
				t.Fatalf("used %d, model %s", tr.Used(), used)
			}
		}
	})
}
