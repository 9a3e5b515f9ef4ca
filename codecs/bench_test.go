package codecs

import (
	"context"
	"encoding/binary"
	"io"
	"sync"
	"testing"
	"time"

	hamt "github.com/filecoin-project/go-hamt-ipld/v3"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	mh "github.com/multiformats/go-multihash"
)

type memBlocks struct{ m map[cid.Cid]blocks.Block }

func (s *memBlocks) Get(_ context.Context, c cid.Cid) (blocks.Block, error) { return s.m[c], nil }
func (s *memBlocks) Put(_ context.Context, b blocks.Block) error            { s.m[b.Cid()] = b; return nil }

// actorRecord is shaped like a state-tree actor: [code cid, head cid, nonce, balance].
type actorRecord []byte

func (a actorRecord) MarshalCBOR(w io.Writer) error { _, err := w.Write(a); return err }

func blakeCid(codec uint64, seed uint64) cid.Cid {
	var d [32]byte
	binary.BigEndian.PutUint64(d[:], seed)
	m, _ := mh.Encode(d[:], mh.BLAKE2B_MIN+31)
	return cid.NewCidV1(codec, m)
}

func appendLink(b []byte, c cid.Cid) []byte {
	raw := c.Bytes()
	b = append(b, 0xd8, 42, 0x58, byte(len(raw)+1), 0)
	return append(b, raw...)
}

var (
	hamtOnce   sync.Once
	hamtBlocks [][]byte
)

// hamtNodes builds an actors-HAMT-like go-hamt-ipld v3 tree (bit width 5,
// 20k actors keyed by ID address bytes) and returns its node blocks: bitfield
// plus pointers that are links or kv buckets, as on chain.
func hamtNodes(tb testing.TB) [][]byte {
	hamtOnce.Do(func() {
		ctx := context.Background()
		bs := &memBlocks{m: map[cid.Cid]blocks.Block{}}
		cs := cbor.NewCborStore(bs)
		root, err := hamt.NewNode(cs, hamt.UseTreeBitWidth(5))
		if err != nil {
			panic(err)
		}
		for i := uint64(0); i < 20000; i++ {
			key := binary.AppendUvarint([]byte{0x00}, 1000+i)
			rec := []byte{0x84}
			rec = appendLink(rec, blakeCid(Raw, i%12))
			rec = appendLink(rec, blakeCid(DagCBOR, 1<<32+i))
			rec = append(rec, 0x1a, 0, 1, byte(i>>8), byte(i))
			rec = append(rec, 0x49, 0, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0, byte(i))
			if err := root.Set(ctx, string(key), actorRecord(rec)); err != nil {
				panic(err)
			}
		}
		if err := root.Flush(ctx); err != nil {
			panic(err)
		}
		if _, err := cs.Put(ctx, root); err != nil {
			panic(err)
		}
		for _, b := range bs.m {
			hamtBlocks = append(hamtBlocks, b.RawData())
		}
	})
	return hamtBlocks
}

func TestHamtNodesScan(t *testing.T) {
	nodes := hamtNodes(t)
	var links, size int
	for _, n := range nodes {
		size += len(n)
		if err := ScanLinks(n, func(cid.Cid) error { links++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	// 20k actor records carry two links each; the nodes link to each other.
	if links < 40000+len(nodes)-1 {
		t.Fatalf("%d links in %d nodes", links, len(nodes))
	}
	t.Logf("%d HAMT nodes, mean %d bytes, %d links", len(nodes), size/len(nodes), links)
}

func BenchmarkScanLinks(b *testing.B) {
	nodes := hamtNodes(b)
	var total int
	for _, n := range nodes {
		total += len(n)
	}
	count := 0
	fn := func(cid.Cid) error { count++; return nil }
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, n := range nodes {
			if err := ScanLinks(n, fn); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPUThroughput(b, start, total)
}

// reportCPUThroughput reports MB per second of process CPU time, which stays
// meaningful when the machine is oversubscribed and wall-clock MB/s is not.
func reportCPUThroughput(b *testing.B, start time.Duration, size int) {
	if cpu := cpuTime() - start; cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

func BenchmarkScanReachable(b *testing.B) {
	nodes := hamtNodes(b)
	var total int
	for _, n := range nodes {
		total += len(n)
	}
	fn := func(cid.Cid) error { return nil }
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, n := range nodes {
			if err := ScanReachable(DagCBOR, n, fn); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPUThroughput(b, start, total)
}

func BenchmarkReadCid(b *testing.B) {
	buf := blakeCid(DagCBOR, 7).Bytes()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := ReadCid(buf); err != nil {
			b.Fatal(err)
		}
	}
}
