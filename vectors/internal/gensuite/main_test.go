package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// The committed suite is exactly what the generator writes now: a change to
// the test actors, the scenarios or the kernel's results that was not
// regenerated (go generate ./vectors) fails here, and every scenario's
// fact-sheet expectations still hold (run refuses otherwise).
func TestSuiteUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the whole suite")
	}
	dir := t.TempDir()
	if err := run(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "suite")
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s: not committed (%v); run go generate ./vectors", rel, err)
			return nil
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: differs from the generator's output; run go generate ./vectors", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And nothing stale is left behind.
	_ = filepath.WalkDir(committed, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) == ".md" {
			return err
		}
		rel, _ := filepath.Rel(committed, p)
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("%s: committed but no longer generated", rel)
		}
		return nil
	})
	if n == 0 {
		t.Fatal("nothing generated")
	}
}
