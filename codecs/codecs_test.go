package codecs

import (
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

func TestAllowedInRegistry(t *testing.T) {
	// fvm-abi.md §4.1: v2 (nv17) DAG-CBOR only; v3 (nv18) CBOR, DAG-CBOR, raw.
	tests := []struct {
		nv    network.Version
		codec uint64
		want  bool
	}{
		{network.Version17, 0x71, true},
		{network.Version17, 0x51, false},
		{network.Version17, 0x55, false},
		{network.Version17, 0x70, false},
		{network.Version16, 0x71, true},
		{network.Version16, 0x55, false},
		{network.Version18, 0x71, true},
		{network.Version18, 0x51, true},
		{network.Version18, 0x55, true},
		{network.Version18, 0x70, false},
		{network.Version18, 0x00, false},
		{network.Version18, 0xf101, false},
	}
	for _, tt := range tests {
		if got := AllowedInRegistry(tt.nv, tt.codec); got != tt.want {
			t.Errorf("AllowedInRegistry(nv%d, %#x) = %v, want %v", tt.nv, tt.codec, got, tt.want)
		}
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
