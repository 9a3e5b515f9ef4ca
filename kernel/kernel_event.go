package kernel

import (
	"bytes"
	"errors"
	"unicode/utf8"

	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
)

// Event limits of FVM v3 (fvm-abi.md §6.12).
const (
	maxEventEncoded   = 1 << 20
	maxEventEntries   = 256
	maxEventKeyLen    = 32
	maxEventValuesLen = 8 << 10
)

// Event limits and flags of FVM v4 (FIP-0072, fvm-abi-next.md §5.2): one
// entry and one key byte fewer; the value budget is unchanged.
const (
	maxPackedEntries   = 255
	maxPackedKeyLen    = 31
	eventFlagsDefined  = 1<<0 | 1<<1 // FLAG_INDEXED_KEY, FLAG_INDEXED_VALUE (fvm-abi-next.md §1.3)
	utf8ContinuationHi = 0xc0
	utf8Continuation   = 0x80
)

type eventEntry struct {
	flags uint64
	key   string
	codec uint64
	value []byte
}

// EmitEvent is event.emit_event of FVM v3: read-only check, validate charge,
// size cap, strict decode, validation, accept charge, then the event is
// stamped with this actor's id and recorded.
func (k *invocationKernel) EmitEvent(raw []byte) error {
	if k.readOnly {
		return errno.New(errno.ReadOnly, "cannot emit events while read-only")
	}
	if err := k.cm.charge(k.cm.p.OnActorEventValidate(len(raw))); err != nil {
		return err
	}
	if len(raw) > maxEventEncoded {
		return errno.New(errno.IllegalArgument, "event too large")
	}
	entries, err := decodeActorEvent(raw)
	if err != nil {
		return errno.New(errno.IllegalArgument, "decoding event: %v", err)
	}
	if len(entries) > maxEventEntries {
		return errno.New(errno.IllegalArgument, "event exceeded max entries: %d", len(entries))
	}
	total := 0
	for _, e := range entries {
		if len(e.key) > maxEventKeyLen {
			return errno.New(errno.IllegalArgument, "event key exceeded max size: %d", len(e.key))
		}
		if e.codec != codecs.Raw {
			return errno.New(errno.IllegalCodec, "event codec must be raw, was %#x", e.codec)
		}
		total += len(e.value)
	}
	if total > maxEventValuesLen {
		return errno.New(errno.IllegalArgument, "event total values exceeded max size: %d", total)
	}
	if err := k.cm.charge(k.cm.p.OnActorEventAccept(len(raw))); err != nil {
		return err
	}
	k.cm.events.append(encodeStampedEvent(uint64(k.receiver), entries))
	return nil
}

// EmitEventEntries is event.emit_event of FVM v4 (FIP-0072), in the order of
// fvm-abi-next.md §5.2: read-only, one OnActorEvent on the buffer lengths
// as given, then every limit (entries, value budget, UTF-8 of the whole key
// buffer, per entry flags, key length, value length, key and value slices
// with UTF-8 boundaries, codec), then the buffers must be used exactly.
func (k *invocationKernel) EmitEventEntries(headers []syscalls.EventEntry, keys, values []byte) error {
	if k.readOnly {
		return errno.New(errno.ReadOnly, "cannot emit events while read-only")
	}
	c, err := k.cm.p.OnActorEvent(len(headers), len(keys), len(values))
	if err != nil {
		return err
	}
	if err := k.cm.charge(c); err != nil {
		return err
	}
	entries, err := packedEvent(headers, keys, values, k.cm.rules.CBOREventValues)
	if err != nil {
		return err
	}
	k.cm.events.append(encodeStampedEvent(uint64(k.receiver), entries))
	return nil
}

