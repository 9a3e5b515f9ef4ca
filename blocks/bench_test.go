package blocks

import (
	"context"
	"runtime"
	"testing"
	"time"

	blockformat "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
)

// stateTree builds about n blocks shaped like a state tree: leaves are
// actor-like records linking to an (unbuffered) raw code CID, and inner nodes
// link to up to 32 children, HAMT-style.
func stateTree(n int) (root cid.Cid, all []blockformat.Block) {
	code := blk(0x55, []byte("code")).Cid()
	var level []cid.Cid
	leaves := n * 31 / 32
	for i := 0; i < leaves; i++ {
		data := append([]byte{0x84}, link(code)...)
		data = append(data, 0x1a, 0x01, byte(i>>16), byte(i>>8), byte(i), 0x00, 0x43, 1, 2, 3)
		b := blk(0x71, data)
		all = append(all, b)
		level = append(level, b.Cid())
	}
	for len(level) > 1 {
		var next []cid.Cid
		for i := 0; i < len(level); i += 32 {
			end := min(i+32, len(level))
			data := []byte{0x82, 0x41, 0xff, 0x80 | byte(end-i)}
			if end-i >= 24 {
				data = append(data[:3], 0x98, byte(end-i))
			}
			for _, c := range level[i:end] {
				data = append(data, link(c)...)
			}
			b := blk(0x71, data)
			all = append(all, b)
			next = append(next, b.Cid())
		}
		level = next
	}
	return level[0], all
}

func BenchmarkFlush100k(b *testing.B) {
	root, all := stateTree(100000)
	ctx := context.Background()
	b.ReportAllocs()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bs, _ := newStore(b, V3)
		put(b, bs, all...)
		// Unreachable garbage the flush must skip.
		put(b, bs, blk(0x71, []byte{0x01}))
		runtime.GC()
		start := cpuTime()
		b.StartTimer()
		if err := bs.Flush(ctx, root); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - start
		b.StartTimer()
	}
	b.ReportMetric(float64(len(all)), "blocks")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

func TestStateTreeFlushWritesAll(t *testing.T) {
	root, all := stateTree(3000)
	bs, ds := newStore(t, V2)
	put(t, bs, all...)
	if err := bs.Flush(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	for _, x := range all {
		if !inDatastore(t, ds, x.Cid()) {
			t.Fatalf("%s not written", x.Cid())
		}
	}
}

func BenchmarkReachable100k(b *testing.B) {
	root, all := stateTree(100000)
	bs, _ := newStore(b, V3)
	put(b, bs, all...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bs.Reachable(root); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBufferedGetRaw is block_open's read: a buffered hit and a
// datastore hit.
func BenchmarkBufferedGetRaw(b *testing.B) {
	ctx := context.Background()
	bs, ds := newStore(b, V3)
	hot := blk(0x71, []byte{0x01})
	cold := blk(0x71, []byte{0x02})
	put(b, bs, hot)
	if err := ds.Put(ctx, DsKey(cold.Cid()), cold.RawData()); err != nil {
		b.Fatal(err)
	}
	b.Run("buffer", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := bs.GetRaw(ctx, hot.Cid()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("datastore", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := bs.GetRaw(ctx, cold.Cid()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
