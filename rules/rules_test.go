package rules

import (
	"testing"

	"github.com/filecoin-project/go-state-types/network"
)

func TestEveryVersionFromSkyrToFireHorse(t *testing.T) {
	got := Supported()
	if len(got) != 13 || got[0] != network.Version16 || got[len(got)-1] != network.Version28 {
		t.Fatalf("Supported() = %v", got)
	}
	for i, nv := range got {
		if nv != network.Version16+network.Version(i) {
			t.Fatalf("versions not consecutive: %v", got)
		}
	}
	for _, nv := range []network.Version{0, network.Version15, network.Version29} {
		if _, err := For(nv); err == nil {
			t.Errorf("For(%d) succeeded", nv)
		}
	}
}

// The engine boundaries are where behaviour changes (fvm-abi-next.md §0.2):
// a version inside a line changes nothing but its actors or price list.
func TestChangesInsideALine(t *testing.T) {
	for _, nv := range Supported()[1:] {
		r, prev := MustFor(nv), MustFor(nv-1)
		if r.Engine != prev.Engine {
			if len(r.Changes) < 5 {
				t.Errorf("nv%d starts %s with only %v", nv, r.Engine, r.Changes)
			}
			continue
		}
		for _, c := range r.Changes {
			if c[:len("builtin-actors")] != "builtin-actors" && c[:len("price list")] != "price list" {
				t.Errorf("nv%d changes %q inside %s", nv, c, r.Engine)
			}
		}
	}
}

// Deriving a version must not write through to the one before it.
func TestVersionsAreIndependent(t *testing.T) {
	if MustFor(network.Version16).Reachability || MustFor(network.Version20).Reachability {
		t.Fatal("nv21's changes leaked backwards")
	}
	if MustFor(network.Version17).Prices == MustFor(network.Version18).Prices {
		t.Fatal("nv17 and nv18 share a price list")
	}
}

func TestCheckRefusesAWrongTable(t *testing.T) {
	r := *MustFor(network.Version21)
	r.DepthLimitLeak = true
	if err := r.check(); err == nil {
		t.Fatal("nv21 with the depth-limit leak passed the check")
	}
	r = *MustFor(network.Version25)
	r.Prices = MustFor(network.Version24).Prices
	if err := r.check(); err == nil {
		t.Fatal("nv25 priced with watermelon passed the check")
	}
}
