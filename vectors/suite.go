package vectors

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	blocks "github.com/ipfs/go-block-format"

	"github.com/gofvm/gofvm/actors"
)

// The suite is generated from gofvm's test actors (package actors/testactors):
// see vectors/suite/README.md.
//
//go:generate go run ./internal/gensuite -out suite

// suite holds gofvm's own vectors (vectors/suite/*.json, same schema as the
// public corpus), run by `fvmcheck run` when no path is given.
//
//go:embed suite
var suite embed.FS

// Suite is the embedded default suite's file system.
func Suite() fs.FS { return suite }

// SuitePaths lists the embedded vectors (paths inside Suite), sorted.
func SuitePaths() []string {
	var out []string
	_ = fs.WalkDir(suite, "suite", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(path.Base(p), ".json") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// ReadSuiteFile reads one embedded vector; it fits Config.ReadFile.
func ReadSuiteFile(p string) ([]byte, error) { return suite.ReadFile(p) }

// SuiteBundles loads the bundle CARs embedded beside the suite
// (suite/bundles/*.car: the test actors' code, which the suite's vectors
// need and no public bundle has). Every block is hash-verified.
func SuiteBundles() (*Bundles, error) {
	b := NewBundles()
	if err := b.AddSuiteBundles(); err != nil {
		return nil, err
	}
	return b, nil
}

// AddSuiteBundles adds the embedded suite bundles to b.
func (b *Bundles) AddSuiteBundles() error {
	var names []string
	_ = fs.WalkDir(suite, "suite", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".car") {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	put := func(blk blocks.Block) error { return b.store.Put(context.Background(), blk) }
	for _, n := range names {
		data, err := suite.ReadFile(n)
		if err != nil {
			return err
		}
		ms, err := actors.LoadBundle(context.Background(), bytes.NewReader(data), put)
		if err != nil {
			return fmt.Errorf("bundles: embedded %s: %w", n, err)
		}
		b.Manifests = append(b.Manifests, ms...)
	}
	return nil
}
