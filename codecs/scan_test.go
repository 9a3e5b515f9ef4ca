package codecs

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
)

// Hex fragments used by the tables below.
const (
	cidDC  = "0171a0e40220" + "abababababababababababababababababababababababababababababababab" // 38 bytes
	cidV0  = "1220" + "abababababababababababababababababababababababababababababababab"         // 34 bytes
	linkDC = "d82a5827" + "00" + cidDC                                                           // tag 42, bytes(39)
)

func collect(t testing.TB, data []byte) ([]string, error) {
	var got []string
	err := ScanLinks(data, func(c cid.Cid) error {
		got = append(got, strings.Clone(c.KeyString()))
		return nil
	})
	return got, err
}

func TestScanLinks(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		links []string // hex of each link; nil with ok=false means error
		ok    bool
	}{
		{"map with one link", "a16161" + linkDC, []string{cidDC}, true},
		{"array of two links", "82" + linkDC + linkDC, []string{cidDC, cidDC}, true},
		{"other tag is transparent", "c1" + linkDC, []string{cidDC}, true},
		{"nested arrays", "818181" + linkDC, []string{cidDC}, true},
		{"cidv0 link", "d82a5823" + "00" + cidV0, []string{cidV0}, true},
		{"multibase prefix unchecked", "d82a5827" + "ff" + cidDC, []string{cidDC}, true},
		{"bytes after cid ignored", "d82a5829" + "00" + cidDC + "0000", []string{cidDC}, true},
		{"raw identity cid reported as is", "d82a48" + "00" + "01550003616263", []string{"01550003616263"}, true},
		{"10-byte codec varint canonicalised", "d82a4e" + "00" + "01" + strings.Repeat("ff", 9) + "7f" + "0000",
			[]string{"01" + strings.Repeat("ff", 9) + "01" + "0000"}, true},
		{"scalars and strings", "86" + "00" + "20" + "4161" + "6161" + "f5" + "f6", nil, true},
		{"minimal long headers", "84" + "1818" + "190100" + "1a00010000" + "1b0000000100000000", nil, true},
		{"float64 1.5", "fb3ff8000000000000", nil, true},
		{"float32 1.5", "fa3fc00000", nil, true},
		{"float16 1.5", "f93e00", nil, true},
		{"simple value 32", "f820", nil, true},
		{"trailing bytes after item", "01ffff", nil, true},
		{"string past end as last item", "4200", nil, true},
		{"map count wraps to zero", "bb8000000000000000", nil, true},
		{"map count wraps to one pair", "bb8000000000000001" + "0102", nil, true},
		{"backward seek stays in input", "5bffffffffffffffff", nil, true},

		{"non-minimal 24", "1801", nil, false},
		{"non-minimal 25", "1900ff", nil, false},
		{"non-minimal 26", "1a0000ffff", nil, false},
		{"non-minimal 27", "1b00000000ffffffff", nil, false},
		{"float64 zero", "fb0000000000000000", nil, false},
		{"float64 tiny subnormal", "fb0000000000000001", nil, false},
		{"float32 small bits", "fa00000001", nil, false},
		{"float16 small bits", "f90001", nil, false},
		{"simple value spelled long", "f810", nil, false},
		{"additional info 28", "1c", nil, false},
		{"indefinite bytes", "5f", nil, false},
		{"indefinite array", "9f01ff", nil, false},
		{"indefinite map", "bfff", nil, false},
		{"break", "ff", nil, false},
		{"empty input", "", nil, false},
		{"truncated array", "8201", nil, false},
		{"truncated header", "19", nil, false},
		{"string past end then item", "824200", nil, false},
		{"tag 42 alone", "d82a", nil, false},
		{"tag 42 text string", "d82a7827" + "00" + cidDC, nil, false},
		{"tag 42 integer", "d82a01", nil, false},
		{"tag 42 bytes too long", "d82a5865" + "00" + cidDC + strings.Repeat("00", 62), nil, false},
		{"tag 42 empty bytes", "d82a40", nil, false},
		{"tag 42 only prefix", "d82a4100", nil, false},
		{"tag 42 truncated cid", "d82a5827" + "00" + cidDC[:74], nil, false},
		{"tag 42 bad cid", "d82a4300" + "0200", nil, false},
		{"tag 42 non-minimal length", "d82a5801" + "00", nil, false},
		{"map count wrap leaves an item", "bb8000000000000001" + "01", nil, false},
		{"backward seek before start", "5b8000000000000000", nil, false},
		{"backward seek onto garbage", "825bffffffffffffffff", nil, false},
		// The reference spins forever here (seek back to the array header);
		// gofvm gives up after its step budget.
		{"backward seek loop", "825bfffffffffffffff6", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collect(t, unhex(t, tt.in))
			if !tt.ok {
				var se *ScanError
				if !errors.As(err, &se) {
					t.Fatalf("ScanLinks = %x, %v; want *ScanError", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ScanLinks: %v", err)
			}
			if len(got) != len(tt.links) {
				t.Fatalf("links %x, want %v", got, tt.links)
			}
			for i := range got {
				if w := string(unhex(t, tt.links[i])); got[i] != w {
					t.Fatalf("link %d = %x, want %s", i, got[i], tt.links[i])
				}
			}
		})
	}
}

func TestScanLinksCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ScanLinks(unhex(t, "82"+linkDC+linkDC), func(cid.Cid) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d calls", err, n)
	}
}

func TestScanLinksDeepNesting(t *testing.T) {
	// 1M nested arrays and tags: no recursion, no stack growth.
	data := []byte(strings.Repeat("\x81\xc1", 1<<20) + "\x01")
	if _, err := collect(t, data); err != nil {
		t.Fatal(err)
	}
}

func TestScanReachable(t *testing.T) {
	const (
		cidRaw   = "0155a0e40220" + "abababababababababababababababababababababababababababababababab"
		cidCBOR  = "0151a0e40220" + "abababababababababababababababababababababababababababababababab"
		cidSha   = "01711220" + "0000000000000000000000000000000000000000000000000000000000000000"
		cidCommR = "0182e2031220" + "0000000000000000000000000000000000000000000000000000000000000000"
	)
	inline := "017100" + "2b" + linkDC // identity dag-cbor holding a link (47 bytes)
	tests := []struct {
		name  string
		codec uint64
		in    string
		links []string
		errno int // 0 = ok
	}{
		{"raw has no links", Raw, "ffff", nil, 0},
		{"cbor has no links", CBOR, "d82a", nil, 0},
		{"other codec", 0x70, "", nil, 9},
		{"dag-cbor link", DagCBOR, "a16161" + linkDC, []string{cidDC}, 0},
		{"non-minimal headers accepted", DagCBOR, "9802" + "1801" + "d82a5827" + "00" + cidDC, []string{cidDC}, 0},
		{"raw and cbor links", DagCBOR, "82" + "d82a5827" + "00" + cidRaw + "d82a5827" + "00" + cidCBOR, []string{cidRaw, cidCBOR}, 0},
		{"identity inline scanned", DagCBOR, "d82a5830" + "00" + inline, []string{cidDC}, 0},
		{"identity raw ignored", DagCBOR, "d82a48" + "00" + "01550003616263", nil, 0},
		{"commitment ignored", DagCBOR, "d82a5827" + "00" + cidCommR, nil, 0},
		{"forbidden codec", DagCBOR, "d82a5827" + "00" + "0170a0e40220" + cidDC[12:], nil, 6},
		{"forbidden hash", DagCBOR, "d82a5825" + "00" + cidSha, nil, 6},
		{"cidv0 forbidden", DagCBOR, "d82a5823" + "00" + cidV0, nil, 6},
		{"prefix must be zero", DagCBOR, "d82a5827" + "01" + cidDC, nil, 10},
		{"cid trailing bytes", DagCBOR, "d82a5828" + "00" + cidDC + "00", nil, 10},
		{"block trailing bytes", DagCBOR, "0100", nil, 10},
		{"truncated string", DagCBOR, "4200", nil, 10},
		{"indefinite", DagCBOR, "9f", nil, 10},
		{"array count overflow", DagCBOR, "9bffffffffffffffff", nil, 10},
		{"map count overflow", DagCBOR, "bb8000000000000000", nil, 10},
		{"empty", DagCBOR, "", nil, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ScanReachable(tt.codec, unhex(t, tt.in), func(c cid.Cid) error {
				got = append(got, strings.Clone(c.KeyString()))
				return nil
			})
			if tt.errno != 0 {
				n, ok := errnoOf(err)
				if !ok || n != tt.errno {
					t.Fatalf("ScanReachable = %x, %v; want errno %d", got, err, tt.errno)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.links) {
				t.Fatalf("links %x, want %v", got, tt.links)
			}
			for i := range got {
				if w := string(unhex(t, tt.links[i])); got[i] != w {
					t.Fatalf("link %d = %x, want %s", i, got[i], tt.links[i])
				}
			}
		})
	}
}
