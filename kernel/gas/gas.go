package gas

import (
	"errors"
	"fmt"
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

// MulCount is saturating multiplication by a count read as unsigned, the way
// the reference multiplies its u64 gas by a usize or a u64 (a negative count,
// like a negative lookback reinterpreted as u64, is ≥ 2^63 and saturates).
// g must not be negative.
func (g Gas) MulCount(n uint64) Gas {
	if g <= 0 || n == 0 {
		return 0
	}
	if n > math.MaxInt64/uint64(g) {
		return math.MaxInt64
	}
	return g * Gas(n)
}

// Charge is one named gas charge as it appears in traces: a compute part
// and an "other" (v2: storage) part. Only their sum matters for consensus.
type Charge struct {
	Name    string
	Compute Gas
	Other   Gas

	// err is set on a charge the price list does not have (see Err).
	err error
}

// Total is what the tracker deducts.
func (c Charge) Total() Gas { return c.Compute.Add(c.Other) }

// Err is non-nil (wrapping ErrNoSuchCharge) for a charge its price list does
// not have, returned by a method whose signature has no error result, e.g.
// OnActorEventValidate on WATERMELON. Tracker.Apply refuses such a charge
// with this error and charges nothing.
func (c Charge) Err() error { return c.err }

// ErrNoSuchCharge is wrapped by every error that says a price list has no
// such charge: the kernel asked for a charge that its network version's ABI
// cannot reach (a bug in the caller, not an actor error).
var ErrNoSuchCharge = errors.New("gas: no such charge in this price list")

// noSuchCharge is the error for charge name missing from list; use names
// what to call instead.
func noSuchCharge(list, name, use string) error {
	if use == "" {
		return fmt.Errorf("%w: %s has no %s", ErrNoSuchCharge, list, name)
	}
	return fmt.Errorf("%w: %s has no %s (call %s)", ErrNoSuchCharge, list, name, use)
}

// unpriced is a charge the list does not have (see Charge.Err).
func unpriced(list, name, use string) Charge {
	return Charge{Name: name, err: noSuchCharge(list, name, use)}
}

// ErrOutOfGas is returned by a charge that does not fit in the limit. It is
// neither a syscall error nor fatal: it unwinds the invocation (fvm-abi.md §5.2).
var ErrOutOfGas = errors.New("out of gas")
