package vectors_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/vectors"
)

// The embedded suite is well-formed: every vector loads, names its network
// version in its path, and finds all its actor code in the embedded bundles
// (which load, hash-verified).
func TestEmbeddedSuite(t *testing.T) {
	paths := vectors.SuitePaths()
	if len(paths) == 0 {
		t.Skip("the embedded suite is empty")
	}
	b, err := vectors.SuiteBundles()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Manifests) != 3 {
		t.Errorf("%d embedded bundles, want 3 (nv17, nv18, nv21: one per FVM line)", len(b.Manifests))
	}
	for _, p := range paths {
		data, err := vectors.ReadSuiteFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := vectors.Parse(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !strings.Contains(p, "/nv"+itoa(v.NetworkVersion)+"/") {
			t.Errorf("%s: network version %d", p, v.NetworkVersion)
		}
		if err := b.CheckCode(context.Background(), v); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func itoa(n uint) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// The suite's vectors record no randomness, so the runner answers every
// request with the fallback digest; the scenarios were generated with
// externs that answer the same (actors/testactors.Externs).
func TestSuiteRandomnessIsTheFallback(t *testing.T) {
	if testactors.FallbackDigest != vectors.FallbackRandomness {
		t.Fatalf("scenario digest %q, runner fallback %q", testactors.FallbackDigest, vectors.FallbackRandomness)
	}
}
