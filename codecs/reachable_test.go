package codecs

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// Blocks of the sheets' worked examples, written out byte by byte.
const (
	// cidA and cidB: CIDv1, DAG-CBOR, blake2b-256 (38 bytes each); as links
	// tag 42 + byte string of 39 = 43 bytes.
	cidA  = "0171a0e40220" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	cidB  = "0171a0e40220" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	cidC  = "0171a0e40220" + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	linkA = "d82a5827" + "00" + cidA
	linkB = "d82a5827" + "00" + cidB
	linkC = "d82a5827" + "00" + cidC
	// pieceCID: codec 0xf101 (varint 81 e2 03), multihash 0x1012 (varint
	// 92 20), 32-byte digest: 39 bytes; as a link 44 bytes.
	pieceCID = "0181e203" + "9220" + "20" + "0101010101010101010101010101010101010101010101010101010101010101"
	// inlineA: identity CID (codec DAG-CBOR) whose digest is the 45-byte
	// block [7, cidA]: 01 71 00 2d + 45 bytes = 49 bytes.
	inlineA = "0171002d" + "8207" + linkA
)

// scanExamples are fvm-gas-next.md §10 examples 9, 11, 12, 14 and 16 and
// fvm-abi-next.md §14 scenario 15, with the sizes and F/C/L counts the sheet
// gives; the scan charge is 35·F + 400·C gas (fvm-gas-next.md §3.2).
var scanExamples = []struct {
	name       string
	hex        string
	size, f, c int
	links      []string
	errno      errno.Number // 0 = scans
}{
	{"§10 ex 9: [1, cidA, cidB]", "83" + "01" + linkA + linkB, 88, 4, 2, []string{cidA, cidB}, 0},
	{"§10 ex 11: map with a piece CID", "a4" + "6161" + "01" + "6162" + "1901f4" + "6163" + "29" +
		"657069656365" + "d82a5828" + "00" + pieceCID, 62, 9, 1, nil, 0},
	{"§10 ex 12: identity-inlined link and tag 1", "82" + "d82a5832" + "00" + inlineA + "c1" + "1a6553f100",
		61, 7, 2, []string{cidA}, 0},
	{"§10 ex 14: three CIDs", "83" + linkA + linkB + linkC, 130, 4, 3, []string{cidA, cidB, cidC}, 0},
	{"§10 ex 16: 82 01 (truncated)", "8201", 2, 3, 0, nil, errno.Serialization},
	{"§14 sc 15: [tag42(C)]", "81" + linkC, 44, 2, 1, []string{cidC}, 0},
	// ref-fvm 4.8.2 ipld/mod.rs tests basic_cbor (4 fields, 1 CID) and
	// recursive_cbor (8 fields, 2 CIDs, one link): [0, cid, 1].
	{"duplicates are kept", "82" + linkA + linkA, 87, 3, 2, []string{cidA, cidA}, 0},
}

var watermelon = gas.MustPriceList("watermelon")

func meter(t testing.TB, available gas.Gas) *gas.ScanMeter {
	m, err := watermelon.NewScanMeter(available)
	if err != nil {
		t.Fatal(err)
	}
	return &m
}

func TestAppendReachableCharges(t *testing.T) {
	for _, ex := range scanExamples {
		t.Run(ex.name, func(t *testing.T) {
			data := unhex(t, ex.hex)
			if len(data) != ex.size {
				t.Fatalf("block is %d bytes, the sheet says %d", len(data), ex.size)
			}
			want := gas.NewGas(int64(35*ex.f + 400*ex.c))
			m := meter(t, gas.NewGas(1_000_000))
			links, err := AppendReachable(nil, DagCBOR, data, m)
			if got := m.Used(); got != want {
				t.Errorf("scan used %d mg, want %d (F=%d, C=%d)", got, want, ex.f, ex.c)
			}
			if c := m.Charge(); c.Name != "OnScanIpldLinks" || c.Compute != want || c.Other != 0 {
				t.Errorf("charge %+v", c)
			}
			if ex.errno != 0 {
				if n, ok := errno.Of(err); !ok || n != ex.errno {
					t.Fatalf("err %v, want %v", err, ex.errno)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(links) != len(ex.links) {
				t.Fatalf("%d links, want %d", len(links), len(ex.links))
			}
			for i, l := range links {
				if l.KeyString() != string(unhex(t, ex.links[i])) {
					t.Errorf("link %d = %s", i, l)
				}
			}
		})
	}
}

// Out of budget (fvm-abi-next.md §4.5): a budget one milligas short of the
// whole scan fails with gas.ErrOutOfGas having consumed all of it; the exact
// budget succeeds (reaching 0 is fine).
func TestAppendReachableBudget(t *testing.T) {
	for _, ex := range scanExamples {
		if ex.errno != 0 {
			continue
		}
		t.Run(ex.name, func(t *testing.T) {
			data := unhex(t, ex.hex)
			need := gas.NewGas(int64(35*ex.f + 400*ex.c))
			m := meter(t, need)
			if _, err := AppendReachable(nil, DagCBOR, data, m); err != nil || m.Used() != need {
				t.Fatalf("exact budget: %v, used %d", err, m.Used())
			}
			m = meter(t, need-1)
			_, err := AppendReachable(nil, DagCBOR, data, m)
			if !errors.Is(err, gas.ErrOutOfGas) || m.Used() != need-1 {
				t.Fatalf("short budget: %v, used %d of %d", err, m.Used(), need-1)
			}
		})
	}
}

// Raw and CBOR blocks are never read and cost nothing; any other codec is
// IllegalCodec before anything is charged (fvm-abi-next.md §4.2).
func TestAppendReachableCodecs(t *testing.T) {
	data := unhex(t, "81"+linkA)
	for _, tc := range []struct {
		codec uint64
		errno errno.Number
	}{{Raw, 0}, {CBOR, 0}, {0x70, errno.IllegalCodec}, {0x00, errno.IllegalCodec}} {
		m := meter(t, gas.NewGas(1_000_000))
		links, err := AppendReachable(nil, tc.codec, data, m)
		n, _ := errno.Of(err)
		if n != tc.errno || len(links) != 0 || m.Used() != 0 {
			t.Errorf("codec %#x: %d links, err %v, used %d", tc.codec, len(links), err, m.Used())
		}
	}
}

// AppendReachable appends to the slice it is given, and keeps what it found
// before an error.
func TestAppendReachableAppends(t *testing.T) {
	first := cid.MustParse("bafy2bzaceaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	links, err := AppendReachable([]cid.Cid{first}, DagCBOR, unhex(t, "83"+linkA+linkB+"d82a5823"+"00"+cidV0), nil)
	if n, ok := errno.Of(err); !ok || n != errno.NotFound {
		t.Fatalf("err %v, want NotFound for the CIDv0 link", err)
	}
	if len(links) != 3 || links[0] != first || !strings.HasSuffix(links[2].KeyString(), strings.Repeat("\xbb", 32)) {
		t.Fatalf("links %v", links)
	}
}

// The scan allocates nothing but the link list it grows.
func TestAppendReachableAllocs(t *testing.T) {
	data := unhex(t, "83"+"01"+linkA+linkB)
	links := make([]cid.Cid, 0, 4)
	m := meter(t, gas.NewGas(1_000_000))
	fresh := *m
	if n := testing.AllocsPerRun(100, func() {
		*m = fresh
		var err error
		if links, err = AppendReachable(links[:0], DagCBOR, data, m); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per scan", n)
	}
}
