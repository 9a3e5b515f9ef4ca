package syscalls

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/errno"
)

// self and actor families (fvm-abi.md §3.2 "self", "actor"). Ours: slices,
// CID/address parsing, the 21-byte minimum of new/next_actor_address,
// BufferTooSmall on outputs, the u128 check. Kernel's: everything about
// actors (existence, read-only, placeholders, charges, the f2 counter).

// self.root(ret, cid_off, cid_max_len) → CID length.
func selfRoot(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	off, n := uint32(stack[1]), uint32(stack[2])
	err := inv.checkBounds(off, n)
	if err == nil {
		var c cidT
		if c, err = inv.k.Root(); err == nil {
			err = inv.writeCIDRet(c, off, n, ret)
		}
	}
	stack[0] = inv.finish(err)
}

// self.set_root(cid_off).
func selfSetRoot(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	c, err := inv.readCID(uint32(stack[0]))
	if err == nil {
		err = inv.k.SetRoot(c)
	}
	stack[0] = inv.finish(err)
}

// self.current_balance(ret) → TokenAmount.
func selfCurrentBalance(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 16)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v, err := inv.k.CurrentBalance()
	stack[0] = writeToken(inv, ret, v, err)
}

// self.self_destruct(addr_off, addr_len), FVM v2 and v3.
func selfSelfDestruct(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	a, err := inv.readAddress(uint32(stack[0]), uint32(stack[1]))
	if err == nil {
		err = inv.k.SelfDestruct(a)
	}
	stack[0] = inv.finish(err)
}

// self.self_destruct(burn_funds), FVM v4 (FIP-0073): any non-zero value
// means burn (fvm-abi-next.md §3.1).
func selfSelfDestructBurn(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	stack[0] = inv.finish(inv.k.SelfDestructBurn(uint32(stack[0]) != 0))
}

// actor.resolve_address(ret, addr_off, addr_len) → u64 id.
func actorResolveAddress(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 8)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	a, err := inv.readAddress(uint32(stack[1]), uint32(stack[2]))
	if err == nil {
		var id abi.ActorID
		if id, err = inv.k.ResolveAddress(a); err == nil {
			inv.mem.WriteUint64Le(ret, uint64(id))
		}
	}
	stack[0] = inv.finish(err)
}

// actor.get_actor_code_cid(ret, actor_id, obuf_off, obuf_len) → CID length.
func actorGetActorCodeCid(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	id, off, n := stack[1], uint32(stack[2]), uint32(stack[3])
	err := inv.checkBounds(off, n)
	if err == nil {
		var c cidT
		if c, err = inv.k.GetActorCodeCid(abi.ActorID(id)); err == nil {
			err = inv.writeCIDRet(c, off, n, ret)
		}
	}
	stack[0] = inv.finish(err)
}

// actor.get_builtin_actor_type(ret, cid_off) → i32 type.
func actorGetBuiltinActorType(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	c, err := inv.readCID(uint32(stack[1]))
	if err == nil {
		var typ int32
		if typ, err = inv.k.GetBuiltinActorType(c); err == nil {
			inv.mem.WriteUint32Le(ret, uint32(typ))
		}
	}
	stack[0] = inv.finish(err)
}

// actor.get_code_cid_for_type(ret, typ, obuf_off, obuf_len) → CID length.
func actorGetCodeCidForType(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	typ, off, n := int32(uint32(stack[1])), uint32(stack[2]), uint32(stack[3])
	err := inv.checkBounds(off, n)
	if err == nil {
		var c cidT
		if c, err = inv.k.GetCodeCidForType(typ); err == nil {
			err = inv.writeCIDRet(c, off, n, ret)
		}
	}
	stack[0] = inv.finish(err)
}

var errAddrBuf = errno.New(errno.BufferTooSmall, "output buffer must have a minimum capacity of 21 bytes")

// actor.new_actor_address (nv17) / next_actor_address (nv18)
// (ret, obuf_off, obuf_len) → address length. Slice → len < 21 →
// BufferTooSmall → kernel.
func actorActorAddress(next bool) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		ret := uint32(stack[0])
		inv := enter(ctx, ret, 4)
		if inv == nil {
			stack[0] = badRetPtr
			return
		}
		out, err := inv.slice(uint32(stack[1]), uint32(stack[2]))
		if err == nil {
			if len(out) < 21 {
				err = errAddrBuf
			} else {
				var a address.Address
				if next {
					a, err = inv.k.NextActorAddress()
				} else {
					a, err = inv.k.NewActorAddress()
				}
				if err == nil {
					b := a.Bytes()
					if len(b) > len(out) {
						inv.fatal(fmt.Errorf("created %d byte actor address", len(b)))
					}
					copy(out, b)
					inv.mem.WriteUint32Le(ret, uint32(len(b)))
				}
			}
		}
		stack[0] = inv.finish(err)
	}
}

// actor.create_actor v2 (actor_id, code_cid_off) and v3 (actor_id,
// code_cid_off, delegated_addr_off, delegated_addr_len). Read CID → (v3,
// len > 0) read address → kernel.
func actorCreateActor(withDelegated bool) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		inv := enter(ctx, 0, 0)
		id := abi.ActorID(stack[0])
		c, err := inv.readCID(uint32(stack[1]))
		if err == nil {
			var delegated *address.Address
			if withDelegated && uint32(stack[3]) > 0 {
				var a address.Address
				if a, err = inv.readAddress(uint32(stack[2]), uint32(stack[3])); err == nil {
					delegated = &a
				}
			}
			if err == nil {
				err = inv.k.CreateActor(c, id, delegated)
			}
		}
		stack[0] = inv.finish(err)
	}
}

var errDelegatedBuf = errno.New(errno.BufferTooSmall, "address output buffer is too small")

// actor.lookup_delegated_address(ret, actor_id, obuf_off, obuf_len) → length
// (0 = none). Slice → kernel → BufferTooSmall.
func actorLookupDelegatedAddress(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	out, err := inv.slice(uint32(stack[2]), uint32(stack[3]))
	if err == nil {
		var a *address.Address
		if a, err = inv.k.LookupDelegatedAddress(abi.ActorID(stack[1])); err == nil {
			var n uint32
			if a != nil {
				b := a.Bytes()
				if len(b) > len(out) {
					err = errDelegatedBuf
				} else {
					copy(out, b)
					n = uint32(len(b))
				}
			}
			if err == nil {
				inv.mem.WriteUint32Le(ret, n)
			}
		}
	}
	stack[0] = inv.finish(err)
}

// actor.balance_of(ret, actor_id) → TokenAmount (nv18).
func actorBalanceOf(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 16)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v, err := inv.k.BalanceOf(abi.ActorID(stack[1]))
	stack[0] = writeToken(inv, ret, v, err)
}
