package fvmcrypto

import (
	"bytes"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/blake2b"
)

// The preimage layout of conformance.md §1.5, written out byte by byte:
// tag i64 BE ‖ 32-byte digest ‖ round i64 BE ‖ entropy.
func TestDeriveRandomnessLayout(t *testing.T) {
	var digest [32]byte
	for i := range digest {
		digest[i] = byte(0xa0 + i)
	}
	cases := []struct {
		name    string
		tag     int64
		round   int64
		entropy []byte
		pre     string // hex of the preimage
	}{
		{"tag 2 round 0x0102030405060708 entropy abc", 2, 0x0102030405060708, []byte("abc"),
			"0000000000000002" + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
				"0102030405060708" + "616263"},
		{"negative tag and round, no entropy", -1, -2, nil,
			"ffffffffffffffff" + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
				"fffffffffffffffe"},
		{"sealing tag 4 at epoch 2,000,000", 4, 2_000_000, []byte{0x00, 0xff},
			"0000000000000004" + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
				"00000000001e8480" + "00ff"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := blake2b.Sum256(mustHex(t, c.pre))
			if got := DeriveRandomness(c.tag, digest, c.round, c.entropy); got != want {
				t.Fatalf("got %x, want %x", got, want)
			}
		})
	}
}

// Every input must change the output (no field silently dropped).
func TestDeriveRandomnessSensitivity(t *testing.T) {
	var d [32]byte
	base := DeriveRandomness(1, d, 10, []byte("x"))
	d2 := d
	d2[31] = 1
	for name, got := range map[string][32]byte{
		"tag":     DeriveRandomness(2, d, 10, []byte("x")),
		"digest":  DeriveRandomness(1, d2, 10, []byte("x")),
		"round":   DeriveRandomness(1, d, 11, []byte("x")),
		"entropy": DeriveRandomness(1, d, 10, []byte("y")),
		"no ent.": DeriveRandomness(1, d, 10, nil),
	} {
		if got == base {
			t.Errorf("changing %s did not change the randomness", name)
		}
	}
}

type fixedExterns struct{ chain, beacon [32]byte }

func (f fixedExterns) ChainDigest(abi.ChainEpoch) ([32]byte, error)  { return f.chain, nil }
func (f fixedExterns) BeaconDigest(abi.ChainEpoch) ([32]byte, error) { return f.beacon, nil }
func (f fixedExterns) TipsetCid(abi.ChainEpoch) (cid.Cid, error)     { return cid.Undef, nil }
func (f fixedExterns) VerifyConsensusFault(_, _, _ []byte) (*Fault, error) {
	return nil, nil
}

// The vector runner's fallback digest (conformance.md §1.5) through both
// helpers: chain and beacon use their own digest, the same derivation.
func TestChainAndBeaconRandomness(t *testing.T) {
	var fallback [32]byte
	copy(fallback[:], "i_am_random_____i_am_random_____")
	ext := fixedExterns{chain: fallback}
	ext.beacon[0] = 1
	pre := append(append(append(mustHex(t, "0000000000000007"), fallback[:]...), mustHex(t, "0000000000000064")...), "ent"...)
	want := blake2b.Sum256(pre)
	got, err := ChainRandomness(ext, 7, 100, []byte("ent"))
	if err != nil || got != want {
		t.Fatalf("chain: got %x, %v; want %x", got, err, want)
	}
	b, err := BeaconRandomness(ext, 7, 100, []byte("ent"))
	if err != nil || b == want || b != DeriveRandomness(7, ext.beacon, 100, []byte("ent")) {
		t.Fatalf("beacon: got %x, %v", b, err)
	}
	if bytes.Equal(got[:], fallback[:]) {
		t.Fatal("the digest came back unhashed")
	}
}

// Entropy longer than the stack buffer takes the other path; same layout.
func TestDeriveRandomnessLongEntropy(t *testing.T) {
	var d [32]byte
	d[0] = 9
	for _, n := range []int{207, 208, 209, 1000} {
		entropy := make([]byte, n)
		for i := range entropy {
			entropy[i] = byte(i)
		}
		pre := append(append(append(mustHex(t, "000000000000000b"), d[:]...), mustHex(t, "0000000000000c00")...), entropy...)
		if got, want := DeriveRandomness(11, d, 0xc00, entropy), blake2b.Sum256(pre); got != want {
			t.Fatalf("entropy %d bytes: got %x, want %x", n, got, want)
		}
	}
}
