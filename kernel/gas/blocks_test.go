package gas

import (
	"errors"
	"testing"
)

// The scan's gas mechanics (fvm-gas-next.md §3.2, fvm-abi-next.md §4.5): a
// private budget of the gas available at the start; reaching exactly 0 is
// fine; running out consumes the whole budget, whose charge then fits the
// tracker exactly and leaves nothing available.
func TestScanMeter(t *testing.T) {
	p := Watermelon()
	tr := NewTrackerFor(p, NewGas(1_000_000))
	if err := tr.Apply(Charge{Name: "before", Compute: NewGas(1_000_000 - 835)}); err != nil {
		t.Fatal(err)
	}
	// 835 = 13·35 + 400 − 20: one CID and 12 fields fit, the 13th field does not.
	m, err := p.NewScanMeter(tr.Available())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Field(); err != nil {
		t.Fatal(err)
	}
	if err := m.CID(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 11; i++ {
		if err := m.Field(); err != nil {
			t.Fatalf("field %d: %v", i+2, err)
		}
	}
	if m.Used() != NewGas(12*35+400) {
		t.Fatalf("used %d", m.Used())
	}
	if err := m.Field(); !errors.Is(err, ErrOutOfGas) {
		t.Fatalf("13th field: %v", err)
	}
	c := m.Charge()
	if c.Name != "OnScanIpldLinks" || c.Compute != NewGas(835) || c.Other != 0 {
		t.Fatalf("charge after running out %+v", c)
	}
	if err := tr.Apply(c); err != nil || tr.Available() != 0 {
		t.Fatalf("apply %v, available %d", err, tr.Available())
	}

	// Exactly exhausting the budget is fine.
	m, _ = p.NewScanMeter(NewGas(435))
	if m.CID() != nil || m.Field() != nil || m.Used() != NewGas(435) {
		t.Errorf("exact budget: used %d", m.Used())
	}
	if m.Field() == nil {
		t.Error("field after an exact budget")
	}
	// A negative or zero budget runs out at the first field.
	for _, g := range []Gas{0, -5} {
		m, _ = p.NewScanMeter(g)
		if m.Field() == nil || m.Charge().Compute != 0 {
			t.Errorf("budget %d: %+v", g, m.Charge())
		}
	}
	// A meter that did not run out charges what OnScanIpldLinks prices.
	m, _ = Teep().NewScanMeter(NewGas(1 << 40))
	for i := 0; i < 9; i++ {
		_ = m.Field()
	}
	_ = m.CID()
	if want := mustE(Teep().OnScanIpldLinks(9, 1)); m.Charge() != want {
		t.Errorf("meter %+v, closed form %+v", m.Charge(), want)
	}
}

// FuzzScanMeter: whatever the sequence of fields and CIDs, the meter never
// charges more than its budget, equals 35F + 400C while it fits, and
// charges the whole budget once it has run out.
func FuzzScanMeter(f *testing.F) {
	f.Add(int64(1_000_000), []byte{0, 1, 0, 0})
	f.Add(int64(35_000), []byte{0, 0})
	f.Add(int64(0), []byte{1})
	f.Fuzz(func(t *testing.T, budget int64, ops []byte) {
		p := Watermelon()
		m, err := p.NewScanMeter(Gas(budget))
		if err != nil {
			t.Fatal(err)
		}
		var fields, cids int
		out := false
		for _, op := range ops {
			var err error
			if op&1 == 0 {
				err = m.Field()
			} else {
				err = m.CID()
			}
			if err != nil {
				out = true
				break
			}
			if op&1 == 0 {
				fields++
			} else {
				cids++
			}
		}
		c := m.Charge()
		avail := max(Gas(budget), 0)
		switch {
		case c.Total() > avail || c.Total() < 0:
			t.Fatalf("charge %d over budget %d", c.Total(), avail)
		case out && c.Total() != avail:
			t.Fatalf("ran out but charged %d of %d", c.Total(), avail)
		case !out && c != mustE(p.OnScanIpldLinks(fields, cids)):
			t.Fatalf("charged %+v for %d fields %d CIDs", c, fields, cids)
		}
	})
}

func BenchmarkScanMeterField(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	m, _ := p.NewScanMeter(1 << 62)
	for i := 0; i < b.N; i++ {
		_ = m.Field()
	}
}

// A whole meter per block open: start, 16 fields and 4 CIDs, charge.
func BenchmarkScanMeterBlock(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	var c Charge
	for i := 0; i < b.N; i++ {
		m, _ := p.NewScanMeter(1 << 40)
		for j := 0; j < 16; j++ {
			_ = m.Field()
			if j&3 == 0 {
				_ = m.CID()
			}
		}
		c = m.Charge()
	}
	_ = c
}

func BenchmarkOnScanIpldLinks(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = p.OnScanIpldLinks(i&0xff, i&0xf)
	}
}

func BenchmarkOnBlockOpen(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = p.OnBlockOpen(i&0xffff, i&0xf)
	}
}

func BenchmarkOnActorEvent(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = p.OnActorEvent(i&0xff, i&0xfff, i&0x1fff)
	}
}

func BenchmarkOnGetRandomnessLookback(b *testing.B) {
	p := Watermelon()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = p.OnGetRandomnessLookback(32, int64(i&0xffff))
	}
}
