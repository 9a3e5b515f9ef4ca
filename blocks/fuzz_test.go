package blocks

import (
	"context"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// FuzzRegistry drives a registry with a byte-coded sequence of Put/Get/Stat/
// Reset and checks it against a plain slice model of fvm-abi.md §4.1.
func FuzzRegistry(f *testing.F) {
	f.Add([]byte{0, 0x71, 1, 1, 2, 0, 0, 0x55, 3})
	f.Add([]byte{0, 0x51, 0, 0x71, 0, 0x71, 0, 0x71, 1, 9, 4})
	f.Fuzz(func(t *testing.T, ops []byte) {
		codecTable := []uint64{0x71, 0x51, 0x55, 0x70, 0x00}
		set := setV2
		if len(ops) > 0 && ops[0]&1 == 1 {
			set = setV3
		}
		r := NewRegistry(set)
		r.max = 5
		var model []Block
		for i := 0; i+1 < len(ops); i += 2 {
			arg := ops[i+1]
			switch ops[i] % 4 {
			case 0:
				b := Block{Codec: codecTable[int(arg)%len(codecTable)], Data: []byte{arg}}
				id, err := r.Put(b)
				switch {
				case len(model) == 5:
					wantErrno(t, err, errno.LimitExceeded)
				case !(b.Codec == codecs.DagCBOR || set == setV3 && (b.Codec == codecs.CBOR || b.Codec == codecs.Raw)):
					wantErrno(t, err, errno.IllegalCodec)
				default:
					model = append(model, b)
					if err != nil || id != uint32(len(model)) {
						t.Fatalf("Put = %d, %v; want %d", id, err, len(model))
					}
				}
			case 1, 2:
				id := uint32(arg % 8)
				b, err := r.Get(id)
				st, serr := r.Stat(id)
				if id == 0 || int(id) > len(model) {
					wantErrno(t, err, errno.InvalidHandle)
					wantErrno(t, serr, errno.InvalidHandle)
					continue
				}
				m := model[id-1]
				if err != nil || serr != nil || b.Codec != m.Codec || b.Data[0] != m.Data[0] ||
					st != (Stat{Codec: m.Codec, Size: 1}) {
					t.Fatalf("Get/Stat(%d) = %v %v %v %v; want %v", id, b, err, st, serr, m)
				}
			case 3:
				r.Reset(set)
				r.max = 5
				model = model[:0]
			}
			if r.Len() != len(model) {
				t.Fatalf("Len %d, model %d", r.Len(), len(model))
			}
		}
	})
}

// Slots a fuzzed block can link to: byte 0xf0 followed by k in a block
// template becomes a DAG-CBOR link to slotCid(k). Slots 0..7 are buffered
// (their content is the k-th template); the others are fixed shapes of
// fvm-abi.md §4.3.
func slotCid(k byte) cid.Cid {
	digest := make([]byte, 32)
	digest[0] = k
	switch k % 16 {
	case 0, 1, 2, 3, 4:
		return cidOf(0x71, mh.BLAKE2B_MIN+31, digest)
	case 5:
		return cidOf(0x55, mh.BLAKE2B_MIN+31, digest)
	case 6, 7:
		return cidOf(0x51, mh.BLAKE2B_MIN+31, digest)
	case 8:
		return cidOf(0x55, mh.IDENTITY, digest[:3])
	case 9: // inline DAG-CBOR linking to slot 1
		return cidOf(0x71, mh.IDENTITY, list(slotCid(1)))
	case 10:
		return cidOf(0xf101, mh.SHA2_256, digest)
	case 11:
		return cidOf(0xf102, 0xb401, digest)
	case 12:
		return cidOf(0x71, mh.SHA2_256, digest)
	case 13:
		return cid.NewCidV0(mustMh(digest))
	case 14:
		return cidOf(0x71, mh.BLAKE2B_MIN+31, digest) // unbuffered (k ≥ 16 never buffered)
	default:
		return cidOf(0x71, mh.BLAKE2B_MIN+19, digest[:20])
	}
}

func expand(tmpl []byte) []byte {
	var out []byte
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == 0xf0 && i+1 < len(tmpl) {
			out = append(out, link(slotCid(tmpl[i+1]))...)
			i++
			continue
		}
		out = append(out, tmpl[i])
	}
	return out
}

