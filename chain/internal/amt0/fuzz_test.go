package amt0

import (
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	blocks "github.com/ipfs/go-block-format"
)

// FuzzRead: a root (and one child) of arbitrary bytes reads or fails, never
// panics or loops.
func FuzzRead(f *testing.F) {
	f.Add([]byte{0x83, 0x00, 0x00, 0x83, 0x41, 0x00, 0x80, 0x80}, []byte{})
	f.Add([]byte{0x83, 0x01, 0x01, 0x83, 0x41, 0x01, 0x81}, []byte{0x83, 0x41, 0x01, 0x80, 0x81, 0x00})
	f.Fuzz(func(t *testing.T, root, child []byte) {
		ctx := context.Background()
		s := memStore{}
		c, err := abi.CidBuilder.Sum(root)
		if err != nil {
			return
		}
		b, _ := blocks.NewBlockWithCid(root, c)
		_ = s.Put(ctx, b)
		if cc, err := abi.CidBuilder.Sum(child); err == nil {
			cb, _ := blocks.NewBlockWithCid(child, cc)
			_ = s.Put(ctx, cb)
		}
		_, _, _ = Read(ctx, s, c)
	})
}

// BenchmarkBuild: a receipts AMT of 200 entries (a busy tipset).
func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	vals := make([][]byte, 200)
	for i := range vals {
		vals[i] = []byte{0x83, 0x00, 0x40, 0x1a, 0x00, 0x0f, 0x42, 0x40}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Build(ctx, memStore{}, vals); err != nil {
			b.Fatal(err)
		}
	}
}
