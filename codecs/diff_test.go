package codecs

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/datamodel"
	"github.com/ipld/go-ipld-prime/fluent/qp"
	cidlink "github.com/ipld/go-ipld-prime/linking/cid"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// gen builds random IPLD data with go-ipld-prime; hasSmallFloat records
// whether it used a float64 whose bits are ≤ 0xffffffff, which the reference
// scanner rejects as a non-minimal "27" header (go-ipld-prime always writes
// floats as float64).
type gen struct {
	r             *rand.Rand
	hasSmallFloat bool
}

func (g *gen) link() datamodel.Link {
	digest := make([]byte, 32)
	g.r.Read(digest)
	var c cid.Cid
	switch g.r.Intn(5) {
	case 0: // CIDv0
		m, _ := mh.Encode(digest, mh.SHA2_256)
		c = cid.NewCidV0(m)
	case 1: // identity, short inline block
		m, _ := mh.Encode(digest[:g.r.Intn(20)], mh.IDENTITY)
		c = cid.NewCidV1(Raw, m)
	case 2: // 64-byte digest
		d := append(digest, digest...)
		m, _ := mh.Encode(d, mh.SHA2_512)
		c = cid.NewCidV1(DagCBOR, m)
	default: // the FVM's own shape
		m, _ := mh.Encode(digest, mh.BLAKE2B_MIN+31)
		c = cid.NewCidV1([]uint64{DagCBOR, Raw, CBOR}[g.r.Intn(3)], m)
	}
	return cidlink.Link{Cid: c}
}

func (g *gen) float() float64 {
	var f float64
	switch g.r.Intn(4) {
	case 0:
		f = 0
	case 1:
		f = math.Float64frombits(uint64(g.r.Uint32())) // subnormal
	case 2:
		f = -g.r.Float64() * 1e6
	default:
		f = g.r.NormFloat64()
	}
	if math.Float64bits(f) <= 0xffffffff {
		g.hasSmallFloat = true
	}
	return f
}

func (g *gen) value(depth int) qp.Assemble {
	k := g.r.Intn(10)
	if depth > 5 && k >= 8 {
		k = g.r.Intn(8)
	}
	switch k {
	case 0:
		return qp.Int(g.r.Int63()>>uint(g.r.Intn(63)) - (1 << 20))
	case 1:
		b := make([]byte, g.r.Intn(300))
		g.r.Read(b)
		return qp.Bytes(b)
	case 2:
		return qp.String(fmt.Sprint("s", g.r.Intn(1e9)))
	case 3:
		if g.r.Intn(8) == 0 {
			return qp.Float(g.float())
		}
		return qp.Bool(g.r.Intn(2) == 0)
	case 4:
		return qp.Null()
	case 5, 6, 7:
		return qp.Link(g.link())
	case 8:
		n := g.r.Intn(12)
		return qp.List(int64(n), func(la datamodel.ListAssembler) {
			for i := 0; i < n; i++ {
				qp.ListEntry(la, g.value(depth+1))
			}
		})
	default:
		n := g.r.Intn(12)
		return qp.Map(int64(n), func(ma datamodel.MapAssembler) {
			for i := 0; i < n; i++ {
				qp.MapEntry(ma, fmt.Sprint("k", i, "_", g.r.Intn(1000)), g.value(depth+1))
			}
		})
	}
}

// primeLinks decodes data with go-ipld-prime's DAG-CBOR decoder and lists
// the links in document order: the oracle for ScanLinks.
func primeLinks(t *testing.T, data []byte) []cid.Cid {
	nb := basicnode.Prototype.Any.NewBuilder()
	if err := dagcbor.Decode(nb, bytes.NewReader(data)); err != nil {
		t.Fatalf("go-ipld-prime cannot decode its own output: %v", err)
	}
	var out []cid.Cid
	var walk func(n datamodel.Node)
	walk = func(n datamodel.Node) {
		switch n.Kind() {
		case datamodel.Kind_Link:
			l, _ := n.AsLink()
			out = append(out, l.(cidlink.Link).Cid)
		case datamodel.Kind_Map:
			it := n.MapIterator()
			for !it.Done() {
				_, v, _ := it.Next()
				walk(v)
			}
		case datamodel.Kind_List:
			it := n.ListIterator()
			for !it.Done() {
				_, v, _ := it.Next()
				walk(v)
			}
		}
	}
	walk(nb.Build())
	return out
}

