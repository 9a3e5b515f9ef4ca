package gas

// Tracker counts the milligas used by one message (fvm-gas.md §1). A charge
// that would exceed the limit pins used to the limit and fails with
// ErrOutOfGas: there is no partial charge.
//
// nv18 adds a stack of sub-limits for sends with an explicit gas limit
// (fvm-gas.md §5.5): PushLimit starts a frame whose limit is
// min(available, limit) and whose used counter restarts at 0; PopLimit adds
// the frame's used amount to its parent.
type Tracker struct {
	frames []frame
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

func (t *Tracker) top() *frame { return &t.frames[len(t.frames)-1] }

// Apply charges c.Total().
func (t *Tracker) Apply(c Charge) error {
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
