package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The book's usage errors exit 2 with one line saying what is wrong; the
// real-bundle run itself is opt-in (book.TestRealBundles).
func TestBookUsage(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(empty, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{[]string{"book"}, exitUsage, "--bundles DIR is required"},
		{[]string{"book", "--bundles", filepath.Join(empty, "missing")}, exitUsage, "no such file"},
		{[]string{"book", "--bundles", empty, "--nv", "15"}, exitUsage, `--nv "15"`},
		{[]string{"book", "--bundles", empty, "--nv", "x"}, exitUsage, `--nv "x"`},
		{[]string{"book", "--bundles", empty, "--engine", "jit"}, exitUsage, "--engine"},
		{[]string{"book", "--bundles", empty, "--reachability", "loose"}, exitUsage, "--reachability"},
		{[]string{"book", "--bundles", empty, "-run", "("}, exitUsage, "-run"},
		{[]string{"book", "--bundles", empty, "-run", "^nothing$"}, exitUsage, "matches no scenario"},
		{[]string{"book", "--bundles", empty, "extra"}, exitUsage, "unexpected argument"},
		{[]string{"book", "--bundles", empty}, exitUsage, "no bundle under"},
		{[]string{"book", "--bundles", empty, "--nv", "18"}, exitUsage, "no mainnet bundle for actors v10"},
		{[]string{"book", "--list"}, exitOK, "multisig"},
	}
	for _, tc := range tests {
		code, out, errs := runCLI(tc.args...)
		all := out + errs
		if code != tc.code || !strings.Contains(all, tc.want) {
			t.Errorf("%v: exit %d, want %d; output %q lacks %q", tc.args, code, tc.code, all, tc.want)
		}
	}
}
