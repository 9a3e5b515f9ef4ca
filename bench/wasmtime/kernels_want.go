package main

import "math/bits"

// Go transcriptions of what each kernel computes (kernels/*.wat).

func wantArith(n uint32) uint32 {
	x, y := uint64(0x9e3779b97f4a7c15), uint64(1)
	for ; n > 0; n-- {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		y = y*6364136223846793005 + x
	}
	return uint32(y ^ y>>32)
}

func wantFib(n uint32) uint32 {
	a, b := uint32(0), uint32(1)
	for ; n > 0; n-- {
		a, b = b, a+b
	}
	return a
}

func wantMemscan(n uint32) uint32 {
	var sum uint64
	for ; n > 0; n-- {
		for i := uint32(0); i < 1<<20; i += 8 {
			sum += uint64(i + n)
		}
	}
	return uint32(sum)
}

func wantBulk(n uint32) uint32 {
	// The word at 524288 is the copy of block 0, last filled when n had
	// its low three bits clear, with the low byte of that n.
	if n < 8 {
		return 0
	}
	return 0x08080808
}

func wantFloat(n uint32) uint32 {
	var total uint32
	for p := uint32(0); p < n; p++ {
		cr := float64(float64(p&255)*0.01171875) - 2.0
		ci := float64(float64(p>>8)*0.01171875) - 1.5
		zr, zi, k := 0.0, 0.0, uint32(0)
		// Explicit conversions keep every product rounded, as wasm's are
		// (the Go spec lets a compiler fuse x*y+z otherwise).
		for k < 64 && !(float64(zr*zr)+float64(zi*zi) > 4.0) {
			t := float64(zr*zr) - float64(zi*zi) + cr
			zi = float64(float64(2.0*zr)*zi) + ci
			zr = t
			k++
		}
		total += k
	}
	return total
}

var dispatchProgram = [16]byte{0, 1, 2, 3, 1, 0, 2, 1, 3, 2, 0, 3, 1, 2, 0, 3}

func wantDispatch(n uint32) uint32 {
	acc, pc := uint32(1), uint32(0)
	for ; n > 0; n-- {
		switch dispatchProgram[pc&15] {
		case 0:
			acc += 7
		case 1:
			acc *= 3
		case 2:
			acc ^= acc >> 5
		}
		pc++
	}
	return acc
}

func wantIndirect(n uint32) uint32 {
	var acc uint32
	for ; n > 0; n-- {
		switch n & 3 {
		case 0:
			acc++
		case 1:
			acc *= 3
		case 2:
			acc ^= 0x5555
		case 3:
			acc = bits.RotateLeft32(acc, 5)
		}
	}
	return acc
}
