package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gofvm/gofvm/vectors"
)

// `fvmcheck run` with no path runs the embedded suite on the embedded
// test-actor bundles through the real kernel driver, and every vector
// passes, with both engines and both reachability modes.
func TestRunEmbeddedSuite(t *testing.T) {
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	n := len(vectors.SuitePaths())
	if n == 0 {
		t.Skip("the embedded suite is empty")
	}
	for _, args := range [][]string{
		{"run", "--cache", ""},
		{"run", "--cache", "", "--engine", "interpreter", "--reachability", "compat"},
	} {
		code, stdout, stderr := runCLI(args...)
		want := fmt.Sprintf("%d passed, 0 failed, 0 skipped", n)
		if code != 0 || lastLine(stdout) != want {
			t.Errorf("%v: exit %d, last line %q, want 0 and %q\n%s\n%s", args, code, lastLine(stdout), want,
				stdout, strings.TrimSpace(stderr))
		}
	}
}
