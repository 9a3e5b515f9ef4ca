package kernel

import (
	"math"
	"slices"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/tracing"
)

// maxBlockSize caps block_create with Rules.BlockCreateLimit (1 MiB,
// exactly 1 MiB allowed).
const maxBlockSize = 1 << 20

// BlockOpen loads a block from the blockstore into the registry. Without
// consensus reachability (nv ≤ 20, fvm-abi.md §3.2 ipld): base charge, load
// (missing → fatal), per-byte charge, then registry insertion (full →
// LimitExceeded, codec → IllegalCodec), with the strict option's check
// first. From nv21 FIP-0071's sequence (fvm-abi-next.md §4.3).
func (k *invocationKernel) BlockOpen(c cid.Cid) (uint32, syscalls.BlockStat, error) {
	if k.cm.rules.Reachability {
		return k.blockOpenReachable(c)
	}
	if err := k.reach.CanOpen(c); err != nil { // strict option only (beyond the reference)
		return 0, syscalls.BlockStat{}, err
	}
	if err := k.cm.charge(k.cm.p.OnBlockOpenBase()); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	data, err := k.load(c)
	if err != nil {
		return 0, syscalls.BlockStat{}, err
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
	k.traceIpld(tracing.IpldOpen, c, len(data))
	return id, syscalls.BlockStat{Codec: codec, Size: uint32(len(data))}, nil
}

// blockOpenReachable is block_open from nv21 (fvm-abi-next.md §4.3,
// fvm-gas-next.md §3.3): OnBlockOpenBase (187,740, kept on failure) → not
// reachable → NotFound → load (missing → fatal) → link scan of the CID's
// codec (OnScanIpldLinks; IllegalCodec, Serialization, NotFound, out of gas)
// → OnBlockOpen(n, links) → put_reachable (full → LimitExceeded), which makes
// the block's links reachable.
func (k *invocationKernel) blockOpenReachable(c cid.Cid) (uint32, syscalls.BlockStat, error) {
	if err := k.cm.charge(k.cm.p.OnBlockOpenBase()); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	if err := k.reach.CanOpen(c); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	data, err := k.load(c)
	if err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	k.traceIpld(tracing.IpldOpen, c, len(data))
	codec := c.Prefix().Codec
	links, err := k.scanLinks(codec, data)
	if err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	if err := k.cm.charge(k.cm.p.OnBlockOpen(len(data), len(links))); err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	id, err := k.reg.put(block{Codec: codec, Data: data, Links: links})
	if err != nil {
		return 0, syscalls.BlockStat{}, err
	}
	k.reach.MarkLinks(links)
	return id, syscalls.BlockStat{Codec: codec, Size: uint32(len(data))}, nil
}

// load reads a block's bytes for block_open; a block the store cannot
// produce is fatal (the state is missing).
func (k *invocationKernel) load(c cid.Cid) ([]byte, error) {
	if pre := c.Prefix(); pre.MhType == mh.IDENTITY {
		// An identity CID carries its block inline; Lotus's blockstore
		// answers it the same way (fvm-abi.md §14).
		dec, err := mh.Decode(c.Hash())
		if err != nil {
			return nil, fatalf("block_open %s: %v", c, err)
		}
		return dec.Digest, nil
	}
	blk, err := k.cm.m.bs.Get(k.ctx, c)
	if err != nil {
		return nil, fatalf("block_open %s: %v", c, err)
	}
	return blk.RawData(), nil
}

// scanLinks runs FIP-0071's link scan on a block entering the invocation,
// metered against the gas available, and charges what it consumed as one
// OnScanIpldLinks before returning the scan's error, if any
// (fvm-abi-next.md §4.2, §4.5). Out of budget the charge is all the gas left
// and the result is out of gas. The links alias data (immutable) and get a
// slice of their own; the scratch list is the call manager's.
func (k *invocationKernel) scanLinks(codec uint64, data []byte) ([]cid.Cid, error) {
	cm := k.cm
	meter, err := cm.p.NewScanMeter(cm.gas.Available())
	if err != nil {
		return nil, fatalf("link scan: %v", err)
	}
	var scanErr error
	cm.linkScratch, scanErr = codecs.AppendReachable(cm.linkScratch[:0], codec, data, &meter)
	if err := cm.charge(meter.Charge()); err != nil {
		return nil, err
	}
	if scanErr != nil {
		return nil, scanErr
	}
	if len(cm.linkScratch) == 0 {
		return nil, nil
	}
	return slices.Clone(cm.linkScratch), nil
}

func (k *invocationKernel) traceIpld(op tracing.IpldOp, c cid.Cid, size int) {
	if h := k.cm.m.cfg.hooks; h != nil && h.OnIpld != nil {
		h.OnIpld(tracing.Ipld{Op: op, Cid: c, Size: uint64(size)})
	}
}

// BlockCreate copies data into a new block. Without consensus reachability
// (nv ≤ 20) it is charged and stored without parsing (the strict option
// scans it); from nv21 (fvm-abi-next.md §4.3): over 1 MiB → LimitExceeded,
// a codec outside the registry's set → IllegalCodec, both before any charge;
// link scan (OnScanIpldLinks); OnBlockCreate(n, links); put_check_reachable:
// full → LimitExceeded, the first unreachable link → NotFound, after every
// charge. The new block's own CID becomes reachable only through block_link.
func (k *invocationKernel) BlockCreate(codec uint64, data []byte) (uint32, error) {
	if k.cm.rules.BlockCreateLimit && len(data) > maxBlockSize {
		return 0, errno.New(errno.LimitExceeded, "block too large: %d bytes", len(data))
	}
	if k.cm.rules.Reachability {
		return k.blockCreateReachable(codec, data)
	}
	if err := k.cm.charge(k.cm.p.OnBlockCreate(len(data))); err != nil {
		return 0, err
	}
	if err := k.reach.Created(codec, data); err != nil {
		return 0, err
	}
	return k.reg.put(block{Codec: codec, Data: append([]byte(nil), data...)})
}

func (k *invocationKernel) blockCreateReachable(codec uint64, data []byte) (uint32, error) {
	if !k.cm.rules.RegistryCodecs.Has(codec) {
		return 0, errno.New(errno.IllegalCodec, "codec %#x not allowed", codec)
	}
	// Scan the copy: the links alias the block's own bytes, not wasm memory.
	data = append([]byte(nil), data...)
	links, err := k.scanLinks(codec, data)
	if err != nil {
		return 0, err
	}
	if err := k.cm.charge(k.cm.p.OnBlockCreateLinks(len(data), len(links))); err != nil {
		return 0, err
	}
	if k.reg.full() {
		return 0, errno.New(errno.LimitExceeded, "too many blocks have been written")
	}
	if err := k.reach.CheckLinks(links); err != nil {
		return 0, err
	}
	return k.reg.put(block{Codec: codec, Data: data, Links: links})
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
	k.reach.Linked(c) // from nv21 before the CID is written out (fvm-abi-next.md §4.3)
	k.traceIpld(tracing.IpldLink, c, len(b.Data))
	return c, nil
}
