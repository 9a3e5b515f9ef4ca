package codecs

import (
	"encoding/binary"
	"math/big"

	"github.com/gofvm/gofvm/kernel/errno"
)

// scanModel is a second, deliberately naive reading of fvm-abi-next.md §4.2
// and fvm-gas-next.md §3.2, for the fuzz target to compare AppendReachable
// with: recursive descent instead of an item counter, the field-count
// overflow computed with big integers, and the charges written down as a
// list ('F' per field, 'C' per CID) instead of metered. Binary CIDs are read
// with ReadCid and taken apart with Inspect, which have fuzz targets of their
// own against go-cid.
type scanModel struct {
	charges []byte
	links   []string
}

type modelInput struct {
	data []byte
	pos  int
	// pending counts the items still to read in every open array or map,
	// not counting the item being read.
	pending big.Int
}

func (m *scanModel) scan(codec uint64, data []byte) errno.Number {
	switch codec {
	case DagCBOR:
	case Raw, CBOR:
		return 0
	default:
		return errno.IllegalCodec
	}
	in := &modelInput{data: data}
	if n := m.item(in); n != 0 {
		return n
	}
	if in.pos != len(in.data) {
		return errno.Serialization
	}
	return 0
}

func (in *modelInput) header() (maj byte, val uint64, ok bool) {
	if in.pos >= len(in.data) {
		return 0, 0, false
	}
	b := in.data[in.pos]
	maj, low := b>>5, b&0x1f
	size := map[byte]int{24: 1, 25: 2, 26: 4, 27: 8}[low]
	if low >= 28 || in.pos+1+size > len(in.data) {
		return 0, 0, false
	}
	var buf [8]byte
	copy(buf[8-size:], in.data[in.pos+1:in.pos+1+size])
	val = binary.BigEndian.Uint64(buf[:])
	if low < 24 {
		val = uint64(low)
	}
	in.pos += 1 + size
	return maj, val, true
}

func (m *scanModel) item(in *modelInput) errno.Number {
	m.charges = append(m.charges, 'F')
	maj, val, ok := in.header()
	if !ok {
		return errno.Serialization
	}
	switch maj {
	case 2, 3:
		if val > uint64(len(in.data)-in.pos) {
			return errno.Serialization
		}
		in.pos += int(val)
	case 4, 5:
		n := new(big.Int).SetUint64(val)
		if maj == 5 {
			n.Lsh(n, 1)
		}
		// The items pending everywhere must fit in a u64.
		if new(big.Int).Add(&in.pending, n).BitLen() > 64 {
			return errno.Serialization
		}
		in.pending.Add(&in.pending, n)
		one := big.NewInt(1)
		for left := n; left.Sign() > 0; left.Sub(left, one) {
			in.pending.Sub(&in.pending, one)
			if e := m.item(in); e != 0 {
				return e
			}
		}
	case 6:
		if val != 42 {
			return m.item(in)
		}
		m.charges = append(m.charges, 'C')
		cmaj, clen, ok := in.header()
		if !ok || cmaj != 2 || clen > uint64(len(in.data)-in.pos) || clen == 0 || in.data[in.pos] != 0 {
			return errno.Serialization
		}
		body := in.data[in.pos+1 : in.pos+int(clen)]
		in.pos += int(clen)
		c, n, err := ReadCid(body)
		if err != nil || n != len(body) {
			return errno.Serialization
		}
		info, err := Inspect(c)
		if err != nil {
			panic(err)
		}
		switch {
		case info.Codec == FilCommitmentUnsealed || info.Codec == FilCommitmentSealed:
		case info.Codec != DagCBOR && info.Codec != CBOR && info.Codec != Raw:
			return errno.NotFound
		case info.HashCode == Identity:
			// the inline block: same tallies, its own input
			return m.scan(info.Codec, []byte(info.Digest))
		case info.HashCode != Blake2b256 || len(info.Digest) != 32:
			return errno.NotFound
		default:
			m.links = append(m.links, c.KeyString())
		}
	}
	return 0
}
