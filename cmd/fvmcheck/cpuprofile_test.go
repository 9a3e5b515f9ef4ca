package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// TestCPUProfile: run, trace and replay take --cpuprofile; run writes a
// parseable CPU profile, and a file that cannot be created is a usage
// error before anything runs.
func TestCPUProfile(t *testing.T) {
	f := newFixture(t)
	withDriver(t, f, 0)
	v := f.vector(t, "a.json")
	out := filepath.Join(t.TempDir(), "cpu.pprof")
	code, stdout, stderr := runCLI("run", "--cpuprofile", out, "--bundles", f.bundle, v)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	p, err := profile.Parse(fh)
	if err != nil {
		t.Fatalf("not a profile: %v", err)
	}
	if len(p.SampleType) == 0 || p.SampleType[len(p.SampleType)-1].Type != "cpu" {
		t.Errorf("sample types %v: not a CPU profile", p.SampleType)
	}

	bad := filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.pprof")
	for _, args := range [][]string{
		{"run", "--cpuprofile", bad, "--bundles", f.bundle, v},
		{"trace", "--cpuprofile", bad, "--bundles", f.bundle, v},
		{"replay", "--cpuprofile", bad, "--rpc", "", "--tipset", "1"},
	} {
		code, _, stderr := runCLI(args...)
		if code != exitUsage || !strings.Contains(stderr, "--cpuprofile") {
			t.Errorf("%s with an uncreatable profile: exit %d, stderr %q", args[0], code, stderr)
		}
	}
}
