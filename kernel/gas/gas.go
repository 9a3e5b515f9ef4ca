package gas

import (
	"errors"
	"math"
)

// Gas is an amount in milligas, the FVM's internal unit (1 gas = 1000 mg).
// It is signed because nv17 allows negative charges (the self-destruct refund
// and gas.charge with a negative amount, fvm-gas.md §1). All arithmetic
// saturates at the int64 bounds.
type Gas int64

// NewGas converts whole gas to milligas, saturating.
func NewGas(whole int64) Gas {
	switch {
	case whole > math.MaxInt64/1000:
		return math.MaxInt64
	case whole < math.MinInt64/1000:
		return math.MinInt64
	}
	return Gas(whole * 1000)
}

// Milli is an amount given directly in milligas.
func Milli(mg int64) Gas { return Gas(mg) }

// Add is saturating addition.
func (g Gas) Add(o Gas) Gas {
	s := g + o
	if (s > g) == (o > 0) {
		return s
	}
	if o > 0 {
		return math.MaxInt64
	}
	return math.MinInt64
}

// Mul is saturating multiplication by a count.
func (g Gas) Mul(n int64) Gas {
	if g == 0 || n == 0 {
		return 0
	}
	p := g * Gas(n)
	if p/Gas(n) == g && !(g == -1 && n == math.MinInt64) && !(n == -1 && g == math.MinInt64) {
		return p
	}
	if (g > 0) == (n > 0) {
		return math.MaxInt64
	}
	return math.MinInt64
}

// RoundUp returns whole gas rounded toward +∞ (receipts, the inclusion check).
func (g Gas) RoundUp() int64 {
	w := int64(g) / 1000
	if int64(g)%1000 > 0 {
		w++
	}
	return w
}

// RoundDown returns whole gas rounded toward −∞ (v3 gas.available).
func (g Gas) RoundDown() int64 {
	w := int64(g) / 1000
	if int64(g)%1000 < 0 {
		w--
	}
	return w
}

// Charge is one named gas charge as it appears in traces: a compute part
// and an "other" (v2: storage) part. Only their sum matters for consensus.
type Charge struct {
	Name    string
	Compute Gas
	Other   Gas
}

// Total is what the tracker deducts.
func (c Charge) Total() Gas { return c.Compute.Add(c.Other) }

// ErrOutOfGas is returned by a charge that does not fit in the limit. It is
// neither a syscall error nor fatal: it unwinds the invocation (fvm-abi.md §5.2).
var ErrOutOfGas = errors.New("out of gas")
