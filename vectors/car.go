package vectors

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	car "github.com/ipld/go-car/v2"
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

// DecodeGzipCAR gunzips a vector's `car` field and reads it with
// ReadCAR.
func DecodeGzipCAR(gz []byte) (roots []cid.Cid, blks []blocks.Block, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: err} // "gzip: invalid header"
	}
	defer zr.Close()
	return ReadCAR(zr)
}

// ReadCAR reads a CAR (v1, or v2 with a v1 payload) and checks that every
// block hashes to its CID (conformance.md §1.4: all corpus blocks do).
func ReadCAR(r io.Reader) (roots []cid.Cid, blks []blocks.Block, err error) {
	lr := &limitedReader{r: r, n: maxCARBytes}
	br, err := car.NewBlockReader(lr, car.WithTrustedCAR(true))
	if err != nil {
		return nil, nil, &CARError{Block: -1, Err: fmt.Errorf("header: %w", lr.explain(err))}
	}
	for i := 0; ; i++ {
		b, err := br.Next()
		if err == io.EOF {
			if lr.hit {
				return nil, nil, &CARError{Block: i, Err: lr.explain(err)}
			}
			break
		}
		if err != nil {
			return nil, nil, &CARError{Block: i, Err: lr.explain(err)}
		}
		if err := verifyBlock(b); err != nil {
			return nil, nil, &CARError{Block: i, Cid: b.Cid(), Err: err}
		}
		blks = append(blks, b)
	}
	return br.Roots, blks, nil
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

// limitedReader is io.LimitedReader that remembers whether the limit, not
// the input, ended the stream.
type limitedReader struct {
	r   io.Reader
	n   int64
	hit bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.hit = true
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func (l *limitedReader) explain(err error) error {
	if l.hit {
		return fmt.Errorf("CAR larger than %d bytes: %w", int64(maxCARBytes), err)
	}
	return err
}
