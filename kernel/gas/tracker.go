package gas

import "math"

// Tracker counts the milligas used by one message (fvm-gas.md §1). A charge
// that would exceed the limit pins used to the limit and fails with
// ErrOutOfGas: there is no partial charge.
//
// The arithmetic follows the price list (NewTrackerFor). FVM v2 (SKYR) keeps
// gas in a signed i64 that saturates at its maximum, so with the largest
// limit a saturated charge still fits. FVM v3 and v4 keep it in a u64 that
// saturates at 2^64−1 mg, above every limit (limits are capped at i64::MAX
// mg, fvm-gas-next.md §1.1): there a saturated charge never fits — which is
// how a FIP-0075 lookback for a future epoch runs out of gas
// (fvm-gas-next.md §4.2, §10 example 7).
//
// nv18 adds a stack of sub-limits for sends with an explicit gas limit
// (fvm-gas.md §5.5): PushLimit starts a frame whose limit is
// min(available, limit) and whose used counter restarts at 0; PopLimit adds
// the frame's used amount to its parent.
type Tracker struct {
	frames   []frame
	unsigned bool
	// OnCharge, when set, sees every charge before it is applied (tracing).
	OnCharge func(Charge)
}

type frame struct{ limit, used Gas }

// NewTracker returns a tracker with the given limit. The limit is capped at
// math.MaxInt64 milligas, as both FVM lines do (fvm-abi.md §7.5).
func NewTracker(limit Gas) *Tracker {
	if limit < 0 {
		limit = 0
	}
	return &Tracker{frames: []frame{{limit: limit}}}
}

// NewTrackerGas is NewTracker for a limit in whole gas (saturating).
func NewTrackerGas(limit int64) *Tracker { return NewTracker(NewGas(limit)) }

// NewTrackerFor returns a tracker with the given limit and the gas
// arithmetic of p's FVM line: signed for SKYR (as NewTracker), unsigned for
// HYGGE and later. In unsigned mode a charge of math.MaxInt64 mg (the
// saturated value; every price is a multiple of 100 mg, so no real charge
// is that odd number) or below 0 (a u64 ≥ 2^63 read as signed) never fits.
func NewTrackerFor(p *PriceList, limit Gas) *Tracker {
	t := NewTracker(limit)
	t.unsigned = !p.Rules.SignedGas
	return t
}

func (t *Tracker) top() *frame { return &t.frames[len(t.frames)-1] }

// Apply charges c.Total(). A charge whose list does not have it
// (c.Err() != nil) is refused with that error; nothing is charged or traced.
func (t *Tracker) Apply(c Charge) error {
	if c.err != nil {
		return c.err
	}
	if t.OnCharge != nil {
		t.OnCharge(c)
	}
	return t.charge(c.Total())
}

// ChargeMilli charges an amount under a name (for callers that have no Charge).
func (t *Tracker) ChargeMilli(name string, g Gas) error {
	return t.Apply(Charge{Name: name, Compute: g})
}

func (t *Tracker) charge(g Gas) error {
	f := t.top()
	if t.unsigned {
		// used ≤ limit always holds, so limit − used cannot overflow.
		if g < 0 || g == math.MaxInt64 || g > f.limit-f.used {
			f.used = f.limit
			return ErrOutOfGas
		}
		f.used += g
		return nil
	}
	used := f.used.Add(g)
	if used > f.limit {
		f.used = f.limit
		return ErrOutOfGas
	}
	f.used = used
	return nil
}

// Used is the milligas used in the current frame.
func (t *Tracker) Used() Gas { return t.top().used }

// Limit is the current frame's limit.
func (t *Tracker) Limit() Gas { return t.top().limit }

// Available is limit − used of the current frame (never below 0).
func (t *Tracker) Available() Gas {
	f := t.top()
	if f.used >= f.limit {
		return 0
	}
	return f.limit - f.used
}

// TotalUsed is the milligas used by the whole message (all frames).
func (t *Tracker) TotalUsed() Gas {
	var u Gas
	for _, f := range t.frames {
		u = u.Add(f.used)
	}
	return u
}

// PushLimit starts an nv18 sub-limit frame of min(available, limit).
func (t *Tracker) PushLimit(limit Gas) {
	if a := t.Available(); limit > a || limit < 0 {
		limit = a
	}
	t.frames = append(t.frames, frame{limit: limit})
}

// PopLimit ends the innermost frame and adds its usage to the parent. It
// panics if no frame was pushed: that is a bug in the call manager.
func (t *Tracker) PopLimit() {
	if len(t.frames) == 1 {
		panic("gas: PopLimit without PushLimit")
	}
	child := t.frames[len(t.frames)-1]
	t.frames = t.frames[:len(t.frames)-1]
	p := t.top()
	p.used = p.used.Add(child.used)
	if p.used > p.limit { // cannot happen: the child limit fits in the parent
		p.used = p.limit
	}
}
