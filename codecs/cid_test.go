package codecs

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var digest32 = strings.Repeat("ab", 32)

func TestReadCid(t *testing.T) {
	tests := []struct {
		name string
		in   string // hex
		n    int    // bytes read; 0 = error
		want string // hex of the canonical CID, "" = same as in[:n]
	}{
		{"v1 dag-cbor blake2b-256", "0171a0e40220" + digest32, 38, ""},
		{"v1 trailing bytes ignored", "0171a0e40220" + digest32 + "ffff", 38, ""},
		{"v1 raw identity", "01550003616263", 7, ""},
		{"v1 empty digest", "0171a0e40200", 6, ""},
		{"v1 digest 64", "0171b0e40240" + strings.Repeat("cd", 64), 70, ""},
		{"v1 digest 65", "0171b0e40241" + strings.Repeat("cd", 65), 0, ""},
		{"v1 truncated digest", "0171a0e40220" + digest32[:62], 0, ""},
		{"v0", "1220" + digest32, 34, ""},
		{"v0 trailing", "1220" + digest32 + "00", 34, ""},
		{"v0 truncated", "1220" + digest32[:62], 0, ""},
		{"explicit v0 rejected", "00701220" + digest32, 0, ""},
		{"version 2", "0271a0e40220" + digest32, 0, ""},
		{"version 0x12, codec not 0x20", "1221" + digest32, 0, ""},
		{"non-minimal version varint", "8100" + "71a0e40220" + digest32, 0, ""},
		{"non-minimal codec varint", "01f100a0e40220" + digest32, 0, ""},
		{"empty", "", 0, ""},
		{"only version", "01", 0, ""},
		{"unterminated varint", "01ffffff", 0, ""},
		{"11-byte varint", "01" + strings.Repeat("ff", 10) + "01" + "0000", 0, ""},
		// unsigned-varint 0.7.1 takes a 10th byte and drops bits beyond 64.
		{"10-byte codec, canonical", "01" + strings.Repeat("ff", 9) + "01" + "0000", 13, ""},
		{"10-byte codec, truncated", "01" + strings.Repeat("ff", 9) + "7f" + "0000", 13,
			"01" + strings.Repeat("ff", 9) + "01" + "0000"},
		{"10-byte codec, zero last byte", "01" + strings.Repeat("ff", 9) + "00" + "0000", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unhex(t, tt.in)
			c, n, err := ReadCid(in)
			if tt.n == 0 {
				if num, ok := errno.Of(err); !ok || num != errno.IllegalArgument {
					t.Fatalf("ReadCid = %v, %d, %v; want IllegalArgument", c, n, err)
				}
				return
			}
			if err != nil || n != tt.n {
				t.Fatalf("ReadCid = %d, %v; want %d", n, err, tt.n)
			}
			want := in[:n]
			if tt.want != "" {
				want = unhex(t, tt.want)
			}
			if !bytes.Equal(c.Bytes(), want) {
				t.Fatalf("cid bytes %x, want %x", c.Bytes(), want)
			}
		})
	}
}

func TestReadCidCopies(t *testing.T) {
	in := unhex(t, "0171a0e40220"+digest32)
	c, _, err := ReadCid(in)
	if err != nil {
		t.Fatal(err)
	}
	before := c.KeyString()
	in[10] ^= 0xff
	if c.KeyString() != before {
		t.Fatal("ReadCid result aliases its input (wasm memory may change)")
	}
}

func TestReadCidMatchesGoCid(t *testing.T) {
	// A CID produced by go-cid reads back identically.
	want := cid.NewCidV1(DagCBOR, unhex(t, "a0e40220"+digest32))
	c, n, err := ReadCid(want.Bytes())
	if err != nil || n != 38 || !c.Equals(want) {
		t.Fatalf("ReadCid(%s) = %s, %d, %v", want, c, n, err)
	}
	if c.Type() != DagCBOR || c.Prefix().MhType != Blake2b256 {
		t.Fatal("go-cid accessors disagree")
	}
}

func TestInspect(t *testing.T) {
	c, _, err := ReadCid(unhex(t, "0171a0e40220"+digest32))
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(c)
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != 1 || info.Codec != 0x71 || info.HashCode != 0xb220 || hex.EncodeToString([]byte(info.Digest)) != digest32 {
		t.Fatalf("Inspect = %+v", info)
	}
	v0, _, _ := ReadCid(unhex(t, "1220"+digest32))
	info, err = Inspect(v0)
	if err != nil || info.Version != 0 || info.Codec != 0x70 || info.HashCode != 0x12 || len(info.Digest) != 32 {
		t.Fatalf("Inspect(v0) = %+v, %v", info, err)
	}
	if _, err := Inspect(cid.Undef); err == nil {
		t.Fatal("Inspect(Undef) succeeded")
	}
	if !layoutOK {
		t.Fatal("go-cid layout assumption no longer holds: the zero-copy path is off")
	}
}

func TestInspectAllocs(t *testing.T) {
	c, _, _ := ReadCid(unhex(t, "0171a0e40220"+digest32))
	if a := testing.AllocsPerRun(100, func() { _, _ = Inspect(c) }); a != 0 {
		t.Fatalf("Inspect allocates %v", a)
	}
}

func errnoOf(err error) (int, bool) {
	n, ok := errno.Of(err)
	return int(n), ok
}
