package mainnet

import (
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
)

func fil(n int64) abi.TokenAmount { return big.Mul(big.NewInt(n), filPrecision) }

// TestFilVested works chain.md §1.14's vesting by hand.
func TestFilVested(t *testing.T) {
	// Six years after Liftoff everything has vested: the schedule's sum.
	all := int64(10_632_000 + 19_015_887 + 32_787_700 + 22_421_712 + 9_400_000 + 7_223_364 +
		87_637_883 + 898_958 + 100_000_000 + 300_000_000 + 9_805_053)
	if got := FilVested(LiftoffHeight + 6*365*2880); !got.Equals(fil(all)) {
		t.Errorf("after six years: %s, want %d FIL", got, all)
	}
	// At Liftoff (elapsed 0) only the 0-day entry has vested, plus what
	// dividing first leaves over: initial − (initial/d)·d = initial mod d.
	want := fil(10_632_000)
	for _, e := range []struct {
		days int64
		fil  int64
	}{{183, 19_015_887 + 32_787_700}, {365, 22_421_712 + 9_400_000}, {730, 7_223_364},
		{1095, 87_637_883 + 898_958}, {2190, 100_000_000 + 300_000_000 + 9_805_053}} {
		d := big.NewInt(e.days * 2880)
		want = big.Add(want, big.Mod(fil(e.fil), d))
	}
	if got := FilVested(LiftoffHeight); !got.Equals(want) {
		t.Errorf("at Liftoff: %s, want %s", got, want)
	}
}

// TestSchedule: versions around two upgrades, and every manifest parses.
func TestSchedule(t *testing.T) {
	n := Network()
	if err := n.Check(); err != nil {
		t.Fatal(err)
	}
	for h, nv := range map[abi.ChainEpoch]network.Version{
		SharkHeight: 16, SharkHeight + 1: 17, HyggeHeight: 17, HyggeHeight + 1: 18,
		ThunderHeight + 1: 20, TockHeight + 1: 26, FireHorseHeight + 1: 28,
	} {
		if got := n.VersionAt(h); got != nv {
			t.Errorf("VersionAt(%d) = %d, want %d", h, got, nv)
		}
	}
	for v, m := range Manifests {
		if _, err := cid.Decode(m); err != nil {
			t.Errorf("manifest v%d: %v", v, err)
		}
	}
	if ThunderHeight != 2_870_280 || TockHeight != 5_138_040 || PhoenixHeight != 3_855_480 {
		t.Error("derived heights differ from chain.md §1.4")
	}
}
