package codecs

import (
	"encoding/binary"
	"fmt"

	"github.com/ipfs/go-cid"
)

// ScanError says why ScanLinks gave up on a block and where.
type ScanError struct {
	Offset int    // byte offset of the header being read
	Reason string // what was wrong
}

func (e *ScanError) Error() string {
	return fmt.Sprintf("dag-cbor link scan: %s at offset %d", e.Reason, e.Offset)
}

func scanErr(off uint64, reason string) error {
	if off > 1<<62 {
		off = 1 << 62
	}
	return &ScanError{Offset: int(off), Reason: reason}
}

// ScanLinks calls fn for every link (CBOR tag 42) in a DAG-CBOR block, in
// order, accepting and rejecting exactly what the reference flush scanner
// of fvm 2.x and 3.0–3.5 does (ref-fvm fvm/src/blockstore/buffered.rs
// scan_for_links, identical in fvm@v2.12.1 and fvm@v3.1.0; fvm-abi.md §4.3;
// 3.6.0 rewrote it, see ScanFlushLinks):
//
//   - Headers must be minimal (24 with a value < 24, 25 with ≤ 0xff, 26 with
//     ≤ 0xffff, 27 with ≤ 0xffffffff are rejected) and this applies to major
//     type 7 too, so a float64 whose bits are ≤ 0xffffffff (0.0, tiny
//     subnormals), a float32 with bits ≤ 0xffff, a float16 with bits ≤ 0xff and
//     a simple value 24..31 spelled with a second byte below 24 are all errors.
//     Additional info 28..31 (reserved, indefinite lengths, break) is an error.
//   - Byte and text strings are skipped without looking at their contents. A
//     string running past the end is an error only if another item follows
//     (the reference seeks past the end and fails on the next read). Lengths
//     ≥ 2^63 seek backwards, as the reference's i64 seek does.
//   - Tag 42 must hold a byte string of 1..100 bytes whose first byte (the
//     multibase prefix) is not checked; the rest is read as a binary CID
//     (digest ≤ 64 bytes) and bytes after the CID are ignored.
//   - Other tags are transparent; arrays and maps add their element count to
//     the items still to read, with wrapping 64-bit arithmetic (the reference
//     is built without overflow checks).
//   - Bytes after the first complete item are ignored.
//
// The CID passed to fn shares memory with data (no allocation): data must not
// change while the CID is in use. Blocks are immutable everywhere in gofvm, so
// keeping the CID is fine when data is a block; copy it otherwise. The scan
// is iterative. Inputs that make the reference seek backwards into a loop are
// cut off after a step budget proportional to len(data) with an error, where
// the reference would spin.
func ScanLinks(data []byte, fn func(cid.Cid) error) error {
	n := uint64(len(data))
	var pos uint64
	remaining := uint64(1)
	steps, maxSteps := uint64(0), 64*n+1024
	for remaining > 0 {
		if steps++; steps > maxSteps {
			return scanErr(pos, "scan does not terminate")
		}
		if pos >= n {
			return scanErr(pos, "unexpected end of input")
		}
		first := data[pos]
		maj, val := first>>5, uint64(first&0x1f)
		if val < 24 {
			pos++
		} else {
			var err error
			if val, pos, err = readLongHeader(data, pos); err != nil {
				return err
			}
		}
		switch maj {
		case 0, 1, 7:
		case 2, 3:
			if val < 1<<63 {
				pos += val
			} else if back := -val; back <= pos {
				pos -= back
			} else {
				return scanErr(pos, "seek before start of input")
			}
		case 4:
			remaining += val
		case 5:
			remaining += val * 2
		case 6:
			if val != 42 {
				remaining++
				break
			}
			if pos >= n {
				return scanErr(pos, "unexpected end of input")
			}
			at := pos
			first := data[pos]
			cmaj, clen := first>>5, uint64(first&0x1f)
			if clen < 24 {
				pos++
			} else {
				var err error
				if clen, pos, err = readLongHeader(data, pos); err != nil {
					return err
				}
			}
			if cmaj != 2 {
				return scanErr(at, "cid is not a byte string")
			}
			if clen > MaxCidLen {
				return scanErr(at, "cid byte string too long")
			}
			if clen > n-pos {
				return scanErr(at, "unexpected end of input")
			}
			if clen == 0 {
				// The reference slices scratch[1..0] here and panics; the
				// flush fails either way.
				return scanErr(at, "empty cid byte string")
			}
			start := pos + 1
			body := data[start : pos+clen]
			f, cn, canonical, err := parseCid(body)
			if err != nil {
				return scanErr(at, err.Error())
			}
			pos += clen
			var c cid.Cid
			if canonical {
				c = aliasCid(data, int(start), cn)
			} else {
				c = cidFromString(string(encodeCid(f, body)))
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		remaining--
	}
	return nil
}

// readLongHeader reads a header whose additional info is 24..31 at data[pos],
// enforcing the reference's minimal-encoding rule, and returns its value and
// the position after it.
func readLongHeader(data []byte, pos uint64) (uint64, uint64, error) {
	n := uint64(len(data))
	switch data[pos] & 0x1f {
	case 24:
		if n-pos < 2 {
			return 0, 0, scanErr(pos, "unexpected end of input")
		}
		v := uint64(data[pos+1])
		if v < 24 {
			return 0, 0, scanErr(pos, "non-minimal header (24 with value < 24)")
		}
		return v, pos + 2, nil
	case 25:
		if n-pos < 3 {
			return 0, 0, scanErr(pos, "unexpected end of input")
		}
		v := uint64(binary.BigEndian.Uint16(data[pos+1:]))
		if v <= 0xff {
			return 0, 0, scanErr(pos, "non-minimal header (25 with value <= 0xff)")
		}
		return v, pos + 3, nil
	case 26:
		if n-pos < 5 {
			return 0, 0, scanErr(pos, "unexpected end of input")
		}
		v := uint64(binary.BigEndian.Uint32(data[pos+1:]))
		if v <= 0xffff {
			return 0, 0, scanErr(pos, "non-minimal header (26 with value <= 0xffff)")
		}
		return v, pos + 5, nil
	case 27:
		if n-pos < 9 {
			return 0, 0, scanErr(pos, "unexpected end of input")
		}
		v := binary.BigEndian.Uint64(data[pos+1:])
		if v <= 0xffffffff {
			return 0, 0, scanErr(pos, "non-minimal header (27 with value <= 0xffffffff)")
		}
		return v, pos + 9, nil
	default:
		return 0, 0, scanErr(pos, "invalid header (additional info 28..31)")
	}
}