func TestScanLinksMatchesGoIpldPrime(t *testing.T) {
	r := rand.New(rand.NewSource(30))
	var rejected, links int
	for i := 0; i < 3000; i++ {
		g := &gen{r: r}
		var root qp.Assemble
		if i%2 == 0 {
			root = g.value(0)
		} else {
			n := 1 + r.Intn(8)
			root = qp.Map(int64(n), func(ma datamodel.MapAssembler) {
				for j := 0; j < n; j++ {
					qp.MapEntry(ma, fmt.Sprint("f", j), g.value(1))
				}
			})
		}
		nb := basicnode.Prototype.Any.NewBuilder()
		root(nb)
		var buf bytes.Buffer
		if err := dagcbor.Encode(nb.Build(), &buf); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		var got []cid.Cid
		err := ScanLinks(data, func(c cid.Cid) error { got = append(got, c); return nil })
		if g.hasSmallFloat {
			if err == nil {
				t.Fatalf("case %d: float64 with bits <= 0xffffffff accepted: %x", i, data)
			}
			rejected++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v on %x", i, err, data)
		}
		want := primeLinks(t, data)
		if len(got) != len(want) {
			t.Fatalf("case %d: %d links, go-ipld-prime %d", i, len(got), len(want))
		}
		for j := range got {
			if !got[j].Equals(want[j]) {
				t.Fatalf("case %d link %d: %s, go-ipld-prime %s", i, j, got[j], want[j])
			}
		}
		links += len(got)
	}
	t.Logf("3000 documents, %d links compared, %d rejected for small float64 bits", links, rejected)
	if links < 1000 || rejected == 0 {
		t.Fatal("generator does not exercise enough")
	}
}

// TestScanReachableMatchesGoIpldPrime: on the same documents, ScanReachable
// reports go-ipld-prime's links after FIP-0071's sorting (identity-raw links
// dropped, blake2b-256 links of CBOR/DAG-CBOR/raw kept, anything else
// NotFound); floats do not matter to it.
func TestScanReachableMatchesGoIpldPrime(t *testing.T) {
	r := rand.New(rand.NewSource(71))
	var compared, refused int
	for i := 0; i < 6000; i++ {
		g := &gen{r: r}
		nb := basicnode.Prototype.Any.NewBuilder()
		g.value(0)(nb)
		var buf bytes.Buffer
		if err := dagcbor.Encode(nb.Build(), &buf); err != nil {
			t.Fatal(err)
		}
		var want []cid.Cid
		forbidden := false
		for _, l := range primeLinks(t, buf.Bytes()) {
			p := l.Prefix()
			switch {
			case p.Version == 1 && p.MhType == mh.IDENTITY && p.Codec == Raw:
			case p.Version == 1 && p.MhType == Blake2b256 && p.MhLength == 32 &&
				(p.Codec == DagCBOR || p.Codec == CBOR || p.Codec == Raw):
				if !forbidden {
					want = append(want, l)
				}
			default:
				forbidden = true
			}
		}
		var got []cid.Cid
		err := ScanReachable(DagCBOR, buf.Bytes(), func(c cid.Cid) error { got = append(got, c); return nil })
		if forbidden {
			if n, ok := errno.Of(err); !ok || n != errno.NotFound {
				t.Fatalf("case %d: err %v, want NotFound", i, err)
			}
			refused++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if len(got) != len(want) {
			t.Fatalf("case %d: %d links, want %d", i, len(got), len(want))
		}
		for j := range got {
			if !got[j].Equals(want[j]) {
				t.Fatalf("case %d link %d: %s, want %s", i, j, got[j], want[j])
			}
		}
		compared += len(got)
	}
	t.Logf("%d links compared, %d documents refused", compared, refused)
	if compared < 600 || refused == 0 {
		t.Fatal("generator does not exercise enough")
	}
}
