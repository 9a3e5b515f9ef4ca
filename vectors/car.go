package vectors

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	carv1 "github.com/ipld/go-car"
	car "github.com/ipld/go-car/v2"
	"github.com/multiformats/go-multihash"
	"golang.org/x/crypto/blake2b"
)

// maxCARBytes bounds what one decompressed vector or bundle CAR may expand
// to, so a gzip bomb ends in an error rather than exhausting memory. The
// largest real vector CAR is 3.3 MB raw (conformance.md §1.4); bundles are
// under 8 MB.
const maxCARBytes = 256 << 20

// CARError says a CAR could not be read or did not hash-verify.
type CARError struct {
	Block int     // index of the offending block, -1 for the header or framing
	Cid   cid.Cid // the CID the block claims, when known
	Err   error
}

func (e *CARError) Error() string {
	switch {
	case e.Block < 0:
		return "CAR: " + e.Err.Error()
	case e.Cid.Defined():
		return fmt.Sprintf("CAR block %d (%s): %v", e.Block, e.Cid, e.Err)
	default:
		return fmt.Sprintf("CAR block %d: %v", e.Block, e.Err)
	}
}

func (e *CARError) Unwrap() error { return e.Err }

// ErrHashMismatch is wrapped by a CARError when a block's bytes do not hash
// to its CID.
var ErrHashMismatch = errors.New("block does not hash-verify")

// errTooLarge: the CAR expands past maxCARBytes.
var errTooLarge = fmt.Errorf("CAR larger than %d bytes", int64(maxCARBytes))

// gzipReaders recycles gunzip state (~40 KB each) across vectors.
var gzipReaders sync.Pool

// DecodeGzipCAR gunzips a vector's `car` field into one buffer and reads the
// CAR out of it (ReadCARBytes): every block's data is a slice of that
// buffer, so a block costs no allocation of its own beyond its CID.
func DecodeGzipCAR(gz []byte) (roots []cid.Cid, blks []blocks.Block, err error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	defer gzipReaders.Put(zr)
	if err := zr.Reset(bytes.NewReader(gz)); err != nil {
		return nil, nil, &CARError{Block: -1, Err: err} // "gzip: invalid header"
	}
	// gzip's trailer says how large the output is (mod 2^32): size the
	// buffer once.
	size := 0
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	buf, err := readLimited(zr, size)
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: err}
	}
	return ReadCARBytes(buf)
}

// readLimited reads r to its end into one buffer of capacity hint (when
// plausible), failing past maxCARBytes.
func readLimited(r io.Reader, hint int) ([]byte, error) {
	if hint <= 0 || hint > maxCARBytes {
		hint = 64 << 10
	}
	buf := make([]byte, 0, hint+1) // +1: EOF is seen without growing
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxCARBytes {
			return nil, errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ReadCAR reads a CAR (v1, or v2 with a v1 payload) and checks that every
// block hashes to its CID (conformance.md §1.4: all corpus blocks do).
func ReadCAR(r io.Reader) (roots []cid.Cid, blks []blocks.Block, err error) {
	buf, err := readLimited(r, 0)
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: err}
	}
	return ReadCARBytes(buf)
}

// ReadCARBytes reads a whole CAR held in buf. The blocks returned share
// buf's memory. A CARv1 is read here section by section; a CARv2 goes
// through go-car's reader.
func ReadCARBytes(buf []byte) (roots []cid.Cid, blks []blocks.Block, err error) {
	hlen, n := binary.Uvarint(buf)
	if n <= 0 || hlen == 0 || hlen > uint64(len(buf)-n) {
		return nil, nil, &CARError{Block: -1, Err: errors.New("header: truncated or malformed length")}
	}
	h, err := carHeader(buf[:n+int(hlen)])
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: fmt.Errorf("header: %w", err)}
	}
	switch h.Version {
	case 1:
	case 2:
		return readCARv2(buf)
	default:
		return nil, nil, &CARError{Block: -1, Err: fmt.Errorf("header: unsupported CAR version %d", h.Version)}
	}
	rest := buf[n+int(hlen):]
	// One allocation for all the blocks: a section's framing is at least
	// two bytes, so this bounds the count; trimmed below.
	slab := make([]carBlock, 0, estimateSections(rest))
	for i := 0; len(rest) > 0; i++ {
		slen, n := binary.Uvarint(rest)
		if n <= 0 || slen > uint64(len(rest)-n) {
			return nil, nil, &CARError{Block: i, Err: errors.New("section truncated or its length malformed")}
		}
		sec := rest[n : n+int(slen)]
		rest = rest[n+int(slen):]
		cn, c, err := cid.CidFromBytes(sec)
		if err != nil {
			return nil, nil, &CARError{Block: i, Err: fmt.Errorf("section CID: %w", err)}
		}
		data := sec[cn:len(sec):len(sec)]
		if err := verifyData(sec[:cn], c, data); err != nil {
			return nil, nil, &CARError{Block: i, Cid: c, Err: err}
		}
		slab = append(slab, carBlock{c: c, data: data})
	}
	blks = make([]blocks.Block, len(slab))
	for i := range slab {
		blks[i] = &slab[i]
	}
	return h.Roots, blks, nil
}

