package kernel

import (
	"context"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/syscalls"
)

// Send is send.send (fvm-abi.md §3.2 send): the call runs in its own
// transaction; an actor's exit code is a result, not an error. The return
// block (on success; with Rules.ExitWithData also with a failure) is copied
// into this invocation's registry.
func (k *invocationKernel) Send(ctx context.Context, to address.Address, method abi.MethodNum, paramsID uint32,
	value abi.TokenAmount, gasLimit *uint64, flags syscalls.SendFlags) (syscalls.SendResult, error) {
	cm := k.cm
	if !cm.rules.DelegatedAddresses && to.Protocol() == address.Delegated {
		return syscalls.SendResult{}, errno.New(errno.IllegalArgument, "delegated addresses do not exist before nv18")
	}
	readOnly := false
	if cm.rules.ReadOnlySends {
		if flags&^syscalls.ReadOnly != 0 {
			return syscalls.SendResult{}, errno.New(errno.IllegalArgument, "invalid send flags %#x", uint64(flags))
		}
		readOnly = k.readOnly || flags&syscalls.ReadOnly != 0
		if readOnly && !value.IsZero() {
			return syscalls.SendResult{}, errno.New(errno.ReadOnly, "cannot transfer value when read-only")
		}
	}
	var limit *gas.Gas
	if cm.rules.SendGasLimits && gasLimit != nil {
		l := gas.NewGas(int64(min(*gasLimit, uint64(1<<63-1))))
		limit = &l
	}
	var params *block
	if paramsID != 0 {
		b, err := k.reg.get(paramsID)
		if err != nil {
			return syscalls.SendResult{}, err
		}
		params = b
	}
	if k.reg.full() {
		return syscalls.SendResult{}, errno.New(errno.LimitExceeded, "cannot store return block")
	}
	res, err := cm.withTransaction(func() (callResult, error) {
		return cm.send(ctx, k.receiver, to, method, params, value, limit, readOnly)
	})
	if err != nil {
		return syscalls.SendResult{}, err
	}
	out := syscalls.SendResult{ExitCode: uint32(res.exit)}
	if res.ret != nil && (cm.rules.ExitWithData || res.exit == 0) {
		id, err := k.reg.put(*res.ret)
		if err != nil {
			return syscalls.SendResult{}, fatalf("failed to store a valid return value: %v", err)
		}
		// put_reachable: the block's links become reachable here (nv21+);
		// the nv ≤ 20 strict option scans the block instead.
		if cm.rules.Reachability {
			k.reach.MarkLinks(res.ret.Links)
		} else if err := k.reach.Received(res.ret.Codec, res.ret.Data); err != nil {
			return syscalls.SendResult{}, err
		}
		out.ReturnID, out.ReturnCodec, out.ReturnSize = id, res.ret.Codec, uint32(len(res.ret.Data))
	}
	return out, nil
}
