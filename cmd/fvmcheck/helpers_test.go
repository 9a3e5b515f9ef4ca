package main

import (
	"bytes"
	"os"
	"testing"
)

// TestProgressOnlyOnTerminals: a pipe or buffer never gets control
// characters.
func TestProgressOnlyOnTerminals(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf)
	p.draw(1, 2)
	p.clear()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a buffer", buf.String())
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) {
		t.Error("a pipe is not a terminal")
	}
}

func TestPeakMemory(t *testing.T) {
	if m := peakMemory(); m < 1<<20 {
		t.Errorf("peak memory %d bytes: implausible for a Go test binary", m)
	}
	if got := formatBytes(3 << 19); got != "1.5 MiB" {
		t.Errorf("formatBytes: %q", got)
	}
}
