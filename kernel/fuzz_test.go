package kernel

import (
	"bytes"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
)

// FuzzDecodeMessage: untrusted message bytes decode or fail, never panic,
// and what decodes re-encodes to the same bytes.
func FuzzDecodeMessage(f *testing.F) {
	m := &Message{To: idAddr(99), From: idAddr(100), Value: big.NewInt(5), GasLimit: 10,
		GasFeeCap: big.NewInt(1), GasPremium: big.Zero(), Params: []byte{1, 2}}
	b, _ := m.Bytes()
	f.Add(b)
	f.Add([]byte{0x8a})
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := DecodeMessage(data)
		if err != nil {
			return
		}
		out, err := msg.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, data) {
			// non-canonical big ints may re-encode differently; only check
			// that the re-encoding decodes to the same message.
			again, err := DecodeMessage(out)
			if err != nil || again.Nonce != msg.Nonce || again.Method != msg.Method {
				t.Fatalf("round trip changed the message")
			}
		}
	})
}

// FuzzDecodeActorEvent: actor-supplied event bytes never panic.
func FuzzDecodeActorEvent(f *testing.F) {
	f.Add(encodeStampedEvent(1, []eventEntry{{flags: 3, key: "k", codec: 0x55, value: []byte("v")}})[2:])
	f.Add([]byte{0x81, 0x84, 0x00, 0x60, 0x18, 0x55, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := decodeActorEvent(data)
		if err == nil && len(entries) > len(data) {
			t.Fatalf("more entries than bytes")
		}
	})
}
