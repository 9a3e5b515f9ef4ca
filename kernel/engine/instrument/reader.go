package instrument

import (
	"errors"
	"fmt"
	"math"
)

// ErrMalformed wraps every decoding failure of untrusted bytes: truncated
// input, over-long LEB128, counts larger than the bytes that could hold them.
var ErrMalformed = errors.New("malformed wasm")

// ErrUnsupported wraps every refusal of a module the selected FVM line
// cannot load: a feature its engine disables, or something its instrumenter
// cannot decode or refuses (fvm-gas.md §3.2, §4; fvm-gas-next.md §6.2).
var ErrUnsupported = errors.New("unsupported wasm feature")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// reader walks untrusted bytes. Every read is bounds-checked and every
// LEB128 is limited to its type's maximum length, so bad input yields an
// error, never a panic or a loop.
type reader struct {
	b   []byte
	pos int
}

func (r *reader) eof() bool { return r.pos >= len(r.b) }

func (r *reader) remaining() int { return len(r.b) - r.pos }

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, malformed("unexpected end at offset %d", r.pos)
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, malformed("need %d bytes at offset %d, have %d", n, r.pos, r.remaining())
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s, nil
}

// u32 reads an unsigned LEB128 of at most 5 bytes whose value fits 32 bits.
func (r *reader) u32() (uint32, error) {
	var v uint32
	for i := 0; i < 5; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i == 4 && c&0xF0 != 0 {
			return 0, malformed("u32 LEB128 overflow at offset %d", r.pos-1)
		}
		v |= uint32(c&0x7F) << (7 * i)
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, malformed("u32 LEB128 too long at offset %d", r.pos)
}

// s32 reads a signed LEB128 of at most 5 bytes (i32.const).
func (r *reader) s32() (int32, error) {
	var v int64
	var shift uint
	for i := 0; i < 5; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if i == 4 {
				// The unused high bits of the last byte must be a sign extension.
				top := c & 0x70
				if (c&0x08 == 0 && top != 0) || (c&0x08 != 0 && top != 0x70) {
					return 0, malformed("s32 LEB128 overflow at offset %d", r.pos-1)
				}
			}
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return int32(v), nil
		}
	}
	return 0, malformed("s32 LEB128 too long at offset %d", r.pos)
}

// s64 reads a signed LEB128 of at most 10 bytes (i64.const).
func (r *reader) s64() (int64, error) {
	var v int64
	var shift uint
	for i := 0; i < 10; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if i == 9 && c != 0 && c != 0x7F {
				return 0, malformed("s64 LEB128 overflow at offset %d", r.pos-1)
			}
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
	return 0, malformed("s64 LEB128 too long at offset %d", r.pos)
}

// s33 reads a block type: a signed LEB128 of at most 5 bytes, 33 bits.
func (r *reader) s33() (int64, error) {
	var v int64
	var shift uint
	for i := 0; i < 5; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			if v < -(1<<32) || v > math.MaxUint32 {
				return 0, malformed("s33 out of range at offset %d", r.pos-1)
			}
			return v, nil
		}
	}
	return 0, malformed("s33 LEB128 too long at offset %d", r.pos)
}

// count reads a vector length and bounds it by the bytes left, assuming each
// element takes at least minSize bytes.
func (r *reader) count(minSize int) (int, error) {
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if minSize < 1 {
		minSize = 1
	}
	if int64(n)*int64(minSize) > int64(r.remaining()) {
		return 0, malformed("count %d exceeds remaining %d bytes at offset %d", n, r.remaining(), r.pos)
	}
	return int(n), nil
}

func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	b, err := r.bytes(int(n))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Writers.

func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}

func fmtFunc(err error, f int) error {
	return fmt.Errorf("function %d: %w", f, err)
}
