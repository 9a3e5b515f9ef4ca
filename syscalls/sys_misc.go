package syscalls

import (
	"context"
	"unicode/utf8"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/errno"
)

// rand, gas, send, event and debug families (fvm-abi.md §3.2). Ours:
// slices, UTF-8 checks, address parsing, send's value/gas-limit/flags
// decoding, result encoding. Kernel's: charges, externs, the call itself,
// event validation, artifact-name validation.

var (
	errNotUTF8   = errno.New(errno.IllegalArgument, "string is not utf8")
	errSendFlags = errno.New(errno.IllegalArgument, "invalid send flags")
)

// rand.get_chain_randomness / get_beacon_randomness(ret, tag, epoch,
// entropy_off, entropy_len) → [32]byte.
func randRandomness(beacon bool) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		ret := uint32(stack[0])
		inv := enter(ctx, ret, 32)
		if inv == nil {
			stack[0] = badRetPtr
			return
		}
		tag, epoch := int64(stack[1]), abi.ChainEpoch(int64(stack[2]))
		entropy, err := inv.slice(uint32(stack[3]), uint32(stack[4]))
		if err == nil {
			var r [32]byte
			if beacon {
				r, err = inv.k.GetBeaconRandomness(tag, epoch, entropy)
			} else {
				r, err = inv.k.GetChainRandomness(tag, epoch, entropy)
			}
			if err == nil {
				inv.mem.Write(ret, r[:])
			}
		}
		stack[0] = inv.finish(err)
	}
}

// rand.get_chain_randomness / get_beacon_randomness(ret, epoch) → [32]byte,
// FVM v4 (FIP-0075, fvm-abi-next.md §3.3): the kernel returns the client's
// digest unchanged; the actor draws from it.
func randDigest(beacon bool) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		ret := uint32(stack[0])
		inv := enter(ctx, ret, 32)
		if inv == nil {
			stack[0] = badRetPtr
			return
		}
		epoch := abi.ChainEpoch(int64(stack[1]))
		var r [32]byte
		var err error
		if beacon {
			r, err = inv.k.GetBeaconRandomnessDigest(epoch)
		} else {
			r, err = inv.k.GetChainRandomnessDigest(epoch)
		}
		if err == nil {
			inv.mem.Write(ret, r[:])
		}
		stack[0] = inv.finish(err)
	}
}

// gas.charge(name_off, name_len, amount). The amount is passed as its i64
// bits: nv17 reads it signed, nv18 unsigned; the kernel decides.
func gasCharge(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	name, err := inv.slice(uint32(stack[0]), uint32(stack[1]))
	if err == nil {
		if !utf8.Valid(name) {
			err = errNotUTF8
		} else {
			err = inv.k.ChargeGas(string(name), int64(stack[2]))
		}
	}
	stack[0] = inv.finish(err)
}

// gas.available(ret) → u64 whole gas (nv18).
func gasAvailable(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 8)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v, err := inv.k.GasAvailable()
	if err == nil {
		inv.mem.WriteUint64Le(ret, v)
	}
	stack[0] = inv.finish(err)
}

// send.send v2 (ret, recipient_off, recipient_len, method, params_id,
// value_hi, value_lo) and v3 (… , gas_limit, flags) → Send (20 bytes).
// Note the value order: hi, then lo (fvm-abi.md §1.5).
func sendSend(limitAndFlags bool) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		ret := uint32(stack[0])
		inv := enter(ctx, ret, 20)
		if inv == nil {
			stack[0] = badRetPtr
			return
		}
		to, err := inv.readAddress(uint32(stack[1]), uint32(stack[2]))
		if err == nil {
			method, params := abi.MethodNum(stack[3]), uint32(stack[4])
			value := tokenFromHiLo(stack[5], stack[6])
			var gasLimit *uint64
			var flags SendFlags
			if limitAndFlags {
				if gl := stack[7]; gl != ^uint64(0) { // u64::MAX = no limit
					gasLimit = &gl
				}
				flags = SendFlags(stack[8])
				if flags&^ReadOnly != 0 {
					err = errSendFlags
				}
			}
			if err == nil {
				err = inv.send(ctx, ret, to, method, params, value, gasLimit, flags)
			}
		}
		stack[0] = inv.finish(err)
	}
}

