package book

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestRealBundles runs the book on the mainnet bundles under
// $GOFVM_CONFORMANCE/bundles at every network version (skipped unless
// GOFVM_CONFORMANCE is set; GOFVM_BOOK_RUN selects scenarios by regexp).
// Versions the kernel refuses are logged, not failed.
func TestRealBundles(t *testing.T) {
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	o := Options{Bundles: filepath.Join(dir, "bundles"), CacheDir: t.TempDir(),
		OnLine: func(l Line) {
			if l.Status != Pass {
				t.Log(l)
			}
		}}
	if r := os.Getenv("GOFVM_BOOK_RUN"); r != "" {
		o.Run = regexp.MustCompile(r)
	}
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sum.Versions {
		t.Logf("nv%d: %d passed, %d failed, refused %v, no bundle %v (%s)", v.NetworkVersion, v.Passed, v.Failed, v.Refused, v.NoBundle, v.Elapsed)
	}
	if sum.Failed > 0 {
		t.Errorf("%d scenarios failed", sum.Failed)
	}
}
