package fvmcrypto

import (
	"crypto/sha256"
	"errors"
	"math/bits"
	"math/rand"
	"testing"

	commp "github.com/filecoin-project/go-commp-utils/v2"
	"github.com/filecoin-project/go-commp-utils/v2/zerocomm"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// node is the test's own sha256-trunc254 node hash, written independently of
// pieceHash.
func node(l, r [32]byte) [32]byte {
	d := sha256.Sum256(append(l[:], r[:]...))
	d[31] &= 0x3f
	return d
}

// zero is the published zero-piece commitment of size bytes (go-commp-utils
// zerocomm table, which is also ref-fvm shared/src/piece/zero.rs).
func zero(size uint64) [32]byte { return zerocomm.PieceComms[bits.TrailingZeros64(size)-7] }

func commCID(t testing.TB, comm [32]byte) cid.Cid {
	t.Helper()
	mh, err := multihash.Encode(comm[:], 0x1012)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(0xf101, mh)
}

func mustCID(t testing.TB, s string) cid.Cid {
	t.Helper()
	c, err := cid.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestZeroCommitmentsMatchPublishedTable(t *testing.T) {
	for i, got := range zeroComms {
		if got != zerocomm.PieceComms[i] {
			t.Errorf("level %d (%d bytes): got %x, published %x", i, 128<<i, got, zerocomm.PieceComms[i])
		}
	}
	// And the table's own recurrence, from 32 zero bytes up.
	var z [32]byte
	z = node(z, z)
	for i := 0; i < len(zeroComms); i++ {
		z = node(z, z)
		if z != zeroComms[i] {
			t.Fatalf("level %d breaks the recurrence", i)
		}
	}
}

// Sealed sectors with no deals (committed-capacity sectors) carry these
// well-known CommDs on mainnet.
func TestUnsealedCIDEmptySector(t *testing.T) {
	cases := []struct {
		proof abi.RegisteredSealProof
		want  string
	}{
		{abi.RegisteredSealProof_StackedDrg32GiBV1_1, "baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq"},
		{abi.RegisteredSealProof_StackedDrg32GiBV1, "baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq"},
		{abi.RegisteredSealProof_StackedDrg64GiBV1_1, "baga6ea4seaqomqafu276g53zko4k23xzh4h4uecjwicbmvhsuqi7o4bhthhm4aq"},
		{abi.RegisteredSealProof_StackedDrg64GiBV1, "baga6ea4seaqomqafu276g53zko4k23xzh4h4uecjwicbmvhsuqi7o4bhthhm4aq"},
	}
	for _, c := range cases {
		got, err := ComputeUnsealedSectorCID(c.proof, nil)
		if err != nil || got.String() != c.want {
			t.Errorf("proof %d: got %s, %v; want %s", c.proof, got, err, c.want)
		}
	}
	// The small sectors: the published zero commitment of the sector size.
	for p, size := range map[abi.RegisteredSealProof]uint64{0: 2 << 10, 5: 2 << 10, 1: 8 << 20, 6: 8 << 20, 2: 512 << 20, 7: 512 << 20} {
		got, err := ComputeUnsealedSectorCID(p, []abi.PieceInfo{})
		if err != nil || got != commCID(t, zero(size)) {
			t.Errorf("proof %d: got %s, %v", p, got, err)
		}
	}
}

// Mainnet sector f01392893:139074 (32 GiB, proving): its deal pieces in
// order, published CommD from `lotus-miner sectors status` and the deals on
// filfox. The gaps between them are filled by the alignment padding.
func TestUnsealedCIDMainnetSector(t *testing.T) {
	pieces := []abi.PieceInfo{
		{Size: 256 << 20, PieceCID: mustCID(t, "baga6ea4seaqknzm22isnhsxt2s4dnw45kfywmhenngqq3nc7jvecakoca6ksyhy")},
		{Size: 1024 << 20, PieceCID: mustCID(t, "baga6ea4seaqnq6o5wuewdpviyoafno4rdpqnokz6ghvg2iyeyfbqxgcwdlj2egi")},
		{Size: 512 << 20, PieceCID: mustCID(t, "baga6ea4seaqpixk4ifbkzato3huzycj6ty6gllqwanhdpsvxikawyl5bg2h44mq")},
		{Size: 512 << 20, PieceCID: mustCID(t, "baga6ea4seaqaxwe5dy6nt3ko5tngtmzvpqxqikw5mdwfjqgaxfwtzenc6bgzajq")},
		{Size: 1024 << 20, PieceCID: mustCID(t, "baga6ea4seaqpy33nbesa4d6ot2ygeuy43y4t7amc4izt52mlotqenwcmn2kyaai")},
		{Size: 256 << 20, PieceCID: mustCID(t, "baga6ea4seaqphvv4x2s2v7ykgc3ugs2kkltbdeg7icxstklkrgqvv72m2v3i2aa")},
		{Size: 512 << 20, PieceCID: mustCID(t, "baga6ea4seaqf5u55znk6jwhdsrhe37emzhmehiyvjxpsww274f6fiy3h4yctady")},
		{Size: 1024 << 20, PieceCID: mustCID(t, "baga6ea4seaqa3qbabsbmvk5er6rhsjzt74beplzgulthamm22jue4zgqcuszofi")},
		{Size: 256 << 20, PieceCID: mustCID(t, "baga6ea4seaqiekvf623muj6jpxg6vsqaikyw3r4ob5u7363z7zcaixqvfqsc2ji")},
		{Size: 512 << 20, PieceCID: mustCID(t, "baga6ea4seaqhsewv65z2d4m5o4vo65vl5o6z4bcegdvgnusvlt7rao44gro36pi")},
	}
	got, err := ComputeUnsealedSectorCID(abi.RegisteredSealProof_StackedDrg32GiBV1_1, pieces)
	if err != nil {
		t.Fatal(err)
	}
	if want := "baga6ea4seaqiw3gbmstmexb7sqwkc5r23o3i7zcyx5kr76pfobpykes3af62kca"; got.String() != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// Small sectors built by hand: each expected root is written as its tree.
func TestUnsealedCIDConstructed(t *testing.T) {
	var a, b, c [32]byte
	for i := range a {
		a[i], b[i], c[i] = byte(i+1), byte(2*i+1), byte(3*i+1)&0x3f
	}
	const p2k = abi.RegisteredSealProof_StackedDrg2KiBV1_1
	cases := []struct {
		name   string
		pieces []abi.PieceInfo
		want   [32]byte
	}{
		{"one 128 piece first", []abi.PieceInfo{{Size: 128, PieceCID: commCID(t, a)}},
			node(node(node(node(a, zero(128)), zero(256)), zero(512)), zero(1024))},
		{"128 then 512: 384 bytes of alignment", []abi.PieceInfo{
			{Size: 128, PieceCID: commCID(t, a)}, {Size: 512, PieceCID: commCID(t, b)}},
			node(node(node(node(a, zero(128)), zero(256)), b), zero(1024))},
		{"256, 128, 1024", []abi.PieceInfo{
			{Size: 256, PieceCID: commCID(t, a)}, {Size: 128, PieceCID: commCID(t, b)}, {Size: 1024, PieceCID: commCID(t, c)}},
			node(node(node(a, node(b, zero(128))), zero(512)), c)},
		{"two 1024 halves", []abi.PieceInfo{
			{Size: 1024, PieceCID: commCID(t, a)}, {Size: 1024, PieceCID: commCID(t, b)}},
			node(a, b)},
		{"one piece fills the sector", []abi.PieceInfo{{Size: 2048, PieceCID: commCID(t, c)}}, c},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ComputeUnsealedSectorCID(p2k, tc.pieces)
			if err != nil {
				t.Fatal(err)
			}
			if got != commCID(t, tc.want) {
				t.Fatalf("got %s, want %s", got, commCID(t, tc.want))
			}
		})
	}

	// Sixteen 128-byte pieces fill a 2 KiB sector as a complete tree.
	var leaves [16][32]byte
	var pieces []abi.PieceInfo
	for i := range leaves {
		leaves[i][0], leaves[i][1] = byte(i), 0x55
		pieces = append(pieces, abi.PieceInfo{Size: 128, PieceCID: commCID(t, leaves[i])})
	}
	level := leaves[:]
	for len(level) > 1 {
		var next [][32]byte
		for i := 0; i < len(level); i += 2 {
			next = append(next, node(level[i], level[i+1]))
		}
		level = next
	}
	got, err := ComputeUnsealedSectorCID(p2k, pieces)
	if err != nil || got != commCID(t, level[0]) {
		t.Fatalf("full tree: got %s, %v", got, err)
	}
}

// Random valid piece lists against go-commp-utils' independent aggregation
// (PieceAggregateCommP), padded to the sector with go-fil-commp-hashhash.
func TestUnsealedCIDAgainstCommpUtils(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const sector = 8 << 20
	for iter := 0; iter < 300; iter++ {
		var pieces []abi.PieceInfo
		var used uint64
		for n := 1 + rng.Intn(12); n > 0; n-- {
			size := uint64(128) << rng.Intn(15) // 128 B .. 2 MiB
			aligned := (used + size - 1) &^ (size - 1)
			if aligned+size > sector {
				break
			}
			var comm [32]byte
			rng.Read(comm[:])
			comm[31] &= 0x3f
			pieces = append(pieces, abi.PieceInfo{Size: abi.PaddedPieceSize(size), PieceCID: commCID(t, comm)})
			used = aligned + size
		}
		if len(pieces) == 0 {
			continue
		}
		agg, aggSize, err := commp.PieceAggregateCommP(abi.RegisteredSealProof_StackedDrg8MiBV1_1, pieces)
		if err != nil {
			t.Fatal(err)
		}
		want, err := commp.ZeroPadPieceCommitment(agg, aggSize.Unpadded(), abi.PaddedPieceSize(sector).Unpadded())
		if err != nil {
			t.Fatal(err)
		}
		got, err := ComputeUnsealedSectorCID(abi.RegisteredSealProof_StackedDrg8MiBV1_1, pieces)
		if err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		if got != want {
			t.Fatalf("iteration %d (%d pieces): got %s, want %s", iter, len(pieces), got, want)
		}
	}
}

func TestUnsealedCIDErrors(t *testing.T) {
	var a [32]byte
	a[0] = 1
	good := commCID(t, a)
	sha, _ := multihash.Sum([]byte("x"), multihash.SHA2_256, -1)
	short, _ := multihash.Encode(make([]byte, 31), 0x1012)
	long, _ := multihash.Encode(make([]byte, 33), 0x1012)
	poseidon, _ := multihash.Encode(a[:], 0xb401)
	p := func(size uint64, c cid.Cid) abi.PieceInfo {
		return abi.PieceInfo{Size: abi.PaddedPieceSize(size), PieceCID: c}
	}
	const p2k = abi.RegisteredSealProof_StackedDrg2KiBV1_1
	cases := []struct {
		name   string
		proof  abi.RegisteredSealProof
		pieces []abi.PieceInfo
	}{
		{"proof -1", -1, nil},
		{"proof 10 (synthetic PoRep, after nv18)", 10, nil},
		{"proof 15 (NI-PoRep)", 15, []abi.PieceInfo{p(128, good)}},
		{"proof huge", 1 << 40, nil},
		{"size 0", p2k, []abi.PieceInfo{p(0, good)}},
		{"size 64", p2k, []abi.PieceInfo{p(64, good)}},
		{"size 127", p2k, []abi.PieceInfo{p(127, good)}},
		{"size 384", p2k, []abi.PieceInfo{p(384, good)}},
		{"size 2^63", p2k, []abi.PieceInfo{p(1<<63, good)}},
		{"piece larger than sector", p2k, []abi.PieceInfo{p(4096, good)}},
		{"sum exceeds sector", p2k, []abi.PieceInfo{p(1024, good), p(1024, good), p(128, good)}},
		{"alignment exceeds sector", p2k, []abi.PieceInfo{p(128, good), p(2048, good)}},
		{"undefined cid", p2k, []abi.PieceInfo{p(128, cid.Undef)}},
		{"dag-cbor codec", p2k, []abi.PieceInfo{p(128, cid.NewCidV1(cid.DagCBOR, good.Hash()))}},
		{"sealed codec", p2k, []abi.PieceInfo{p(128, cid.NewCidV1(0xf102, poseidon))}},
		{"sha2-256 hash", p2k, []abi.PieceInfo{p(128, cid.NewCidV1(0xf101, sha))}},
		{"31-byte digest", p2k, []abi.PieceInfo{p(128, cid.NewCidV1(0xf101, short))}},
		{"33-byte digest", p2k, []abi.PieceInfo{p(128, cid.NewCidV1(0xf101, long))}},
		{"bad cid after good pieces", p2k, []abi.PieceInfo{p(128, good), p(128, cid.NewCidV0(sha))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ComputeUnsealedSectorCID(c.proof, c.pieces)
			if err == nil {
				t.Fatalf("got %s, want an error", got)
			}
			if n, ok := errno.Of(err); !ok || n != errno.IllegalArgument {
				t.Fatalf("error %v is not IllegalArgument", err)
			}
			if !errors.Is(err, errno.New(errno.IllegalArgument, "")) || got.Defined() {
				t.Fatalf("got %s, %v", got, err)
			}
		})
	}
}

func TestSealProofSectorSize(t *testing.T) {
	want := []uint64{2 << 10, 8 << 20, 512 << 20, 32 << 30, 64 << 30, 2 << 10, 8 << 20, 512 << 20, 32 << 30, 64 << 30}
	for p, w := range want {
		if got, ok := SealProofSectorSize(abi.RegisteredSealProof(p)); !ok || got != w {
			t.Errorf("proof %d: %d, %v; want %d", p, got, ok, w)
		}
		// go-state-types agrees for the types FVM v2/v3 know.
		if ss, err := abi.RegisteredSealProof(p).SectorSize(); err != nil || uint64(ss) != w {
			t.Errorf("proof %d: go-state-types says %d, %v", p, ss, err)
		}
	}
}