// estimateSections counts the sections of a CARv1 body by their length
// prefixes (no CID parsing), so the block slab is allocated once.
func estimateSections(rest []byte) int {
	count := 0
	for len(rest) > 0 {
		l, n := binary.Uvarint(rest)
		if n <= 0 || l > uint64(len(rest)-n) {
			break
		}
		rest = rest[n+int(l):]
		count++
	}
	return count
}

// readCARv2 is the general path, for CARv2 files.
func readCARv2(buf []byte) (roots []cid.Cid, blks []blocks.Block, err error) {
	br, err := car.NewBlockReader(bytes.NewReader(buf), car.WithTrustedCAR(true))
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: fmt.Errorf("header: %w", err)}
	}
	for i := 0; ; i++ {
		b, err := br.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, &CARError{Block: i, Err: err}
		}
		if err := verifyBlock(b); err != nil {
			return nil, nil, &CARError{Block: i, Cid: b.Cid(), Err: err}
		}
		blks = append(blks, b)
	}
	return br.Roots, blks, nil
}

// carBlock is a block whose data is a slice of its CAR's buffer.
type carBlock struct {
	c    cid.Cid
	data []byte
}

func (b *carBlock) RawData() []byte          { return b.data }
func (b *carBlock) Cid() cid.Cid             { return b.c }
func (b *carBlock) String() string           { return "[Block " + b.c.String() + "]" }
func (b *carBlock) Loggable() map[string]any { return map[string]any{"block": b.c.String()} }

// verifyData checks data against the digest in the CID's own bytes: the
// two hashes every real vector and bundle uses (sha2-256, blake2b-256) and
// identity are computed in place; any other goes through the CID's prefix.
func verifyData(cidBytes []byte, c cid.Cid, data []byte) error {
	code, digest, ok := cidDigest(cidBytes)
	if ok {
		var sum [32]byte
		switch code {
		case multihash.SHA2_256:
			sum = sha256.Sum256(data)
		case multihash.BLAKE2B_MIN + 31: // blake2b-256
			sum = blake2b.Sum256(data)
		case multihash.IDENTITY:
			if bytes.Equal(digest, data) {
				return nil
			}
			return fmt.Errorf("%w: identity CID does not hold the data", ErrHashMismatch)
		default:
			return verifyBlock(blocks.Block(&carBlock{c: c, data: data}))
		}
		if len(digest) == 32 && bytes.Equal(digest, sum[:]) {
			return nil
		}
		return fmt.Errorf("%w: digest differs", ErrHashMismatch)
	}
	return verifyBlock(blocks.Block(&carBlock{c: c, data: data}))
}

// cidDigest reads the multihash code and digest out of a CID's binary form
// (CIDv0: a bare sha2-256 multihash; CIDv1: version, codec, multihash).
func cidDigest(b []byte) (code uint64, digest []byte, ok bool) {
	if len(b) == 34 && b[0] == 0x12 && b[1] == 0x20 {
		return multihash.SHA2_256, b[2:], true
	}
	for range 2 { // version, codec
		_, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, nil, false
		}
		b = b[n:]
	}
	code, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, false
	}
	b = b[n:]
	l, n := binary.Uvarint(b)
	if n <= 0 || l != uint64(len(b)-n) {
		return 0, nil, false
	}
	return code, b[n:], true
}

// verifyBlock recomputes the block's multihash with the CID's own prefix.
func verifyBlock(b blocks.Block) error {
	want := b.Cid()
	got, err := want.Prefix().Sum(b.RawData())
	if err != nil {
		return fmt.Errorf("%w: cannot hash with the CID's prefix: %v", ErrHashMismatch, err)
	}
	if !got.Equals(want) {
		return fmt.Errorf("%w: data hashes to %s", ErrHashMismatch, got)
	}
	return nil
}

// carHeader decodes a length-prefixed CAR header.
func carHeader(b []byte) (*carv1.CarHeader, error) {
	return carv1.ReadHeader(bufio.NewReader(bytes.NewReader(b)))
}
