package scenarios

import (
	"encoding/hex"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
)

func hexAddr(t *testing.T, s string) [20]byte {
	t.Helper()
	var a [20]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 20 {
		t.Fatalf("bad address %q", s)
	}
	copy(a[:], b)
	return a
}

// EIP-1014's published CREATE2 examples, and the CREATE address of a
// well-known deployer at nonces 0 and 1 (Ethereum's RLP rule).
func TestContractAddresses(t *testing.T) {
	for _, tc := range []struct {
		from, salt, init, want string
	}{
		{"0000000000000000000000000000000000000000", "0000000000000000000000000000000000000000000000000000000000000000", "00", "4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38"},
		{"deadbeef00000000000000000000000000000000", "0000000000000000000000000000000000000000000000000000000000000000", "00", "b928f69bb1d91cd65274e3c79d8986362984fda3"},
		{"deadbeef00000000000000000000000000000000", "000000000000000000000000feed000000000000000000000000000000000000", "00", "d04116cdd17bebe565eb2422f2497e06cc1c9833"},
		{"0000000000000000000000000000000000000000", "0000000000000000000000000000000000000000000000000000000000000000", "deadbeef", "70f2b2914a2a4b783faefb75f459a580616fcb5e"},
	} {
		var salt [32]byte
		b, _ := hex.DecodeString(tc.salt)
		copy(salt[:], b)
		init, _ := hex.DecodeString(tc.init)
		got := create2Address(hexAddr(t, tc.from), salt, init)
		if hex.EncodeToString(got[:]) != tc.want {
			t.Errorf("CREATE2(%s, %s, %s) = %x, want %s", tc.from, tc.salt, tc.init, got, tc.want)
		}
	}
	from := hexAddr(t, "6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0")
	for nonce, want := range []string{"cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d", "343c43a37d37dff08ae8c4a11544c718abb4fcf8"} {
		got := createAddress(from, uint64(nonce))
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("CREATE nonce %d = %x, want %s", nonce, got, want)
		}
	}
	// RLP of [20 bytes, 0x400]: 0xd8 = 0xc0 + 24 (1 + 20 + 3); 0x94 = 0x80 + 20;
	// 0x82 0x04 0x00.
	r := rlpAddressNonce(from, 0x400)
	if hex.EncodeToString(r[:2]) != "d894" || hex.EncodeToString(r[22:]) != "820400" {
		t.Errorf("rlp %x", r)
	}
}

// qa_power_for_weight worked by hand: no deals → the raw size; all
// verified → ten times; all regular deals → the raw size; half verified →
// 5.5 times.
func TestQAPower(t *testing.T) {
	size, d := uint64(32<<30), int64(1000)
	full := big.Mul(big.NewIntUnsigned(size), big.NewInt(d))
	half := big.Div(full, big.NewInt(2))
	for _, tc := range []struct {
		deal, verified big.Int
		want           big.Int
	}{
		{big.Zero(), big.Zero(), big.NewIntUnsigned(size)},
		{big.Zero(), full, big.Mul(big.NewIntUnsigned(size), big.NewInt(10))},
		{full, big.Zero(), big.NewIntUnsigned(size)},
		{big.Zero(), half, big.Div(big.Mul(big.NewIntUnsigned(size), big.NewInt(11)), big.NewInt(2))},
	} {
		if got := qaPower(size, 1000, tc.deal, tc.verified); !got.Equals(tc.want) {
			t.Errorf("qaPower(deal %s, verified %s) = %s, want %s", tc.deal, tc.verified, got, tc.want)
		}
	}
}

// The facts follow the actors' method tables: every version can pre-commit
// and prove one way or another, and the removals come after the additions.
func TestFacts(t *testing.T) {
	for av := 8; av <= 18; av++ {
		f := factsFor(av)
		if !f.PreCommitSector && !f.PreCommitSectorBatch2 {
			t.Errorf("v%d: no way to pre-commit", av)
		}
		if !f.ProveCommitSector && !f.ProveCommitSectors3 {
			t.Errorf("v%d: no way to prove", av)
		}
		if !f.ProveCommitAggregate && !f.ProveCommitSectors3 {
			t.Errorf("v%d: no aggregate", av)
		}
		if !f.ExtendSectorExpiration && !f.ExtendSectorExpiration2 {
			t.Errorf("v%d: no extension", av)
		}
		if f.WindowPoSt == f.WrongWindowPoSt {
			t.Errorf("v%d: the refused proof type is the accepted one", av)
		}
	}
	if len(All()) < 10 {
		t.Errorf("%d scenarios", len(All()))
	}
}
