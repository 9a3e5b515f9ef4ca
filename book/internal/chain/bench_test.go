package chain_test

import (
	"context"
	"testing"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/book/internal/testworld"
)

// BenchmarkApply is the book's hot path: one message on a fresh machine,
// then the flush (a value send on the test actors' genesis at nv18).
func BenchmarkApply(b *testing.B) {
	ctx := context.Background()
	w, g, err := testworld.New(ctx, 18, false)
	if err != nil {
		b.Fatal(err)
	}
	c, err := chain.New(chain.Config{NetworkVersion: w.NetworkVersion, Store: w.Store, Genesis: w.Genesis,
		Engine: w.Engine, Reachability: w.Reachability})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := msg(g, uint64(i), 0, testactors.Params{})
		m.To = g.Bob
		m.Params = nil
		if _, err := c.Apply(ctx, m, m.ChainLength(), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
