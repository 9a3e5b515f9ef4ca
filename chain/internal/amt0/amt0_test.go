package amt0

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	amt4 "github.com/filecoin-project/go-amt-ipld/v4"
	"github.com/filecoin-project/go-state-types/abi"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	ipld "github.com/ipfs/go-ipld-format"
	cbg "github.com/whyrusleeping/cbor-gen"
)

type memStore map[cid.Cid]blocks.Block

func (m memStore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	if b, ok := m[c]; ok {
		return b, nil
	}
	return nil, ipld.ErrNotFound{Cid: c}
}

func (m memStore) Put(_ context.Context, b blocks.Block) error { m[b.Cid()] = b; return nil }

// The empty v0 AMT is the receipts root of a tipset with no applied message
// (chain.md §1.11 gives its CID, which real headers carry).
func TestEmptyRoot(t *testing.T) {
	c, err := Build(context.Background(), memStore{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6"; c.String() != want {
		t.Fatalf("empty root %s, want %s", c, want)
	}
}

// The nodes are go-amt-ipld/v4's at bit width 3; only the root differs (v4
// puts the bit width first). Rebuild each tree with v4, turn its root into
// [height, count, node] by hand, and compare CIDs.
func TestAgainstGoAmtIpld(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{1, 2, 8, 9, 63, 64, 65, 600} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			vals := make([][]byte, n)
			var ms []cbg.CBORMarshaler
			for i := range vals {
				vals[i] = cborBytes([]byte(fmt.Sprintf("receipt %d", i)))
				ms = append(ms, &cbg.Deferred{Raw: vals[i]})
			}
			store := memStore{}
			got, err := Build(ctx, store, vals)
			if err != nil {
				t.Fatal(err)
			}
			bs := memStore{}
			v4root, err := amt4.FromArray(ctx, cbor.NewCborStore(bs), ms, amt4.UseTreeBitWidth(3))
			if err != nil {
				t.Fatal(err)
			}
			blk := bs[v4root]
			r := cbg.NewCborReader(bytes.NewReader(blk.RawData()))
			if maj, l, _ := r.ReadHeader(); maj != cbg.MajArray || l != 4 {
				t.Fatal("v4 root is not a 4-tuple")
			}
			if _, bw, _ := r.ReadHeader(); bw != 3 {
				t.Fatalf("bit width %d", bw)
			}
			// Re-encode: 0x83 ‖ everything after [0x84, bitwidth].
			tail := blk.RawData()[2:]
			want, _ := abi.CidBuilder.Sum(append([]byte{0x83}, tail...))
			if !got.Equals(want) {
				t.Fatalf("root %s, want %s", got, want)
			}
			idx, back, err := Read(ctx, store, got)
			if err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				if idx[i] != uint64(i) || !bytes.Equal(back[i], vals[i]) {
					t.Fatalf("value %d differs", i)
				}
			}
		})
	}
}

func cborBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	_ = w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(b)))
	buf.Write(b)
	return buf.Bytes()
}
