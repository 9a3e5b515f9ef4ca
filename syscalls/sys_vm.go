package syscalls

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/tetratelabs/wazero/api"
)

// vm and network families (fvm-abi.md §3.2 "vm", "network").
// Ours: the ret_ptr check, message slicing, struct layout, the u128 check.
// Kernel's: every value and every charge (OnMessageContext, OnTipsetCid, …).

// sysIllegalExitCode (9) replaces a system exit code an actor tries to use.
const sysIllegalExitCode = exitcode.ExitCode(9)

// maxExitMessage is the nv18 limit on the diagnostic text (vm.rs MAX_MESSAGE_LEN).
const maxExitMessage = 1024

// vm.abort(code, msg_off, msg_len) — v2. Divergent: traps with the abort.
// A system code (< 16, 0 included) becomes 9: v2 tests nv ≥ 16, true at
// every version that runs the FVM (fvm-abi-next.md §0.2 item 4).
func vmAbort(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	code, off, n := uint32(stack[0]), uint32(stack[1]), uint32(stack[2])
	if code < 16 {
		inv.exit(sysIllegalExitCode, 0, fmt.Sprintf("actor aborted with code %d", code))
	}
	msg := "actor aborted"
	if n != 0 {
		// A bad message only changes the text, never the code (vm.rs @fvm@v2.12.1).
		b, err := inv.slice(off, n)
		switch {
		case err != nil:
			msg = "actor aborted with an invalid message: buffer out of bounds"
		case !utf8.Valid(b):
			msg = "actor aborted with an invalid message: error message was not utf8"
		default:
			msg = string(b)
		}
	}
	inv.exit(exitcode.ExitCode(code), 0, msg)
}

// vm.exit(code, blk, msg_off, msg_len) — nv18. Divergent. Codes 1..15 become
// 9 keeping blk; 0 is a successful exit carrying blk.
func vmExit(ctx context.Context, _ api.Module, stack []uint64) {
	inv := enter(ctx, 0, 0)
	code, blk, off, n := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	if code != 0 && code < 16 {
		inv.exit(sysIllegalExitCode, blk, fmt.Sprintf("actor aborted with code %d", code))
	}
	msg := "actor aborted"
	if n != 0 {
		b, err := inv.slice(off, n)
		switch {
		case err != nil:
			msg = "failed to extract error message: " + err.Error()
		case len(b) > maxExitMessage:
			msg = fmt.Sprintf("%s ... (skipped %d bytes) ... %s", lossy(b[:maxExitMessage/2]),
				len(b)-maxExitMessage, lossy(b[len(b)-maxExitMessage/2:]))
		default:
			msg = lossy(b)
		}
	}
	inv.exit(exitcode.ExitCode(code), blk, msg)
}

func lossy(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }

// vm.context(ret) — nv17, InvocationContext (52 bytes).
func vmContext(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 52)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	c, err := inv.k.InvocationContext()
	if err == nil {
		b, _ := inv.mem.Read(ret, 52)
		if err = putTokenAmount(b[0:], c.ValueReceived); err != nil {
			inv.fatal(err)
		}
		le.PutUint64(b[16:], uint64(c.Caller))
		le.PutUint64(b[24:], uint64(c.Receiver))
		le.PutUint64(b[32:], uint64(c.MethodNumber))
		le.PutUint64(b[40:], uint64(c.NetworkCurrEpoch))
		le.PutUint32(b[48:], uint32(c.NetworkVersion))
	}
	stack[0] = inv.finish(err)
}

// vm.message_context(ret) — nv18, MessageContext (80 bytes).
func vmMessageContext(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 80)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	c, err := inv.k.MessageContext()
	if err == nil {
		var buf [80]byte // the whole value, so a u128 overflow writes nothing
		b := buf[:]
		le.PutUint64(b[0:], uint64(c.Origin))
		le.PutUint64(b[8:], c.Nonce)
		le.PutUint64(b[16:], uint64(c.Caller))
		le.PutUint64(b[24:], uint64(c.Receiver))
		le.PutUint64(b[32:], uint64(c.MethodNumber))
		if err = putTokenAmount(b[40:], c.ValueReceived); err != nil {
			inv.fatal(err)
		}
		if err = putTokenAmount(b[56:], c.GasPremium); err != nil {
			inv.fatal(err)
		}
		le.PutUint64(b[72:], uint64(c.Flags))
		inv.mem.Write(ret, b)
	}
	stack[0] = inv.finish(err)
}

// writeToken finishes the shape of base_fee, total_fil_circ_supply,
// current_balance and balance_of: a TokenAmount written at ret_ptr.
func writeToken(inv *Invocation, ret uint32, v abi.TokenAmount, err error) uint64 {
	if err == nil {
		b, _ := inv.mem.Read(ret, 16)
		if e := putTokenAmount(b, v); e != nil {
			inv.fatal(e)
		}
	}
	return inv.finish(err)
}

// network.base_fee(ret) — nv17.
func networkBaseFee(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 16)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v, err := inv.k.BaseFee()
	stack[0] = writeToken(inv, ret, v, err)
}

// network.total_fil_circ_supply(ret) — both.
func networkTotalFilCircSupply(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 16)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	v, err := inv.k.TotalFilCircSupply()
	stack[0] = writeToken(inv, ret, v, err)
}

// network.context(ret) — nv18, NetworkContext (44 bytes).
func networkContext(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 44)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	c, err := inv.k.NetworkContext()
	if err == nil {
		var buf [44]byte
		b := buf[:]
		le.PutUint64(b[0:], uint64(c.Epoch))
		le.PutUint64(b[8:], c.Timestamp)
		if err = putTokenAmount(b[16:], c.BaseFee); err != nil {
			inv.fatal(err)
		}
		le.PutUint64(b[32:], c.ChainID)
		le.PutUint32(b[40:], uint32(c.NetworkVersion))
		inv.mem.Write(ret, b)
	}
	stack[0] = inv.finish(err)
}

// network.tipset_cid(ret, epoch, obuf_off, obuf_len) — nv18. Ours: output
// bounds (before the kernel), the CID write. Kernel's: epoch checks, charge,
// extern lookup.
func networkTipsetCid(ctx context.Context, _ api.Module, stack []uint64) {
	ret := uint32(stack[0])
	inv := enter(ctx, ret, 4)
	if inv == nil {
		stack[0] = badRetPtr
		return
	}
	epoch, off, n := int64(stack[1]), uint32(stack[2]), uint32(stack[3])
	err := inv.checkBounds(off, n)
	if err == nil {
		var c cidT
		if c, err = inv.k.TipsetCid(abi.ChainEpoch(epoch)); err == nil {
			err = inv.writeCIDRet(c, off, n, ret)
		}
	}
	stack[0] = inv.finish(err)
}

var le = binary.LittleEndian

// badRetPtr is the result of a syscall whose ret_ptr does not fit its value.
const badRetPtr = 1 // errno.IllegalArgument
