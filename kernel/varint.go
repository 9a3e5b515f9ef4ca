package kernel

import "errors"

var errVarint = errors.New("bad varint")

// varintUvarint reads a minimal unsigned LEB128 (fvm-abi.md §8.7).
func varintUvarint(b []byte) (uint64, int, error) {
	var x uint64
	for i := 0; i < len(b) && i < 10; i++ {
		c := b[i]
		if i == 9 && c > 1 {
			return 0, 0, errVarint
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, errVarint // not minimal
			}
			return x, i + 1, nil
		}
	}
	return 0, 0, errVarint
}
