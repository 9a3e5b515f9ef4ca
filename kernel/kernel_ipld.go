package kernel

import (
	"math"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/tracing"
)

// maxBlockSize caps block_create with Rules.BlockCreateLimit (1 MiB,
// exactly 1 MiB allowed).
const maxBlockSize = 1 << 20

// BlockOpen loads a block from the blockstore into the registry (fvm-abi.md
// §3.2 ipld): base charge, load (missing → fatal), per-byte charge, then
// registry insertion (full → LimitExceeded, codec → IllegalCodec).
func (k *invocationKernel) BlockOpen(c cid.Cid) (uint32, syscalls.BlockStat, error) {
	if err := k.reach.CanOpen(c); err != nil { // strict mode only (beyond the reference)
		return 0, syscalls.BlockStat{}, err
	}
	if err := k.cm.charge(k.cm.p.OnBlockOpenBase()); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	var data []byte
	if pre := c.Prefix(); pre.MhType == mh.IDENTITY {
		// An identity CID carries its block inline; Lotus's blockstore
		// answers it the same way (fvm-abi.md §14).
		dec, err := mh.Decode(c.Hash())
		if err != nil {
			return 0, syscalls.BlockStat{}, fatalf("block_open %s: %v", c, err)
		}
		data = dec.Digest
	} else {
		blk, err := k.cm.m.bs.Get(k.ctx, c)
		if err != nil {
			return 0, syscalls.BlockStat{}, fatalf("block_open %s: %v", c, err)
		}
		data = blk.RawData()
	}
	if err := k.cm.charge(k.cm.p.OnBlockOpenPerByte(len(data))); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	codec := c.Prefix().Codec
	id, err := k.reg.put(block{Codec: codec, Data: data})
	if err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	if err := k.reach.Opened(codec, data); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	if h := k.cm.m.cfg.hooks; h != nil && h.OnIpld != nil {
		h.OnIpld(tracing.Ipld{Op: tracing.IpldOpen, Cid: c, Size: uint64(len(data))})
	}
	return id, syscalls.BlockStat{Codec: codec, Size: uint32(len(data))}, nil
}

// BlockCreate copies data into a new block without parsing it.
func (k *invocationKernel) BlockCreate(codec uint64, data []byte) (uint32, error) {
	if k.cm.rules.BlockCreateLimit && len(data) > maxBlockSize {
		return 0, errno.New(errno.LimitExceeded, "block too large: %d bytes", len(data))
	}
	if err := k.cm.charge(k.cm.p.OnBlockCreate(len(data))); err != nil {
		return 0, err
	}
	if err := k.reach.Created(codec, data); err != nil {
		return 0, err
	}
	return k.reg.put(block{Codec: codec, Data: append([]byte(nil), data...)})
}

// BlockRead copies min(max(size−offset, 0), len(buf)) bytes and returns
// size − (offset + len(buf)).
func (k *invocationKernel) BlockRead(id uint32, offset uint32, buf []byte) (int32, error) {
	if int64(offset)+int64(len(buf)) > math.MaxInt32 {
		return 0, errno.New(errno.IllegalArgument, "offset plus buffer length does not fit in i32")
	}
	b, err := k.reg.get(id)
	if err != nil {
		return 0, err
	}
	n := 0
	if int(offset) < len(b.Data) {
		n = min(len(b.Data)-int(offset), len(buf))
	}
	if err := k.cm.charge(k.cm.p.OnBlockRead(n)); err != nil {
		return 0, err
	}
	if n > 0 {
		copy(buf, b.Data[offset:int(offset)+n])
	}
	return int32(int64(len(b.Data)) - (int64(offset) + int64(len(buf)))), nil
}

// BlockStat returns a block's codec and size (OnBlockStat, 0 gas).
func (k *invocationKernel) BlockStat(id uint32) (syscalls.BlockStat, error) {
	if err := k.cm.charge(k.cm.p.OnBlockStat()); err != nil {
		return syscalls.BlockStat{}, err
	}
	b, err := k.reg.get(id)
	if err != nil {
		return syscalls.BlockStat{}, err
	}
	return syscalls.BlockStat{Codec: b.Codec, Size: uint32(len(b.Data))}, nil
}

// BlockLink hashes a block with blake2b-256 (the only hash allowed), writes
// it to the blockstore and returns its CIDv1.
func (k *invocationKernel) BlockLink(id uint32, hashFun uint64, hashLen uint32) (cid.Cid, error) {
	if hashFun != mh.BLAKE2B_MIN+31 || hashLen != 32 {
		return cid.Undef, errno.New(errno.IllegalCid, "only blake2b-256 links are allowed")
	}
	b, err := k.reg.get(id)
	if err != nil {
		return cid.Undef, err
	}
	if err := k.cm.charge(k.cm.p.OnBlockLink(len(b.Data))); err != nil {
		return cid.Undef, err
	}
	c, err := cid.V1Builder{Codec: b.Codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(b.Data)
	if err != nil {
		return cid.Undef, fatalf("hashing block: %v", err)
	}
	blk, err := blocks.NewBlockWithCid(b.Data, c)
	if err != nil {
		return cid.Undef, fatalf("block: %v", err)
	}
	if err := k.cm.m.bs.Put(k.ctx, blk); err != nil {
		return cid.Undef, fatalf("writing block %s: %v", c, err)
	}
	k.reach.Linked(c)
	if h := k.cm.m.cfg.hooks; h != nil && h.OnIpld != nil {
		h.OnIpld(tracing.Ipld{Op: tracing.IpldLink, Cid: c, Size: uint64(len(b.Data))})
	}
	return c, nil
}
