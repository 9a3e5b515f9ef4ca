package syscalls

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Memory helpers of fvm-abi.md §1.4. Slices returned by slice are views into
// wasm memory (api.Memory.Read), valid only until the memory grows, i.e.
// until the syscall returns; see the retention rules on Kernel.

// MaxCIDLen is the longest binary CID the memory helpers handle (fvm_shared
// MAX_CID_LEN).
const MaxCIDLen = 100

// maxDigestLen is the multihash digest limit of the reference's CID parser
// (Multihash<64>).
const maxDigestLen = 64

var (
	errOutOfBounds = errno.New(errno.IllegalArgument, "buffer out of bounds")
	errBadCID      = errno.New(errno.IllegalArgument, "failed to parse cid")
	errCIDTooBig   = errno.New(errno.BufferTooSmall, "cid output buffer is too small")
)

// slice returns the view (off, n). Valid iff off+n ≤ memory size in 64-bit
// arithmetic; off = size with n = 0 is valid (an empty view).
func (inv *Invocation) slice(off, n uint32) ([]byte, error) {
	if uint64(off)+uint64(n) > uint64(inv.mem.Size()) {
		return nil, errOutOfBounds
	}
	b, ok := inv.mem.Read(off, n)
	if !ok {
		return nil, errOutOfBounds
	}
	return b, nil
}

// checkBounds is slice without the view.
func (inv *Invocation) checkBounds(off, n uint32) error {
	if uint64(off)+uint64(n) > uint64(inv.mem.Size()) {
		return errOutOfBounds
	}
	return nil
}

// readCID parses a binary CID at off, reading up to the end of memory and
// ignoring trailing bytes (Cid::read_bytes, fvm/src/syscalls/context.rs).
func (inv *Invocation) readCID(off uint32) (cid.Cid, error) {
	size := inv.mem.Size()
	if off > size {
		return cid.Undef, errOutOfBounds
	}
	rest, _ := inv.mem.Read(off, size-off)
	n, err := cidPrefixLen(rest)
	if err != nil {
		return cid.Undef, errBadCID
	}
	c, err := cid.Cast(rest[:n])
	if err != nil {
		return cid.Undef, errBadCID
	}
	return c, nil
}

// cidPrefixLen returns how many bytes of b the CID at its start occupies, with
// the rules of the reference's parser (rust cid 0.8 Cid::read_bytes):
// version and codec varints; 0x12 0x20 is a CIDv0 followed by 32 digest
// bytes; otherwise the version must be 1, followed by a multihash whose
// digest is at most 64 bytes.
func cidPrefixLen(b []byte) (int, error) {
	version, n1, err := uvarint(b)
	if err != nil {
		return 0, err
	}
	codec, n2, err := uvarint(b[n1:])
	if err != nil {
		return 0, err
	}
	pos := n1 + n2
	if version == 0x12 && codec == 0x20 {
		if len(b)-pos < 32 {
			return 0, errBadCID
		}
		return pos + 32, nil
	}
	if version != 1 {
		return 0, errBadCID
	}
	_, n3, err := uvarint(b[pos:])
	if err != nil {
		return 0, err
	}
	pos += n3
	dlen, n4, err := uvarint(b[pos:])
	if err != nil {
		return 0, err
	}
	pos += n4
	if dlen > maxDigestLen || uint64(len(b)-pos) < dlen {
		return 0, errBadCID
	}
	return pos + int(dlen), nil
}

// uvarint reads an unsigned LEB128 varint of at most 9 bytes in minimal
// form, as go-varint (and so go-cid) requires. See the package notes for the
// reference's behaviour on non-minimal input.
func uvarint(b []byte) (uint64, int, error) {
	var x uint64
	for i := 0; i < len(b) && i < 9; i++ {
		c := b[i]
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, errBadCID // not minimal
			}
			return x, i + 1, nil
		}
	}
	return 0, 0, errBadCID
}

// writeCID writes c into (off, n) and returns its length: bounds first
// (IllegalArgument), then BufferTooSmall if it does not fit.
func (inv *Invocation) writeCID(c cid.Cid, off, n uint32) (uint32, error) {
	out, err := inv.slice(off, n)
	if err != nil {
		return 0, err
	}
	s := c.KeyString() // the binary form, without a copy
	if len(s) > MaxCIDLen {
		return 0, fmt.Errorf("kernel returned a %d-byte cid", len(s)) // fatal, as the reference's expect
	}
	if len(s) > len(out) {
		return 0, errCIDTooBig
	}
	copy(out, s)
	return uint32(len(s)), nil
}

// readAddress parses an address in (off, n). Without delegated addresses (v2)
// only protocols 0–3 exist, so an f4 address is unparsable there (fvm_shared
// 2 Address::from_bytes).
func (inv *Invocation) readAddress(off, n uint32) (address.Address, error) {
	b, err := inv.slice(off, n)
	if err != nil {
		return address.Undef, err
	}
	if len(b) < 2 { // Address::from_bytes: InvalidLength (go-address returns Undef for empty input)
		return address.Undef, errno.New(errno.IllegalArgument, "address too short")
	}
	if !inv.k.Rules().DelegatedAddresses && b[0] == address.Delegated {
		return address.Undef, errno.New(errno.IllegalArgument, "unknown address protocol 4")
	}
	a, err := address.NewFromBytes(b)
	if err != nil {
		return address.Undef, errno.New(errno.IllegalArgument, "invalid address: %v", err)
	}
	return a, nil
}

// tokenAmount splits a non-negative amount below 2^128 into (lo, hi). A
// negative or larger amount is the reference's fatal "exceeds u128".
func tokenAmount(v abi.TokenAmount) (lo, hi uint64, err error) {
	if v.Int == nil {
		return 0, 0, nil
	}
	if v.Int.Sign() < 0 || v.Int.BitLen() > 128 {
		return 0, 0, fmt.Errorf("token amount %s does not fit in u128", v.Int)
	}
	var b [16]byte
	v.Int.FillBytes(b[:])
	return binary.BigEndian.Uint64(b[8:]), binary.BigEndian.Uint64(b[:8]), nil
}

// putTokenAmount writes (lo, hi) little-endian at b[0:16] (§1.5 TokenAmount).
func putTokenAmount(b []byte, v abi.TokenAmount) error {
	lo, hi, err := tokenAmount(v)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(b[0:], lo)
	binary.LittleEndian.PutUint64(b[8:], hi)
	return nil
}

// tokenFromHiLo is hi·2^64 + lo (send's value parameters).
func tokenFromHiLo(hi, lo uint64) abi.TokenAmount {
	x := new(big.Int).SetUint64(hi)
	x.Lsh(x, 64)
	x.Or(x, new(big.Int).SetUint64(lo))
	return abi.TokenAmount{Int: x}
}

// writeCIDRet writes c into (off, n) and, on success, its length as a u32 at
// ret (the shape of every "returns the CID length" syscall).
func (inv *Invocation) writeCIDRet(c cid.Cid, off, n, ret uint32) error {
	l, err := inv.writeCID(c, off, n)
	if err == nil {
		inv.mem.WriteUint32Le(ret, l)
	}
	return err
}

// cidT keeps files that only pass CIDs through free of the import.
type cidT = cid.Cid