// modelFlushV3 restates 3.6.0's take_reachable line by line: a stack of
// CIDs, the codec check, the hash check, identity scanning, and blocks taken
// out of (a copy of) the buffer as they are written.
func modelFlushV3(buf map[cid.Cid][]byte, root cid.Cid) (written map[cid.Cid]bool, ok bool) {
	cache := make(map[cid.Cid][]byte, len(buf))
	for k, v := range buf {
		cache[k] = v
	}
	written = map[cid.Cid]bool{}
	stack := []cid.Cid{root}
	push := func(c cid.Cid) error { stack = append(stack, c); return nil }
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		info, err := codecs.Inspect(k)
		if err != nil {
			return nil, false
		}
		switch info.Codec {
		case 0xf101, 0xf102:
			continue
		case 0x55, 0x71, 0x51:
		default:
			return nil, false
		}
		if !(info.HashCode == 0xb220 && len(info.Digest) == 32) && info.HashCode != 0 {
			return nil, false
		}
		if info.HashCode == 0 {
			if info.Codec == 0x71 && codecs.ScanFlushLinks([]byte(info.Digest), push) != nil {
				return nil, false
			}
			continue
		}
		block, ok := cache[k]
		if !ok {
			continue
		}
		delete(cache, k)
		if info.Codec == 0x71 && codecs.ScanFlushLinks(block, push) != nil {
			return nil, false
		}
		written[k] = true
	}
	return written, true
}

// modelFlush is a line-by-line restatement of 2.12.1's recursive copy_rec
// (no memoisation), with a call budget standing in for its stack.
func modelFlush(buf map[cid.Cid][]byte, root cid.Cid) (written map[cid.Cid]bool, ok bool, finished bool) {
	written = map[cid.Cid]bool{}
	calls := 0
	var rec func(c cid.Cid) bool
	rec = func(c cid.Cid) bool {
		if calls++; calls > 10000 {
			return false
		}
		info, err := codecs.Inspect(c)
		if err != nil {
			return false
		}
		switch {
		case (info.Codec == 0x55 || info.Codec == 0x71) && info.HashCode == 0xb220 && len(info.Digest) == 32:
		case info.Codec == 0x55 && info.HashCode == 0:
			return true
		case info.Codec == 0x71 && info.HashCode == 0:
			return codecs.ScanLinks([]byte(info.Digest), func(l cid.Cid) error {
				if !rec(l) {
					return errStop
				}
				return nil
			}) == nil
		case info.Codec == 0xf101 || info.Codec == 0xf102:
			return true
		default:
			return false
		}
		data, ok := buf[c]
		if !ok {
			return true
		}
		if info.Codec == 0x71 {
			if codecs.ScanLinks(data, func(l cid.Cid) error {
				if !rec(l) {
					return errStop
				}
				return nil
			}) != nil {
				return false
			}
		}
		written[c] = true
		return true
	}
	ok = rec(root)
	return written, ok, calls <= 10000
}

var errStop = errno.New(errno.AssertionFailed, "stop")

// FuzzFlush builds a buffer from fuzzed block templates and checks Flush
// against modelFlush (V2) and modelFlushV3: same success, same blocks
// written.
func FuzzFlush(f *testing.F) {
	f.Add([]byte{0x82, 0xf0, 1, 0xf0, 5}, []byte{0x81, 0xf0, 9}, []byte{0x01}, byte(0))
	f.Add([]byte{0x83, 0xf0, 6, 0xf0, 10, 0xf0, 11}, []byte{0xf0, 0}, []byte{0x81, 0xf0, 12}, byte(1))
	f.Add([]byte{0x81, 0xf0, 2}, []byte{0x82, 0xf0, 0, 0xf0, 1}, []byte{0x18}, byte(3))
	f.Fuzz(func(t *testing.T, t0, t1, t2 []byte, flags byte) {
		templates := [][]byte{t0, t1, t2, t0, t1, t2, t2, t0}
		for _, mode := range []FlushMode{V2, V3} {
			b, ds := newStore(t, mode)
			buf := map[cid.Cid][]byte{}
			for k := byte(0); k < 8; k++ {
				if flags>>k&1 == 1 && k != 0 {
					continue // leave some slots unbuffered
				}
				c := slotCid(k)
				data := expand(templates[k])
				buf[c] = data
				if err := b.PutRaw(c, data); err != nil {
					t.Fatal(err)
				}
			}
			root := slotCid(0)
			want, ok, finished := modelFlush(buf, root)
			if mode == V3 {
				want, ok = modelFlushV3(buf, root)
				finished = true
			}
			err := b.Flush(context.Background(), root)
			if !finished {
				continue // the reference would not finish either
			}
			if (err == nil) != ok {
				t.Fatalf("mode %d: Flush err %v, model ok %v", mode, err, ok)
			}
			for c := range buf {
				if got := inDatastore(t, ds, c); got != (ok && want[c]) {
					t.Fatalf("mode %d: %s written %v, model %v", mode, c, got, ok && want[c])
				}
			}
		}
	})
}
