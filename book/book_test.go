package book

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/genesis"
)

func TestLineString(t *testing.T) {
	tests := []struct {
		l    Line
		want string
	}{
		{Line{NetworkVersion: 18, Scenario: "multisig", Group: "cancel", Status: Pass, Messages: 4},
			"nv18   ok   multisig/cancel (4 messages)"},
		{Line{NetworkVersion: 18, Scenario: "sends", Group: "f4", Status: Fail, Messages: 2, Detail: "a\nb"},
			"nv18   FAIL sends/f4 (2 messages)\n        a\n        b"},
		{Line{NetworkVersion: 17, ActorsVersion: 9, Scenario: "sends", Status: Pass, Messages: 12},
			"nv17 ok   sends (actors v9, 12 messages)"},
		{Line{NetworkVersion: 17, ActorsVersion: 9, Scenario: "evm", Status: NotApplicable, Detail: "no EVM"},
			"nv17 n/a  evm (actors v9, 0 messages): no EVM"},
		{Line{NetworkVersion: 21, Status: Refused, Detail: "the kernel does not run nv21"},
			"nv21 refused: the kernel does not run nv21"},
	}
	for _, tc := range tests {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// Without bundles nothing runs: every version says so, or, for versions
// asked for by name, the run stops with ErrNoBundle.
func TestRunWithoutBundles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var lines []Line
	sum, err := Run(ctx, Options{Bundles: dir, Jobs: 4, OnLine: func(l Line) { lines = append(lines, l) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Versions) != 13 || sum.Passed+sum.Failed != 0 || len(lines) != 13 {
		t.Fatalf("%d versions, %d lines", len(sum.Versions), len(lines))
	}
	for i, l := range lines {
		if l.Status != NoBundle || !strings.Contains(l.Detail, "no mainnet bundle") {
			t.Errorf("line %v", l)
		}
		// In version order whatever the number of jobs.
		if l.NetworkVersion != network.Version(16+i) || sum.Versions[i].NetworkVersion != l.NetworkVersion {
			t.Errorf("line %d is nv%d", i, l.NetworkVersion)
		}
	}
	_, err = Run(ctx, Options{Bundles: dir, NetworkVersions: []network.Version{18}})
	if !errors.Is(err, genesis.ErrNoBundle) {
		t.Errorf("named version without a bundle: %v", err)
	}
	_, err = Run(ctx, Options{Bundles: dir, Run: regexp.MustCompile("^$")})
	if !errors.Is(err, ErrNoScenario) {
		t.Errorf("no scenario: %v", err)
	}
	if len(Scenarios()) < 2 {
		t.Errorf("scenarios %v", Scenarios())
	}
}
