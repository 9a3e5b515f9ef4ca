package codecs

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"
)

// ScanFlushLinks calls fn for every link (CBOR tag 42) in a DAG-CBOR block,
// in order, accepting and rejecting what the flush scanner of fvm 3.6.0 and
// later does (scan_for_links in fvm/src/blockstore/buffered.rs, rewritten in
// 3.6.0, the same in fvm@v3.14.1 and fvm@v4.8.2; fvm-abi-next.md §4.7). It
// is looser than ScanLinks, the scanner of 2.x and 3.0–3.5:
//
//   - Headers need not be minimal; additional info 28..31 (reserved,
//     indefinite lengths, break) and a truncated header are errors.
//   - A byte or text string longer than what is left is an error at once.
//   - Tag 42 must hold a byte string that fits, whose first byte is 0x00
//     (checked, unlike ScanLinks) and after it one binary CID (digest ≤ 64
//     bytes); bytes after the CID inside the string are ignored, and there
//     is no 100-byte limit. An empty string is an error (the reference
//     would panic slicing it).
//   - Other tags are transparent; arrays and maps add their element count
//     (twice for maps) to the items still to read, with wrapping 64-bit
//     arithmetic as the reference's release build.
//   - Bytes after the first complete item are ignored.
//
// Every item consumes at least one byte, so the scan ends on any input. The
// CID passed to fn shares memory with data, as with ScanLinks.
func ScanFlushLinks(data []byte, fn func(cid.Cid) error) error {
	n := uint64(len(data))
	var pos uint64
	remaining := uint64(1)
	for remaining > 0 {
		maj, val, next, err := readLooseHeader(data, pos)
		if err != nil {
			return err
		}
		at := pos
		pos = next
		switch maj {
		case 0, 1, 7:
		case 2, 3:
			if val > n-pos {
				return scanErr(at, "unexpected end of input")
			}
			pos += val
		case 4:
			remaining += val
		case 5:
			remaining += val * 2
		case 6:
			if val != 42 {
				remaining++
				break
			}
			cmaj, clen, next, err := readLooseHeader(data, pos)
			if err != nil {
				return err
			}
			if cmaj != 2 {
				return scanErr(pos, "cid is not a byte string")
			}
			at, pos = pos, next
			if clen > n-pos {
				return scanErr(at, "unexpected end of input")
			}
			if pos >= n || data[pos] != 0 {
				return scanErr(at, "cid does not start with 0x00")
			}
			if clen == 0 {
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

// readLooseHeader reads the CBOR header at data[pos] without the minimality
// rule and returns its major type, value and the position after it.
func readLooseHeader(data []byte, pos uint64) (maj byte, val uint64, next uint64, err error) {
	n := uint64(len(data))
	if pos >= n {
		return 0, 0, 0, scanErr(pos, "unexpected end of input")
	}
	first := data[pos]
	maj, low := first>>5, first&0x1f
	var size uint64
	switch {
	case low < 24:
		return maj, uint64(low), pos + 1, nil
	case low == 24:
		size = 1
	case low == 25:
		size = 2
	case low == 26:
		size = 4
	case low == 27:
		size = 8
	default:
		return 0, 0, 0, scanErr(pos, "invalid header (additional info 28..31)")
	}
	if n-pos-1 < size {
		return 0, 0, 0, scanErr(pos, "unexpected end of input")
	}
	b := data[pos+1 : pos+1+size]
	switch size {
	case 1:
		val = uint64(b[0])
	case 2:
		val = uint64(binary.BigEndian.Uint16(b))
	case 4:
		val = uint64(binary.BigEndian.Uint32(b))
	default:
		val = binary.BigEndian.Uint64(b)
	}
	return maj, val, pos + 1 + size, nil
}