// packedEvent checks a FIP-0072 event after its charge, in the order of
// fvm-abi-next.md §5.2 steps 3–7, and returns its entries (keys copied,
// values views of values). cborValues allows codec 0x51 besides 0x55
// (Rules.CBOREventValues).
func packedEvent(headers []syscalls.EventEntry, keys, values []byte, cborValues bool) ([]eventEntry, error) {
	if len(headers) > maxPackedEntries {
		return nil, errno.New(errno.LimitExceeded, "event exceeded max entries: %d", len(headers))
	}
	if len(values) > maxEventValuesLen {
		return nil, errno.New(errno.LimitExceeded, "event values exceed %d bytes: %d", maxEventValuesLen, len(values))
	}
	if !utf8.Valid(keys) {
		return nil, errno.New(errno.IllegalArgument, "event keys are not UTF-8")
	}
	entries := make([]eventEntry, 0, len(headers))
	keyOff, valOff := 0, 0
	for i, h := range headers {
		if h.Flags&^eventFlagsDefined != 0 {
			return nil, errno.New(errno.IllegalArgument, "entry %d: unknown flags %#x", i, h.Flags)
		}
		if h.KeyLen > maxPackedKeyLen {
			return nil, errno.New(errno.LimitExceeded, "entry %d: key of %d bytes", i, h.KeyLen)
		}
		if h.ValueLen > maxEventValuesLen { // guards the offset arithmetic
			return nil, errno.New(errno.IllegalArgument, "entry %d: value of %d bytes", i, h.ValueLen)
		}
		keyEnd, valEnd := keyOff+int(h.KeyLen), valOff+int(h.ValueLen)
		// keyOff is a character boundary (0 or the previous keyEnd); the key
		// must end on one too (a split character is IllegalArgument, not the
		// FIP's LimitExceeded).
		if keyEnd > len(keys) || (keyEnd < len(keys) && keys[keyEnd]&utf8ContinuationHi == utf8Continuation) {
			return nil, errno.New(errno.IllegalArgument, "entry %d: key out of range", i)
		}
		if valEnd > len(values) {
			return nil, errno.New(errno.IllegalArgument, "entry %d: value out of range", i)
		}
		if h.Codec != codecs.Raw && !(cborValues && h.Codec == codecs.CBOR) {
			return nil, errno.New(errno.IllegalCodec, "entry %d: event codec %#x", i, h.Codec)
		}
		// Views of the caller's buffers: the caller copies them.
		entries = append(entries, eventEntry{flags: h.Flags, key: string(keys[keyOff:keyEnd]), codec: h.Codec,
			value: values[valOff:valEnd]})
		keyOff, valOff = keyEnd, valEnd
	}
	if keyOff != len(keys) {
		return nil, errno.New(errno.IllegalArgument, "event keys use %d of %d bytes", keyOff, len(keys))
	}
	if valOff != len(values) {
		return nil, errno.New(errno.IllegalArgument, "event values use %d of %d bytes", valOff, len(values))
	}
	return entries, nil
}

// decodeActorEvent reads [[flags, key, codec, value], ...] and rejects
// trailing bytes.
func decodeActorEvent(raw []byte) (entries []eventEntry, err error) {
	defer func() {
		if r := recover(); r != nil {
			entries, err = nil, errors.New("malformed event")
		}
	}()
	br := bytes.NewReader(raw)
	r := cbg.NewCborReader(br)
	maj, n, err := r.ReadHeader()
	if err != nil {
		return nil, err
	}
	if maj != cbg.MajArray || n > uint64(len(raw)) {
		return nil, errors.New("event is not an array")
	}
	for i := uint64(0); i < n; i++ {
		if maj, l, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || l != 4 {
			return nil, errors.New("entry is not a 4-tuple")
		}
		var e eventEntry
		if maj, v, err := r.ReadHeader(); err != nil || maj != cbg.MajUnsignedInt {
			return nil, errors.New("entry flags")
		} else {
			e.flags = v
		}
		if e.key, err = cbg.ReadStringWithMax(r, maxEventEncoded); err != nil {
			return nil, err
		}
		if !utf8.ValidString(e.key) {
			return nil, errors.New("entry key is not UTF-8")
		}
		if maj, v, err := r.ReadHeader(); err != nil || maj != cbg.MajUnsignedInt {
			return nil, errors.New("entry codec")
		} else {
			e.codec = v
		}
		if e.value, err = cbg.ReadByteArray(r, maxEventEncoded); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if br.Len() != 0 {
		return nil, errors.New("trailing bytes after event")
	}
	return entries, nil
}

// encodeStampedEvent writes [emitter, [[flags, key, codec, value], ...]].
func encodeStampedEvent(emitter uint64, entries []eventEntry) []byte {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 2)
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, emitter)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(entries)))
	for _, e := range entries {
		_ = w.WriteMajorTypeHeader(cbg.MajArray, 4)
		_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, e.flags)
		_ = w.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(e.key)))
		_, _ = w.Write([]byte(e.key))
		_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, e.codec)
		_ = w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(e.value)))
		_, _ = w.Write(e.value)
	}
	return buf.Bytes()
}
