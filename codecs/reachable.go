package codecs

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

// ScanReachable is FIP-0071's ListReachable: it calls fn with every CID a
// block of codec makes reachable, as ref-fvm implemented it after FVM v3
// (commit 074f4a80, released in fvm@v4.1.0 and unchanged to v4.8.2;
// fvm/src/ipld/{mod,cbor}.rs). Neither nv17 nor nv18 runs
// it; gofvm's reachability tracking (package reachability) does.
//
// Raw and CBOR blocks have no links. DAG-CBOR is walked field by field with
// less strictness than ScanLinks about encodings (headers need not be minimal)
// but more about structure: a tag-42 byte string must start with 0x00 and
// hold exactly one CID, field counts must not overflow, and no bytes may
// follow the top-level item. Links are then sorted out:
//
//   - codec 0xf101/0xf102 (commitments): ignored, whatever the hash;
//   - codec not CBOR/DAG-CBOR/raw: NotFound ("statically unfindable");
//   - identity hash: not reported; the inline block is scanned in its place;
//   - anything but blake2b-256/32: NotFound;
//   - otherwise fn(c).
//
// Malformed DAG-CBOR is Serialization; a codec other than the three is
// IllegalCodec. As with ScanLinks, the CIDs share memory with data.
func ScanReachable(codec uint64, data []byte, fn func(cid.Cid) error) error {
	switch codec {
	case DagCBOR:
		return scanReachableCBOR(data, fn)
	case Raw, CBOR:
		return nil
	default:
		return errno.New(errno.IllegalCodec, "codec %#x not allowed", codec)
	}
}

func serr(msg string) error { return errno.New(errno.Serialization, "%s", msg) }

// readHeader reads one CBOR header without the minimality rule.
func readHeader(b []byte) (maj byte, val uint64, rest []byte, err error) {
	if len(b) == 0 {
		return 0, 0, nil, serr("invalid cbor header")
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
	return 0, 0, nil, serr("invalid cbor header")
}

func scanReachableCBOR(buf []byte, fn func(cid.Cid) error) error {
	remaining := uint64(1)
	for remaining > 0 {
		remaining--
		maj, val, rest, err := readHeader(buf)
		if err != nil {
			return err
		}
		buf = rest
		switch maj {
		case 0, 1, 7:
		case 2, 3:
			if val > uint64(len(buf)) {
				return serr("unexpected end of cbor stream")
			}
			buf = buf[val:]
		case 4:
			if remaining+val < remaining {
				return serr("cbor field count overflow")
			}
			remaining += val
		case 5:
			if val > (^uint64(0)-remaining)/2 {
				return serr("cbor field count overflow")
			}
			remaining += 2 * val
		case 6:
			if val != 42 {
				remaining++
				continue
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
				return serr("unexpected end of cbor stream")
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
			if err := visitReachable(f, body, canonical, fn); err != nil {
				return err
			}
		}
	}
	if len(buf) != 0 {
		return serr("trailing bytes in CBOR block")
	}
	return nil
}

func visitReachable(f cidFields, body []byte, canonical bool, fn func(cid.Cid) error) error {
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
		return ScanReachable(f.codec, body[f.digestOff:f.digestOff+f.digestLen], fn)
	}
	if f.hashCode != Blake2b256 || f.digestLen != Blake2b256Len {
		return errno.New(errno.NotFound, "block links to CID with forbidden multihash (code %#x, len %d)", f.hashCode, f.digestLen)
	}
	if canonical {
		return fn(aliasCid(body, 0, len(body)))
	}
	return fn(cidFromString(string(encodeCid(f, body))))
}
