package kernel

import (
	"bytes"
	"errors"
	"unicode/utf8"

	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// Event limits (fvm-abi.md §6.12).
const (
	maxEventEncoded   = 1 << 20
	maxEventEntries   = 256
	maxEventKeyLen    = 32
	maxEventValuesLen = 8 << 10
)

type eventEntry struct {
	flags uint64
	key   string
	codec uint64
	value []byte
}

// EmitEvent is event.emit_event (v3): read-only check, validate charge,
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
