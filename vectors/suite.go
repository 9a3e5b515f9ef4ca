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

	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
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

// SuiteBundles returns the bundles the embedded suite needs: gofvm's own
// test actors (package actors/testactors), which no public bundle has. They
// are built from the committed test-actor wasm, not stored as CARs.
func SuiteBundles() (*Bundles, error) {
	b := NewBundles()
	if err := b.AddSuiteBundles(); err != nil {
		return nil, err
	}
	return b, nil
}

// AddSuiteBundles adds the test-actor bundles of nv17, nv18 and nv21 to b:
// one per FVM line, whose code CIDs also serve the suite's other versions of
// each line (nv16; nv19–20; nv22–28).
func (b *Bundles) AddSuiteBundles() error {
	for _, nv := range []network.Version{network.Version17, network.Version18, network.Version21} {
		tb, err := testactors.NewBundle(nv)
		if err != nil {
			return fmt.Errorf("bundles: test actors nv%d: %w", nv, err)
		}
		ms, err := actors.LoadBundle(context.Background(), bytes.NewReader(tb.CAR()),
			func(blk blocks.Block) error { return b.store.Put(context.Background(), blk) })
		if err != nil {
			return fmt.Errorf("bundles: test actors nv%d: %w", nv, err)
		}
		b.Manifests = append(b.Manifests, ms...)
	}
	return nil
}
