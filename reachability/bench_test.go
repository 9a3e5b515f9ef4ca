package reachability

import (
	"testing"

	"github.com/ipfs/go-cid"
)

// A block shaped like a full HAMT node: 32 links.
func benchBlock() ([]byte, []cid.Cid) {
	var cs []cid.Cid
	for i := 0; i < 32; i++ {
		cs = append(cs, blakeCid(0x71, byte(i)))
	}
	data := append([]byte{0x82, 0x44, 0xff, 0xff, 0xff, 0xff, 0x98, 32}, list(cs...)[1:]...)
	return data, cs
}

// BenchmarkCompat is the per-syscall cost of a compat machine: the hooks of
// one block_open, one block_create and one block_link.
func BenchmarkCompat(b *testing.B) {
	data, cs := benchBlock()
	s := NewSet(Compat)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = s.CanOpen(cs[0])
		_ = s.Opened(0x71, data)
		_ = s.Created(0x71, data)
		s.Linked(cs[1])
	}
}

func BenchmarkStrictOpenCreate(b *testing.B) {
	data, cs := benchBlock()
	s := NewSet(Strict)
	s.AddRoot(cs[0])
	b.SetBytes(int64(2 * len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := s.CanOpen(cs[0]); err != nil {
			b.Fatal(err)
		}
		if err := s.Opened(0x71, data); err != nil {
			b.Fatal(err)
		}
		if err := s.Created(0x71, data); err != nil {
			b.Fatal(err)
		}
	}
}
