package scenario

import (
	"testing"
)

// decodeEvent reads the kernel's StampedEvent bytes: whatever they are, it
// returns an event or an error, never panics.
func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte{0x82, 0x18, 0x67, 0x81, 0x84, 0x03, 0x61, 'k', 0x18, 0x55, 0x41, 'v'})
	f.Add([]byte{0x82, 0x00, 0x80})
	f.Add([]byte{0x82})
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := decodeEvent(b)
		if err == nil && len(ev.Entries) > 1024 {
			t.Fatalf("%d entries", len(ev.Entries))
		}
	})
}

func TestDecodeEventSeed(t *testing.T) {
	ev, err := decodeEvent([]byte{0x82, 0x18, 0x67, 0x81, 0x84, 0x03, 0x61, 'k', 0x18, 0x55, 0x41, 'v'})
	if err != nil || ev.Emitter != 0x67 || len(ev.Entries) != 1 || ev.Entries[0].Key != "k" || string(ev.Entries[0].Value) != "v" {
		t.Fatalf("%+v %v", ev, err)
	}
	for _, bad := range [][]byte{nil, {0x82}, {0x81, 0x00}, {0x82, 0x00, 0x81, 0x83}} {
		if _, err := decodeEvent(bad); err == nil {
			t.Errorf("%x decoded", bad)
		}
	}
}
