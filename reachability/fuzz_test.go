package reachability

import (
	"testing"

	"github.com/ipfs/go-cid"
)

// FuzzSet runs the same byte-coded script against a Strict and an Audit set:
// they must track the same reachable set, Audit must refuse nothing and
// record exactly what Strict refused, and nothing may panic. Blocks are the
// fuzzed bytes themselves (scanned as DAG-CBOR, CBOR or raw).
func FuzzSet(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0x71, 2, 0x71, 3}, list(blakeCid(0x71, 1), blakeCid(0x55, 2)))
	f.Add([]byte{2, 0x71, 4, 1, 5, 0}, []byte{0x81, 0xd8, 0x2a, 0x41, 0x00})
	f.Fuzz(func(t *testing.T, script, data []byte) {
		strict, audit := NewSet(Strict), NewSet(Audit)
		refused := 0
		pool := []cid.Cid{blakeCid(0x71, 1), blakeCid(0x55, 2), blakeCid(0x51, 3), blakeCid(0x71, 4)}
		codecs := []uint64{0x71, 0x51, 0x55, 0x70}
		for i := 0; i+1 < len(script); i += 2 {
			arg := script[i+1]
			c := pool[int(arg)%len(pool)]
			codec := codecs[int(arg)%len(codecs)]
			var es, ea error
			switch script[i] % 6 {
			case 0:
				strict.AddRoot(c)
				audit.AddRoot(c)
			case 1:
				es, ea = strict.CanOpen(c), audit.CanOpen(c)
			case 2:
				es, ea = strict.Opened(codec, data), audit.Opened(codec, data)
			case 3:
				es, ea = strict.Created(codec, data), audit.Created(codec, data)
			case 4:
				es, ea = strict.CanSetRoot(c), audit.CanSetRoot(c)
			case 5:
				strict.Linked(c)
				audit.Linked(c)
			}
			if ea != nil {
				t.Fatalf("audit refused: %v", ea)
			}
			if es != nil {
				refused++
			}
			if strict.Len() != audit.Len() {
				t.Fatalf("strict tracks %d, audit %d", strict.Len(), audit.Len())
			}
			for _, p := range pool {
				if strict.Reachable(p) != audit.Reachable(p) {
					t.Fatalf("strict and audit disagree on %s", p)
				}
			}
		}
		if _, n := audit.Violations(); n != refused {
			t.Fatalf("audit recorded %d, strict refused %d", n, refused)
		}
	})
}