func (inv *Invocation) send(ctx context.Context, ret uint32, to address.Address, method abi.MethodNum,
	params uint32, value abi.TokenAmount, gasLimit *uint64, flags SendFlags) error {
	r, err := inv.k.Send(ctx, to, method, params, value, gasLimit, flags)
	if err != nil {
		return err
	}
	var buf [20]byte
	le.PutUint32(buf[0:], r.ExitCode)
	le.PutUint32(buf[4:], r.ReturnID)
	le.PutUint64(buf[8:], r.ReturnCodec)
	le.PutUint32(buf[16:], r.ReturnSize)
	inv.mem.Write(ret, buf[:])
	return nil
}

// event.emit_event(evt_off, evt_len), FVM v3: slice → kernel.
func eventEmitEvent(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	raw, err := inv.slice(uint32(stack[0]), uint32(stack[1]))
	if err == nil {
		err = inv.k.EmitEvent(raw)
	}
	stack[0] = inv.finish(err)
}

// eventEntrySize is the packed EventEntry: flags u64, codec u64, key_len
// u32, val_len u32, little-endian (fvm-abi-next.md §1.3).
const eventEntrySize = 24

// event.emit_event(entries_off, n_entries, keys_off, keys_len, vals_off,
// vals_len), FVM v4 (FIP-0072, fvm-abi-next.md §3.3): n_entries × 24 in u32
// (overflow → IllegalArgument), then the header, key and value slices, each
// IllegalArgument when out of bounds, then the kernel.
func eventEmitEventPacked(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	n := uint32(stack[1])
	var err error
	size := uint64(n) * eventEntrySize
	if size > 1<<32-1 {
		err = errEventEntries
	}
	var hdr, keys, vals []byte
	if err == nil {
		hdr, err = inv.slice(uint32(stack[0]), uint32(size))
	}
	if err == nil {
		keys, err = inv.slice(uint32(stack[2]), uint32(stack[3]))
	}
	if err == nil {
		vals, err = inv.slice(uint32(stack[4]), uint32(stack[5]))
	}
	if err == nil {
		entries := make([]EventEntry, n)
		for i := range entries {
			b := hdr[i*eventEntrySize:]
			entries[i] = EventEntry{Flags: le.Uint64(b[0:]), Codec: le.Uint64(b[8:]),
				KeyLen: le.Uint32(b[16:]), ValueLen: le.Uint32(b[20:])}
		}
		err = inv.k.EmitEventEntries(entries, keys, vals)
	}
	stack[0] = inv.finish(err)
}

var errEventEntries = errno.New(errno.IllegalArgument, "too many event entries")

// debug.log(msg_off, msg_len): with debugging off, success without any
// check; on: slice → UTF-8 → kernel.
func debugLog(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	var err error
	if inv.k.DebugEnabled() {
		var msg []byte
		if msg, err = inv.slice(uint32(stack[0]), uint32(stack[1])); err == nil {
			if !utf8.Valid(msg) {
				err = errNotUTF8
			} else {
				inv.k.Log(string(msg))
			}
		}
	}
	stack[0] = inv.finish(err)
}

// debug.enabled(ret) → i32 0 (on) / −1 (off).
func debugEnabled(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v := int32(-1)
	if inv.k.DebugEnabled() {
		v = 0
	}
	inv.mem.WriteUint32Le(ret, uint32(v))
	stack[0] = inv.finish(nil)
}

// debug.store_artifact(name_off, name_len, data_off, data_len): off → success;
// on: data slice → name slice → UTF-8 → kernel (name rules).
func debugStoreArtifact(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	var err error
	if inv.k.DebugEnabled() {
		var data, name []byte
		if data, err = inv.slice(uint32(stack[2]), uint32(stack[3])); err == nil {
			if name, err = inv.slice(uint32(stack[0]), uint32(stack[1])); err == nil {
				if !utf8.Valid(name) {
					err = errNotUTF8
				} else {
					err = inv.k.StoreArtifact(string(name), data)
				}
			}
		}
	}
	stack[0] = inv.finish(err)
}
