package kernel

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf8"

	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
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

// FuzzPackedEvent: a FIP-0072 event from fuzz-chosen headers and buffers
// (fvm-abi-next.md §5.2) never panics; when accepted, its entries use the
// key and value buffers exactly and in order, within every limit, with keys
// that are whole UTF-8 strings and a raw or (with CBOR values) CBOR codec;
// when refused, the error is a syscall error of §5.2's kinds.
func FuzzPackedEvent(f *testing.F) {
	entry := func(flags, codec uint64, k, v uint32) []byte {
		b := binary.LittleEndian.AppendUint64(nil, flags)
		b = binary.LittleEndian.AppendUint64(b, codec)
		b = binary.LittleEndian.AppendUint32(b, k)
		return binary.LittleEndian.AppendUint32(b, v)
	}
	f.Add(entry(3, 0x55, 1, 1), []byte("k"), []byte("v"), true)
	f.Add(append(entry(0, 0x51, 1, 0), entry(0, 0x55, 1, 0)...), []byte("é"), []byte{}, false)
	f.Add(entry(4, 0x71, 32, 9000), []byte("kkkk"), []byte{}, true)
	f.Fuzz(func(t *testing.T, raw, keys, values []byte, cbor bool) {
		headers := make([]syscalls.EventEntry, len(raw)/24)
		for i := range headers {
			b := raw[24*i:]
			headers[i] = syscalls.EventEntry{Flags: binary.LittleEndian.Uint64(b), Codec: binary.LittleEndian.Uint64(b[8:]),
				KeyLen: binary.LittleEndian.Uint32(b[16:]), ValueLen: binary.LittleEndian.Uint32(b[20:])}
		}
		entries, err := packedEvent(headers, keys, values, cbor)
		if err != nil {
			switch n, _ := errno.Of(err); n {
			case errno.IllegalArgument, errno.LimitExceeded, errno.IllegalCodec:
			default:
				t.Fatalf("error %v is not one of §5.2's", err)
			}
			return
		}
		if len(entries) != len(headers) || len(headers) > maxPackedEntries || len(values) > maxEventValuesLen {
			t.Fatalf("%d entries for %d headers, %d value bytes", len(entries), len(headers), len(values))
		}
		var k, v []byte
		for i, e := range entries {
			h := headers[i]
			if len(e.key) != int(h.KeyLen) || len(e.value) != int(h.ValueLen) || e.flags != h.Flags || e.codec != h.Codec ||
				len(e.key) > maxPackedKeyLen || !utf8.ValidString(e.key) || e.flags&^eventFlagsDefined != 0 ||
				!(e.codec == codecs.Raw || (cbor && e.codec == codecs.CBOR)) {
				t.Fatalf("entry %d %+v from header %+v", i, e, h)
			}
			k, v = append(k, e.key...), append(v, e.value...)
		}
		if !bytes.Equal(k, keys) || !bytes.Equal(v, values) {
			t.Fatalf("entries do not use the buffers exactly")
		}
	})
}
