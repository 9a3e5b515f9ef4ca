package syscalls

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/errno"
)

// ipld family (fvm-abi.md §3.2 "ipld", §4). Ours: reading the CID, data and
// output slices, the offset+max_len i32 check of block_read, writing CIDs and
// IpldOpen/IpldStat. Kernel's: charges, registry, codecs, the 1 MiB cap,
// IllegalCid, the blockstore.

// ipld.block_open(ret, cid_off) → IpldOpen{codec u64, id u32, size u32}.
func ipldBlockOpen(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 16)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	c, err := inv.readCID(uint32(stack[1]))
	if err == nil {
		var id uint32
		var st BlockStat
		if id, st, err = inv.k.BlockOpen(c); err == nil {
			b, _ := inv.mem.Read(ret, 16)
			le.PutUint64(b[0:], st.Codec)
			le.PutUint32(b[8:], id)
			le.PutUint32(b[12:], st.Size)
		}
	}
	stack[0] = inv.finish(err)
}

// ipld.block_create(ret, codec, data_off, data_len) → block id.
func ipldBlockCreate(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	data, err := inv.slice(uint32(stack[2]), uint32(stack[3]))
	if err == nil {
		var id uint32
		if id, err = inv.k.BlockCreate(stack[1], data); err == nil {
			inv.mem.WriteUint32Le(ret, id)
		}
	}
	stack[0] = inv.finish(err)
}

var errReadEnd = errno.New(errno.IllegalArgument, "offset plus buffer length did not fit into an i32")

// ipld.block_read(ret, id, offset, obuf_off, max_len) → i32 remaining.
// Order: output slice → offset+max_len fits in i32 → kernel (lookup, charge,
// copy). The i32 check lives in the reference kernel but precedes anything
// observable there, so doing it here is equivalent.
func ipldBlockRead(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	id, offset, off, n := uint32(stack[1]), uint32(stack[2]), uint32(stack[3]), uint32(stack[4])
	buf, err := inv.slice(off, n)
	if err == nil {
		if uint64(offset)+uint64(n) > 1<<31-1 {
			err = errReadEnd
		} else {
			var rem int32
			if rem, err = inv.k.BlockRead(id, offset, buf); err == nil {
				inv.mem.WriteUint32Le(ret, uint32(rem))
			}
		}
	}
	stack[0] = inv.finish(err)
}

// ipld.block_stat(ret, id) → IpldStat{codec u64, size u32}.
func ipldBlockStat(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 12)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	st, err := inv.k.BlockStat(uint32(stack[1]))
	if err == nil {
		b, _ := inv.mem.Read(ret, 12)
		le.PutUint64(b[0:], st.Codec)
		le.PutUint32(b[8:], st.Size)
	}
	stack[0] = inv.finish(err)
}

// ipld.block_link(ret, id, hash_fun, hash_len, cid_off, cid_max_len) → CID
// length. Output bounds first; BufferTooSmall comes after the kernel stored
// the block and charged (fvm-abi.md §3.2).
func ipldBlockLink(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	id, hashFun, hashLen, off, n := uint32(stack[1]), stack[2], uint32(stack[3]), uint32(stack[4]), uint32(stack[5])
	err := inv.checkBounds(off, n)
	if err == nil {
		var c cidT
		if c, err = inv.k.BlockLink(id, hashFun, hashLen); err == nil {
			err = inv.writeCIDRet(c, off, n, ret)
		}
	}
	stack[0] = inv.finish(err)
}
