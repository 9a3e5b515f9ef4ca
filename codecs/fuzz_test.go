package codecs

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

func scanSeeds(f *testing.F) {
	for _, s := range []string{
		"a16161" + linkDC, "82" + linkDC + linkDC, "c1" + linkDC, "d82a5823" + "00" + cidV0,
		"fb3ff8000000000000", "fb0000000000000000", "bb8000000000000001" + "0102",
		"5bffffffffffffffff", "825bfffffffffffffff6", "9f01ff", "d82a4100", "1801",
	} {
		f.Add(unhex(f, s))
	}
}

// FuzzScanLinks: never panics or hangs; failures are *ScanError (or the
// callback's error); every reported link parses back with Inspect.
func FuzzScanLinks(f *testing.F) {
	scanSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		err := ScanLinks(data, func(c cid.Cid) error {
			if _, err := Inspect(c); err != nil {
				t.Fatalf("reported link %x does not parse: %v", c.KeyString(), err)
			}
			return nil
		})
		var se *ScanError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if !bytes.Equal(orig, data) {
			t.Fatal("ScanLinks modified its input")
		}
	})
}

// FuzzScanReachable: never panics; errors carry Serialization, NotFound or
// IllegalCodec; every reported link is a blake2b-256 CID of an allowed codec.
func FuzzScanReachable(f *testing.F) {
	scanSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ScanReachable(DagCBOR, data, func(c cid.Cid) error {
			info, err := Inspect(c)
			if err != nil || info.HashCode != Blake2b256 || len(info.Digest) != 32 ||
				(info.Codec != DagCBOR && info.Codec != CBOR && info.Codec != Raw) {
				t.Fatalf("reported link %x (%+v, %v)", c.KeyString(), info, err)
			}
			return nil
		})
		if err != nil {
			n, ok := errno.Of(err)
			if !ok || (n != errno.Serialization && n != errno.NotFound && n != errno.IllegalCodec) {
				t.Fatalf("unexpected error %v", err)
			}
		}
	})
}

// FuzzReadCid: never panics; errors are IllegalArgument; a CID read back
// canonically equals the bytes consumed; and wherever go-cid parses a CID
// with a digest of at most 64 bytes, ReadCid reads the same CID.
func FuzzReadCid(f *testing.F) {
	for _, s := range []string{"0171a0e40220" + digest32, "1220" + digest32, "00701220" + digest32,
		"01" + "ffffffffffffffffff7f" + "0000", "01550003616263ff", "8100"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, n, err := ReadCid(data)
		if err != nil {
			if num, ok := errno.Of(err); !ok || num != errno.IllegalArgument {
				t.Fatalf("error %v is not IllegalArgument", err)
			}
		} else {
			if n <= 0 || n > len(data) {
				t.Fatalf("n = %d of %d", n, len(data))
			}
			info, err := Inspect(c)
			if err != nil {
				t.Fatalf("Inspect of a read cid: %v", err)
			}
			if len(info.Digest) > MaxDigestLen || len(c.KeyString()) > MaxCidLen {
				t.Fatalf("oversized cid %x", c.KeyString())
			}
			if _, _, canon, _ := parseCid(data); canon && c.KeyString() != string(data[:n]) {
				t.Fatalf("canonical cid %x differs from input %x", c.KeyString(), data[:n])
			}
		}
		gn, gc, gerr := cid.CidFromBytes(data)
		if gerr == nil && len(gc.Hash()) <= MaxDigestLen+2 {
			if err != nil || n != gn || !c.Equals(gc) {
				t.Fatalf("go-cid reads %s (%d bytes); ReadCid %s, %d, %v", gc, gn, c, n, err)
			}
		}
	})
}
