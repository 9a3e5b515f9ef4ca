package vectors_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// BenchmarkParse measures loading one small vector: JSON, base64, gunzip,
// CAR, hash verification, message decoding.
func BenchmarkParse(b *testing.B) {
	s, err := vectortest.NewScenario(18, address.BLS)
	if err != nil {
		b.Fatal(err)
	}
	data := s.Vector.JSON()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := vectors.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLargestCorpusVector loads the corpus's largest vector
// (2.5 MB of JSON, conformance.md §1.4) when GOFVM_CONFORMANCE is set.
func BenchmarkParseLargestCorpusVector(b *testing.B) {
	dir := os.Getenv("GOFVM_CONFORMANCE")
	if dir == "" {
		b.Skip("GOFVM_CONFORMANCE not set")
	}
	var biggest string
	var size int64
	for _, p := range vectors.CollectPaths([]string{filepath.Join(dir, "vectors")}) {
		if st, err := os.Stat(p); err == nil && st.Size() > size {
			biggest, size = p, st.Size()
		}
	}
	data, err := os.ReadFile(biggest)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		if _, err := vectors.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStateDiff measures explaining a wrong post-state root.
func BenchmarkStateDiff(b *testing.B) {
	s, err := vectortest.NewScenario(18, address.BLS)
	if err != nil {
		b.Fatal(err)
	}
	wrong := append([]vectortest.Actor(nil), s.PostActors...)
	wrong[4].Balance++
	root, blks, err := s.StateWith(wrong)
	if err != nil {
		b.Fatal(err)
	}
	bs := vectors.NewMemBlockstore()
	for _, bb := range append(s.State.Blocks(), blks.Blocks()...) {
		_ = bs.Put(context.Background(), bb)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = vectors.StateDiff(bs, s.Post, root, &s.Message)
	}
}
