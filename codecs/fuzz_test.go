package codecs

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
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

// FuzzScanReachable compares the metered scan with scanModel (a naive
// recursive reading of the sheet) on any bytes, any codec and any budget:
// same links in the same order, same error number, and the charges the model
// lists (35 gas per field, 400 per CID) drawn from the budget until it runs
// out, when the scan is out of gas having used exactly the budget
// (fvm-abi-next.md §4.2, §4.5; fvm-gas-next.md §3.2). The unmetered scan and
// the callback form agree with it too.
func FuzzScanReachable(f *testing.F) {
	scanSeeds(f)
	for _, ex := range scanExamples {
		f.Add(unhex(f, ex.hex))
	}
	f.Add(unhex(f, "82"+"d82a5832"+"00"+inlineA+"d82a5828"+"00"+pieceCID))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The last two bytes choose the budget (whole gas) and the codec.
		var budget uint16
		codec := DagCBOR
		if n := len(data); n >= 3 {
			budget = uint16(data[n-2])<<8 | uint16(data[n-1])
			switch data[n-3] % 8 {
			case 5:
				codec = Raw
			case 6:
				codec = CBOR
			case 7:
				codec = 0x70
			}
		}
		var model scanModel
		wantErr := model.scan(codec, data)

		m := meter(t, gas.NewGas(int64(budget)))
		links, err := AppendReachable(nil, codec, data, m)

		var need gas.Gas
		oog := false
		for _, c := range model.charges {
			g := gas.NewGas(35)
			if c == 'C' {
				g = gas.NewGas(400)
			}
			if need+g > gas.NewGas(int64(budget)) {
				oog = true
				break
			}
			need += g
		}
		if oog {
			if !errors.Is(err, gas.ErrOutOfGas) || m.Used() != gas.NewGas(int64(budget)) {
				t.Fatalf("want out of gas using the whole budget %d; got %v, used %d", budget, err, m.Used())
			}
			return
		}
		if m.Used() != need {
			t.Fatalf("used %d mg, model charges %q = %d mg", m.Used(), model.charges, need)
		}
		if got, _ := errno.Of(err); got != wantErr || (err != nil && wantErr == 0) {
			t.Fatalf("err %v, model says %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if len(links) != len(model.links) {
			t.Fatalf("%d links, model %d", len(links), len(model.links))
		}
		for i := range links {
			if links[i].KeyString() != model.links[i] {
				t.Fatalf("link %d: %x, model %x", i, links[i].KeyString(), model.links[i])
			}
		}
		var called []cid.Cid
		if err := ScanReachable(codec, data, func(c cid.Cid) error { called = append(called, c); return nil }); err != nil ||
			len(called) != len(links) {
			t.Fatalf("callback form: %v, %d links", err, len(called))
		}
		if unmetered, err := AppendReachable(nil, codec, data, nil); err != nil || len(unmetered) != len(links) {
			t.Fatalf("unmetered: %v, %d links", err, len(unmetered))
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
