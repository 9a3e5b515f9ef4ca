package vectors_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-address"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// FuzzParse feeds arbitrary bytes to the vector loader: JSON, base64, gzip,
// CAR framing, block verification, message decoding, randomness. Any input
// must end in a vector or an error, never a panic or a hang. When it loads,
// the code check and the state reader run over its blocks too.
func FuzzParse(f *testing.F) {
	for _, nv := range []uint{17, 18} {
		for _, p := range []address.Protocol{address.ID, address.SECP256K1, address.BLS} {
			s, err := vectortest.NewScenario(nv, p)
			if err != nil {
				f.Fatal(err)
			}
			j := s.Vector.JSON()
			f.Add(j)
			f.Add(j[:len(j)/2])
		}
	}
	f.Add([]byte(`{"class":"message","car":"H4sI"}`))
	f.Add([]byte(`{}`))
	bundles := vectors.NewBundles()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := vectors.Parse(data)
		if err != nil {
			if v != nil {
				t.Fatal("vector and error")
			}
			return
		}
		_ = bundles.CheckCode(context.Background(), v)
		run := v.NewRun(nil, vectors.ReachabilityStrict, vectors.EngineCompiler)
		_ = vectors.StateDiff(run.Blockstore, v.PostRoot, v.PreRoot, v.Message)
	})
}

// FuzzStateDiff stores each 0xdead-separated chunk of the input as a
// DAG-CBOR block under its own hash (so the blocks always verify) and diffs
// the states rooted at the first two. Seeds are the scenario's real blocks,
// so links between unmutated chunks still resolve.
func FuzzStateDiff(f *testing.F) {
	sep := []byte{0xde, 0xad}
	for _, nv := range []uint{17, 18} {
		s, err := vectortest.NewScenario(nv, address.BLS)
		if err != nil {
			f.Fatal(err)
		}
		var chunks [][]byte
		pre, _ := s.State.Raw(s.Pre)
		post, _ := s.State.Raw(s.Post)
		chunks = append(chunks, post, pre)
		for _, c := range s.State.CIDs() {
			if c != s.Pre && c != s.Post {
				d, _ := s.State.Raw(c)
				chunks = append(chunks, d)
			}
		}
		f.Add(bytes.Join(chunks, sep))
	}
	msg := &vectors.Message{}
	msg.From, _ = address.NewIDAddress(100)
	msg.To, _ = address.NewIDAddress(101)
	f.Fuzz(func(t *testing.T, data []byte) {
		chunks := bytes.Split(data, []byte{0xde, 0xad})
		if len(chunks) < 2 || len(chunks) > 64 {
			return
		}
		bs := vectors.NewMemBlockstore()
		var roots []cid.Cid
		for _, ch := range chunks {
			c, err := cid.Prefix{Version: 1, Codec: 0x71, MhType: multihash.BLAKE2B_MIN + 31, MhLength: 32}.Sum(ch)
			if err != nil {
				t.Fatal(err)
			}
			blk, _ := blocks.NewBlockWithCid(ch, c)
			_ = bs.Put(context.Background(), blk)
			roots = append(roots, c)
		}
		_ = vectors.StateDiff(bs, roots[0], roots[1], msg)
		_, _, _, _ = vectors.HAMTFind(bs, roots[0], []byte{0, 100})
		_, _, _ = vectors.HAMTCollect(bs, roots[1])
	})
}

// FuzzDecodeMessage: decode, and what decodes re-encodes to the same bytes
// when the input was canonical.
func FuzzDecodeMessage(f *testing.F) {
	s, err := vectortest.NewScenario(18, address.SECP256K1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.MsgBytes)
	f.Add([]byte{0x8a})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := vectors.DecodeMessage(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := m.MarshalCBOR(&buf); err != nil {
			t.Fatalf("decoded message does not re-encode: %v", err)
		}
		if _, err := vectors.DecodeMessage(buf.Bytes()); err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
	})
}
