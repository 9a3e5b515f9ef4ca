package codecs

import (
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

func TestSet(t *testing.T) {
	// The two registry sets of fvm-abi.md §4.1: v2 DAG-CBOR only; v3 CBOR,
	// DAG-CBOR and raw. Nothing else can ever be a member.
	v2, v3 := SetOf(DagCBOR), SetOf(DagCBOR, CBOR, Raw)
	tests := []struct {
		set   Set
		codec uint64
		want  bool
	}{
		{v2, 0x71, true},
		{v2, 0x51, false},
		{v2, 0x55, false},
		{v2, 0x70, false},
		{v3, 0x71, true},
		{v3, 0x51, true},
		{v3, 0x55, true},
		{v3, 0x70, false},
		{v3, 0x00, false},
		{v3, 0xf101, false},
		{SetOf(0x70, 0x00), 0x70, false},
		{Set(0), 0x71, false},
		{Set(0xff), 0x70, false},
	}
	for _, tt := range tests {
		if got := tt.set.Has(tt.codec); got != tt.want {
			t.Errorf("%v.Has(%#x) = %v, want %v", tt.set, tt.codec, got, tt.want)
		}
	}
	if got := v3.String(); got != "{0x71 0x51 0x55}" {
		t.Errorf("String = %q", got)
	}
}

func TestCheckBlockLink(t *testing.T) {
	// fvm-abi.md §3.2 ipld.block_link: hash_fun != 0xb220 || hash_len != 32 → IllegalCid.
	tests := []struct {
		fun  uint64
		len  uint32
		okay bool
	}{
		{0xb220, 32, true},
		{0xb220, 31, false},
		{0xb220, 20, false},
		{0xb220, 64, false},
		{0x12, 32, false},
		{0x00, 32, false},
		{0xb240, 64, false},
	}
	for _, tt := range tests {
		err := CheckBlockLink(tt.fun, tt.len)
		if tt.okay {
			if err != nil {
				t.Errorf("CheckBlockLink(%#x, %d) = %v", tt.fun, tt.len, err)
			}
			continue
		}
		if n, ok := errno.Of(err); !ok || n != errno.IllegalCid {
			t.Errorf("CheckBlockLink(%#x, %d) = %v, want IllegalCid", tt.fun, tt.len, err)
		}
	}
}

func TestConstants(t *testing.T) {
	// Multicodec table values (multiformats/multicodec table.csv).
	got := []uint64{DagCBOR, CBOR, Raw, Identity, Blake2b256, FilCommitmentUnsealed, FilCommitmentSealed}
	want := []uint64{0x71, 0x51, 0x55, 0x00, 0xb220, 0xf101, 0xf102}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("constant %d = %#x, want %#x", i, got[i], want[i])
		}
	}
	if MaxCidLen != 100 || MaxDigestLen != 64 {
		t.Error("MaxCidLen/MaxDigestLen")
	}
}

func TestLinkCid(t *testing.T) {
	for _, codec := range []uint64{DagCBOR, CBOR, Raw} {
		data := []byte("block bytes")
		want, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
		if err != nil {
			t.Fatal(err)
		}
		got := LinkCid(codec, data)
		if !got.Equals(want) || len(got.Bytes()) != 38 {
			t.Fatalf("LinkCid(%#x) = %s, want %s", codec, got, want)
		}
	}
	if a := testing.AllocsPerRun(50, func() { LinkCid(DagCBOR, []byte{1}) }); a > 1 {
		t.Fatalf("LinkCid allocates %v", a)
	}
}
