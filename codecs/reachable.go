package codecs

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// AppendReachable is FIP-0071's link scan as the reference runs it from FVM
// v4 (fvm-abi-next.md §4.2, fvm-gas-next.md §3.2): it appends to links, in
// order of appearance and with duplicates, every CID a block of codec makes
// reachable, and returns the extended slice.
//
// Raw and CBOR blocks have no links and are not read. DAG-CBOR is walked
// item by item: headers need not be minimal, but additional info 28–31,
// truncation, a field count that overflows 64 bits, and bytes after the
// top-level item are Serialization. A tag 42 must wrap a byte string that
// starts with 0x00 and holds exactly one binary CID (digest ≤ 64 bytes),
// else Serialization. Each CID is then sorted out, in this order:
//
//   - codec 0xf101/0xf102 (commitments): ignored, whatever the hash;
//   - codec not CBOR/DAG-CBOR/raw: NotFound (a block that cannot exist);
//   - identity hash: not a link; the inline block is scanned in its place,
//     with the same meter and its own trailing-bytes check;
//   - anything but blake2b-256 with 32 bytes: NotFound;
//   - otherwise appended.
//
// A codec other than the three is IllegalCodec, before anything is read.
//
// m meters the scan (nil: unmetered): m.Field before each item header is
// read, m.CID after a tag 42 is recognised and before its byte string is
// read. Out of budget is gas.ErrOutOfGas, returned at once. The caller
// charges m.Charge() whatever the result (§4.5).
//
// The appended CIDs share memory with data (no allocation unless a CID was
// written non-canonically): data must never change afterwards. On error the
// returned slice holds what was appended before it.
func AppendReachable(links []cid.Cid, codec uint64, data []byte, m *gas.ScanMeter) ([]cid.Cid, error) {
	// The meter is copied in and out so that it stays where the caller
	// keeps it: the recursive scan would otherwise move it to the heap.
	s := linkScan{links: links}
	if m != nil {
		s.meter, s.metered = *m, true
	}
	err := s.block(codec, data)
	if m != nil {
		*m = s.meter
	}
	return s.links, err
}

// ScanReachable calls fn with every link AppendReachable would append, as
// it finds them, unmetered; an error from fn ends the scan and is returned.
// gofvm's strict option (nv ≤ 20, package reachability) uses it.
func ScanReachable(codec uint64, data []byte, fn func(cid.Cid) error) error {
	s := linkScan{fn: fn}
	return s.block(codec, data)
}

// linkScan is one scan: its meter (if metered), and where links go (fn if
// set, else appended to links).
type linkScan struct {
	meter   gas.ScanMeter
	metered bool
	links   []cid.Cid
	fn      func(cid.Cid) error
}

func (s *linkScan) block(codec uint64, data []byte) error {
	switch codec {
	case DagCBOR:
		return s.dagCBOR(data)
	case Raw, CBOR:
		return nil
	default:
		return errno.New(errno.IllegalCodec, "codec %#x not allowed", codec)
	}
}

func serr(msg string) error { return errno.New(errno.Serialization, "%s", msg) }

var (
	errHeader   = errno.New(errno.Serialization, "invalid cbor header")
	errStrEnd   = errno.New(errno.Serialization, "unexpected end of cbor stream")
	errOverflow = errno.New(errno.Serialization, "cbor field count overflow")
)

// readHeader reads one CBOR header without the minimality rule.
func readHeader(b []byte) (maj byte, val uint64, rest []byte, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errHeader
	}
	maj, low := b[0]>>5, b[0]&0x1f
	switch {
	case low < 24:
		return maj, uint64(low), b[1:], nil
	case low == 24 && len(b) >= 2:
		return maj, uint64(b[1]), b[2:], nil
	case low == 25 && len(b) >= 3:
		return maj, uint64(binary.BigEndian.Uint16(b[1:])), b[3:], nil
	case low == 26 && len(b) >= 5:
		return maj, uint64(binary.BigEndian.Uint32(b[1:])), b[5:], nil
	case low == 27 && len(b) >= 9:
		return maj, binary.BigEndian.Uint64(b[1:]), b[9:], nil
	}
	return 0, 0, nil, errHeader
}

func (s *linkScan) dagCBOR(buf []byte) error {
	remaining := uint64(1)
	for remaining > 0 {
		remaining--
		if s.metered {
			if err := s.meter.Field(); err != nil {
				return err
			}
		}
		maj, val, rest, err := readHeader(buf)
		if err != nil {
			return err
		}
		buf = rest
		switch maj {
		case 0, 1, 7:
		case 2, 3:
			if val > uint64(len(buf)) {
				return errStrEnd
			}
			buf = buf[val:]
		case 4:
			if remaining+val < remaining {
				return errOverflow
			}
			remaining += val
		case 5:
			if val > (^uint64(0)-remaining)/2 {
				return errOverflow
			}
			remaining += 2 * val
		case 6:
			if val != 42 {
				remaining++ // the tagged item is the next field
				continue
			}
			if s.metered {
				if err := s.meter.CID(); err != nil {
					return err
				}
			}
			cmaj, clen, rest, err := readHeader(buf)
			if err != nil {
				return err
			}
			buf = rest
			if cmaj != 2 {
				return serr("expected cbor type byte string in input")
			}
			if clen > uint64(len(buf)) {
				return errStrEnd
			}
			if clen < 1 || buf[0] != 0 {
				return serr("DagCBOR CID does not start with a 0x byte")
			}
			body := buf[1:clen]
			buf = buf[clen:]
			f, cn, canonical, err := parseCid(body)
			if err != nil {
				return serr("invalid cid: " + err.Error())
			}
			if cn != len(body) {
				return serr("cid has trailing bytes")
			}
			if err := s.visit(f, body, canonical); err != nil {
				return err
			}
		}
	}
	if len(buf) != 0 {
		return serr("trailing bytes in CBOR block")
	}
	return nil
}

// visit sorts out one linked CID (fvm-abi-next.md §4.2, visit_cid).
func (s *linkScan) visit(f cidFields, body []byte, canonical bool) error {
	switch f.codec {
	case FilCommitmentUnsealed, FilCommitmentSealed:
		return nil
	case CBOR, DagCBOR, Raw:
	default:
		return errno.New(errno.NotFound, "block links to CID with forbidden codec %#x", f.codec)
	}
	if f.hashCode == Identity {
		// The digest is the block; it is at most 64 bytes, so each nesting
		// level shrinks the input and the recursion is shallow.
		return s.block(f.codec, body[f.digestOff:f.digestOff+f.digestLen])
	}
	if f.hashCode != Blake2b256 || f.digestLen != Blake2b256Len {
		return errno.New(errno.NotFound, "block links to CID with forbidden multihash (code %#x, len %d)", f.hashCode, f.digestLen)
	}
	var c cid.Cid
	if canonical {
		c = aliasCid(body, 0, len(body))
	} else {
		c = cidFromString(string(encodeCid(f, body)))
	}
	if s.fn != nil {
		return s.fn(c)
	}
	s.links = append(s.links, c)
	return nil
}
