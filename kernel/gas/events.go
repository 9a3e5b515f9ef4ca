package gas

// The event charges: HYGGE's validate and accept pair on the raw CBOR event
// (FIP-0049, fvm-gas.md §2.2) and, from WATERMELON, one OnActorEvent on the
// packed entries (FIP-0072, fvm-gas-next.md §4.1).

// The reference's estimate of an event's CBOR size: 12 bytes per event
// (tuple, emitter id, entry array) and 9 per entry (fvm-gas-next.md §2.2).
const (
	eventOverhead      = 12
	eventEntryOverhead = 9
)

// eventsUse names what to call instead of an event charge the list lacks.
func (p *PriceList) eventsUse() string {
	switch p.Rules.Events {
	case EventsValidateAccept:
		return "OnActorEventValidate and OnActorEventAccept"
	case EventsPerEntry:
		return "OnActorEvent"
	}
	return ""
}

// OnActorEventValidate is charged on the raw n-byte event before decoding:
// memcpy + alloc + 1,750 + 25·n. Only HYGGE has it; elsewhere it is an
// unpriced charge (Charge.Err).
func (p *PriceList) OnActorEventValidate(n int) Charge {
	if p.Rules.Events != EventsValidateAccept {
		return unpriced(p.Name, "OnActorEventValidate", p.eventsUse())
	}
	per := p.BlockMemcpyPerByte.Add(p.BlockAllocPerByte).Add(p.EventValidatePerByte)
	return Charge{Name: "OnActorEventValidate", Compute: p.EventValidateBase.Add(per.Mul(int64(n)))}
}

// OnActorEventAccept is charged for an accepted n-byte event: S = n + 12;
// compute memcpy+alloc, other 2·memcpy + alloc + blake2b (index costs are 0).
// Only HYGGE has it; elsewhere it is an unpriced charge (Charge.Err).
func (p *PriceList) OnActorEventAccept(n int) Charge {
	if p.Rules.Events != EventsValidateAccept {
		return unpriced(p.Name, "OnActorEventAccept", p.eventsUse())
	}
	s := int64(n) + eventOverhead
	memcpy := p.BlockMemcpyPerByte.Mul(s)
	alloc := p.BlockAllocPerByte.Mul(s)
	h, _ := p.hashPerByte(HashBlake2b256)
	return Charge{
		Name:    "OnActorEventAccept",
		Compute: memcpy.Add(alloc),
		Other:   memcpy.Mul(2).Add(alloc).Add(h.Mul(s)),
	}
}

// OnActorEvent is emit_event's one charge from WATERMELON, on the buffer
// lengths the actor passed (entries headers, keyBytes of keys, valueBytes of
// values) before any check: with S = 12 + 9·entries + keyBytes + valueBytes
// (saturating) and mem = (memcpy + alloc)·S, compute = 2·mem + 2,000 +
// 1,400·entries + 500 + 16·keyBytes and other = blake2b·S + mem
// (fvm-gas-next.md §4.1). The error wraps ErrNoSuchCharge on a list with
// the older event charges or none.
func (p *PriceList) OnActorEvent(entries, keyBytes, valueBytes int) (Charge, error) {
	if p.Rules.Events != EventsPerEntry {
		return Charge{}, noSuchCharge(p.Name, "OnActorEvent", p.eventsUse())
	}
	e, k := count(entries), count(keyBytes)
	s := addCount(addCount(addCount(eventOverhead, mulCount(eventEntryOverhead, e)), k), count(valueBytes))
	mem := p.BlockMemcpyPerByte.MulCount(s).Add(p.BlockAllocPerByte.MulCount(s))
	h, _ := p.hashPerByte(HashBlake2b256)
	return Charge{
		Name:    "OnActorEvent",
		Compute: mem.Mul(2).Add(p.EventPerEntry.ApplyCount(e)).Add(p.EventUTF8.ApplyCount(k)),
		Other:   h.MulCount(s).Add(mem),
	}, nil
}

// addCount and mulCount are saturating u64 arithmetic.
func addCount(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return 1<<64 - 1
}

func mulCount(a, b uint64) uint64 {
	if a != 0 && b > (1<<64-1)/a {
		return 1<<64 - 1
	}
	return a * b
}
