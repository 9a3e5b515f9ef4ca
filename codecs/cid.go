package codecs

import (
	"errors"
	"unsafe"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

// CidInfo is a binary CID taken apart the way the reference reads it
// (cid 0.8.6 Cid::read_bytes, multihash 0.16.3, unsigned-varint 0.7.1).
type CidInfo struct {
	Version  uint64 // 0 or 1
	Codec    uint64 // 0x70 (dag-pb) for CIDv0
	HashCode uint64 // multihash function code
	Digest   string // multihash digest, at most MaxDigestLen bytes
}

// Errors of the binary CID reader. They are parse failures only; callers map
// them to their own error numbers (ReadCid: IllegalArgument).
var (
	errCidTruncated   = errors.New("cid: unexpected end of input")
	errCidVarint      = errors.New("cid: varint not minimal or too long")
	errCidVersion     = errors.New("cid: unsupported version")
	errCidExplicitV0  = errors.New("cid: explicit CIDv0 version prefix")
	errCidDigestSize  = errors.New("cid: digest longer than 64 bytes")
	errCidNotCidBytes = errors.New("cid: not a binary cid")
)

// readUvarint reads an unsigned LEB128 varint exactly as unsigned-varint
// 0.7.1's io::read_u64 does: at most 10 bytes; a multi-byte varint whose last
// byte is 0 is "not minimal" (rejected); bits beyond 64 in a 10th byte are
// silently dropped (Rust's << keeps the low bits, so does Go's). long reports
// whether the varint took 10 bytes with a last byte other than 1, the one
// shape whose re-encoding differs from the input.
func readUvarint(b []byte) (v uint64, n int, long bool, err error) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1, false, nil
	}
	return readUvarintSlow(b)
}

func readUvarintSlow(b []byte) (v uint64, n int, long bool, err error) {
	for i := 0; i < 10; i++ {
		if i >= len(b) {
			return 0, 0, false, errCidTruncated
		}
		c := b[i]
		v |= uint64(c&0x7f) << (7 * uint(i))
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, false, errCidVarint
			}
			return v, i + 1, i == 9 && c != 1, nil
		}
	}
	return 0, 0, false, errCidVarint
}

// parseCid parses the binary CID at the start of b. It returns the parsed
// fields (Digest aliases b), the number of bytes read, and whether the input
// is the canonical encoding of the result (it is unless a varint took the
// 10-byte truncating form). Trailing bytes are not looked at.
func parseCid(b []byte) (info cidFields, n int, canonical bool, err error) {
	version, n1, long1, err := readUvarint(b)
	if err != nil {
		return info, 0, false, err
	}
	codec, n2, long2, err := readUvarint(b[n1:])
	if err != nil {
		return info, 0, false, err
	}
	n = n1 + n2
	// CIDv0 is a bare sha2-256 multihash: 0x12 0x20 then 32 bytes. Only the
	// one-byte forms can get here: longer forms of 0x12/0x20 are not minimal.
	if version == 0x12 && codec == 0x20 {
		if len(b) < n+32 {
			return info, 0, false, errCidTruncated
		}
		return cidFields{version: 0, codec: 0x70, hashCode: 0x12, digestOff: n, digestLen: 32}, n + 32, true, nil
	}
	switch version {
	case 0:
		return info, 0, false, errCidExplicitV0
	case 1:
	default:
		return info, 0, false, errCidVersion
	}
	code, n3, long3, err := readUvarint(b[n:])
	if err != nil {
		return info, 0, false, err
	}
	n += n3
	size, n4, long4, err := readUvarint(b[n:])
	if err != nil {
		return info, 0, false, err
	}
	n += n4
	if size > MaxDigestLen {
		return info, 0, false, errCidDigestSize
	}
	if uint64(len(b)-n) < size {
		return info, 0, false, errCidTruncated
	}
	info = cidFields{version: 1, codec: codec, hashCode: code, digestOff: n, digestLen: int(size)}
	return info, n + int(size), !(long1 || long2 || long3 || long4), nil
}

// cidFields is CidInfo with the digest as a position, so parsing never allocates.
type cidFields struct {
	version, codec, hashCode uint64
	digestOff, digestLen     int
}

// ReadCid parses the binary CID at the start of buf, the way the reference's
// memory helper does (fvm-abi.md §1.4): CIDv0 (0x12 0x20 + 32 bytes) and CIDv1
// with a digest of at most 64 bytes; trailing bytes are ignored. It returns
// the CID (an independent copy: buf may be wasm memory) and the number of
// bytes it occupied in buf. Any parse failure is IllegalArgument.
//
// One corner follows the reference rather than go-cid: a varint may take 10
// bytes (go-cid stops at 9); the bits beyond 64 are dropped and the returned
// CID is the canonical encoding of what was read, so its length can differ
// from the byte count.
func ReadCid(buf []byte) (cid.Cid, int, error) {
	f, n, canonical, err := parseCid(buf)
	if err != nil {
		return cid.Undef, 0, errno.New(errno.IllegalArgument, "failed to parse cid: %v", err)
	}
	if canonical {
		return cidFromString(string(buf[:n])), n, nil
	}
	return cidFromString(string(encodeCid(f, buf))), n, nil
}

// encodeCid re-encodes parsed fields canonically (only CIDv1 can be non-canonical).
func encodeCid(f cidFields, src []byte) []byte {
	out := make([]byte, 0, 4*10+f.digestLen)
	out = appendUvarint(out, 1)
	out = appendUvarint(out, f.codec)
	out = appendUvarint(out, f.hashCode)
	out = appendUvarint(out, uint64(f.digestLen))
	return append(out, src[f.digestOff:f.digestOff+f.digestLen]...)
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// Inspect takes a CID apart with the reference's reader, without allocating.
// Flush and reachability use it instead of go-cid's accessors because it
// agrees with the reference on every CID ScanLinks and ReadCid can produce.
func Inspect(c cid.Cid) (CidInfo, error) {
	s := c.KeyString()
	if s == "" {
		return CidInfo{}, errCidNotCidBytes
	}
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	f, n, _, err := parseCid(b)
	if err != nil {
		return CidInfo{}, err
	}
	if n != len(s) {
		return CidInfo{}, errCidNotCidBytes
	}
	return CidInfo{Version: f.version, Codec: f.codec, HashCode: f.hashCode,
		Digest: s[f.digestOff : f.digestOff+f.digestLen]}, nil
}

// cidFromString makes a cid.Cid whose binary form is s, without copying.
// go-cid's Cid is a struct holding exactly that string; layoutOK (checked
// once at start-up) guards the assumption, and the slow path goes through
// go-cid's own parser.
func cidFromString(s string) cid.Cid {
	if layoutOK {
		return *(*cid.Cid)(unsafe.Pointer(&s))
	}
	c, err := cid.Cast([]byte(s))
	if err != nil {
		return cid.Undef
	}
	return c
}

var layoutOK = func() bool {
	if unsafe.Sizeof(cid.Cid{}) != unsafe.Sizeof("") {
		return false
	}
	probe := cid.NewCidV1(DagCBOR, []byte{0x00, 0x01, 0x2a})
	s := probe.KeyString()
	return (*(*cid.Cid)(unsafe.Pointer(&s))).Equals(probe)
}()

// unsafeString views b as a string; b must never change afterwards.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// aliasCid makes a cid.Cid whose binary form is b[off:off+n] without copying
// b: the CID shares memory with b, which must never change afterwards.
func aliasCid(b []byte, off, n int) cid.Cid {
	if !layoutOK {
		return cidFromString(string(b[off : off+n]))
	}
	return cidFromString(unsafe.String(&b[off], n))
}
