package kernel

import (
	"context"
	"errors"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/tracing"
)

// maxCallDepth is the network's max_call_depth (fvm-abi.md §8.1). v2 checks
// depth > 1024 before incrementing (1025 frames), v3 depth ≥ 1024 (1024).
const maxCallDepth = 1024

// callResult is an InvocationResult: an exit code and an optional return
// block (v2 carries a block only on success, v3 also on failure).
type callResult struct {
	exit exitcode.ExitCode
	ret  *block
}

// callManager runs the call stack of one message (fvm-abi.md §6): sends,
// transactions, depth, actor creation, transfers, and in v3 state-access
// charging and events.
type callManager struct {
	m   *Machine
	st  *stateTree
	gas *gas.Tracker
	p   *prices
	v3  bool

	origin   address.Address // msg.from as written
	originID abi.ActorID
	nonce    uint64
	premium  abi.TokenAmount // v3 effective premium

	depth         int
	actorsCreated uint64 // v2 new_actor_address counter / v3 num_actors_created (never reverted)
	invocations   uint64
	access        *gas.AccessTracker // v3 only (fvm-abi.md §6.10)
	events        *eventAccumulator
	memory        *CallStackMemory // v3 2 GiB per call stack
	// backtrace lists the frames that failed, innermost first (diagnostics
	// only, fvm-abi.md §5.3).
	backtrace []string
	// violations are what an audit-mode reachability set recorded.
	violations []ReachabilityViolation
}

func newCallManager(m *Machine, limit gas.Gas, origin address.Address, originID abi.ActorID,
	nonce uint64, premium abi.TokenAmount) *callManager {
	cm := &callManager{m: m, st: m.st, gas: gas.NewTracker(limit), p: m.prices, v3: m.v3,
		origin: origin, originID: originID, nonce: nonce, premium: premium,
		events: &eventAccumulator{}, memory: &CallStackMemory{}}
	if cm.v3 {
		cm.access = gas.NewAccessTracker(m.gasPrices.PreloadedActors)
	}
	return cm
}

func (cm *callManager) charge(c gas.Charge) error { return cm.gas.Apply(c) }

// withTransaction runs f in a state transaction that reverts on error or a
// non-zero exit code (fvm-abi.md §6.6).
func (cm *callManager) withTransaction(f func() (callResult, error)) (callResult, error) {
	cm.st.BeginTransaction()
	cm.events.begin()
	if cm.access != nil {
		cm.access.Begin()
	}
	res, err := f()
	revert := err != nil || res.exit != exitcode.Ok
	if e := cm.st.EndTransaction(revert); e != nil && err == nil {
		err = e
	}
	cm.events.end(revert)
	if cm.access != nil {
		if e := cm.access.End(revert); e != nil && err == nil {
			err = e
		}
	}
	return res, err
}

// send is CallManager::send (fvm-abi.md §6.1). gasLimit is the v3 sub-call
// limit (nil = none).
func (cm *callManager) send(ctx context.Context, from abi.ActorID, to address.Address, method abi.MethodNum,
	params *block, value abi.TokenAmount, gasLimit *gas.Gas, readOnly bool) (callResult, error) {
	h := cm.m.cfg.hooks
	if h == nil {
		return cm.sendTraced(ctx, from, to, method, params, value, gasLimit, readOnly)
	}
	if h.OnCall != nil {
		// GasLimit as ref-fvm 3.7+ traces it: min(requested limit, gas
		// available), rounded up (not in v3.1.0's event, fvm-abi.md §9).
		limit := cm.gas.Available()
		if gasLimit != nil && *gasLimit < limit {
			limit = *gasLimit
		}
		if limit < 0 {
			limit = 0
		}
		c := tracing.Call{From: from, To: to, Method: method, Value: value, GasLimit: uint64(limit.RoundUp()), ReadOnly: readOnly}
		if params != nil {
			c.Params, c.ParamsCodec = params.Data, params.Codec
		}
		h.OnCall(c)
	}
	res, err := cm.sendTraced(ctx, from, to, method, params, value, gasLimit, readOnly)
	switch n, isErrno := errno.Of(err); {
	case err == nil:
		if h.OnCallReturn != nil {
			r := tracing.CallReturn{ExitCode: uint32(res.exit)}
			if res.ret != nil {
				r.Return, r.ReturnCodec = res.ret.Data, res.ret.Codec
			}
			h.OnCallReturn(r)
		}
	case isErrno:
		if h.OnCallError != nil {
			h.OnCallError(tracing.CallError{Number: uint32(n), Message: err.Error()})
		}
	case errors.Is(err, gas.ErrOutOfGas):
		// fvm-abi.md §9: v3 folds out-of-gas into CallReturn(7); v2 reports
		// it as CallError(Forbidden, "out of gas").
		if cm.v3 && h.OnCallReturn != nil {
			h.OnCallReturn(tracing.CallReturn{ExitCode: uint32(exitcode.SysErrOutOfGas)})
		} else if !cm.v3 && h.OnCallError != nil {
			h.OnCallError(tracing.CallError{Number: uint32(errno.Forbidden), Message: "out of gas"})
		}
	default:
		// Both lines report a fatal error as (Forbidden, "fatal") (§9).
		if h.OnCallError != nil {
			h.OnCallError(tracing.CallError{Number: uint32(errno.Forbidden), Message: "fatal", Fatal: true})
		}
	}
	return res, err
}

func (cm *callManager) sendTraced(ctx context.Context, from abi.ActorID, to address.Address, method abi.MethodNum,
	params *block, value abi.TokenAmount, gasLimit *gas.Gas, readOnly bool) (callResult, error) {
	if !cm.v3 {
		if cm.depth > maxCallDepth {
			return callResult{}, errno.New(errno.LimitExceeded, "message execution exceeds call depth")
		}
		cm.depth++
		res, err := cm.sendUnchecked(ctx, from, to, method, params, value, false)
		cm.depth--
		return res, err
	}
	if gasLimit != nil {
		cm.gas.PushLimit(*gasLimit)
	}
	var res callResult
	var err error
	if cm.depth >= maxCallDepth {
		err = errno.New(errno.LimitExceeded, "message execution exceeds call depth")
	} else {
		cm.depth++
		res, err = cm.sendUnchecked(ctx, from, to, method, params, value, readOnly)
		cm.depth--
	}
	if gasLimit != nil {
		cm.gas.PopLimit()
	}
	// §6.5: an out-of-gas that left the caller with gas becomes exit 7.
	if errors.Is(err, gas.ErrOutOfGas) && cm.gas.Available() > 0 {
		return callResult{exit: exitcode.SysErrOutOfGas}, nil
	}
	return res, err
}

func (cm *callManager) sendUnchecked(ctx context.Context, from abi.ActorID, to address.Address,
	method abi.MethodNum, params *block, value abi.TokenAmount, readOnly bool) (callResult, error) {
	toID, found, err := cm.resolveAddress(to)
	if err != nil {
		return callResult{}, err
	}
	if !found {
		switch to.Protocol() {
		case address.SECP256K1, address.BLS:
			if cm.v3 && readOnly {
				return callResult{}, errno.New(errno.ReadOnly, "cannot auto-create account %s in read-only calls", to)
			}
			if toID, err = cm.createAccountFromSend(ctx, to); err != nil {
				return callResult{}, err
			}
		case address.Delegated:
			ns, nsErr := delegatedNamespace(to)
			if !cm.v3 || nsErr != nil || ns != eamActorID {
				return callResult{}, errno.New(errno.NotFound, "actor does not exist: %s", to)
			}
			if readOnly {
				return callResult{}, errno.New(errno.ReadOnly, "cannot auto-create account %s in read-only calls", to)
			}
			a := cm.m.newEmptyActor(cm.m.manifest.placeholder)
			d := to
			a.DelegatedAddress = &d
			if toID, err = cm.createActorFromSend(to, a); err != nil {
				return callResult{}, err
			}
		default:
			return callResult{}, errno.New(errno.NotFound, "actor does not exist: %s", to)
		}
	}
	return cm.sendResolved(ctx, from, toID, method, params, value, readOnly)
}

// sendResolved follows fvm-abi.md §6.1 for each version.
func (cm *callManager) sendResolved(ctx context.Context, from, to abi.ActorID, method abi.MethodNum,
	params *block, value abi.TokenAmount, readOnly bool) (callResult, error) {
	state, err := cm.getActor(to)
	if err != nil {
		return callResult{}, err
	}
	if state == nil {
		return callResult{}, errno.New(errno.NotFound, "actor does not exist: %d", to)
	}
	// Where ref-fvm 3.7+ traces InvokeActor (v3.1.0 has no such event,
	// fvm-abi.md §9): once the actor is found, before any transfer, so plain
	// transfers name their receiver too.
	if h := cm.m.cfg.hooks; h != nil && h.OnInvokeActor != nil {
		h.OnInvokeActor(tracing.InvokeActor{ID: to, State: tracing.ActorState{Code: state.Code, Head: state.Head,
			Nonce: state.Nonce, Balance: state.Balance, DelegatedAddress: state.DelegatedAddress}})
	}
	if !cm.v3 {
		if err := cm.charge(cm.p.OnMethodInvocation(value, method)); err != nil {
			return callResult{}, err
		}
		if !value.IsZero() {
			if err := cm.transfer(from, to, value); err != nil {
				return callResult{}, err
			}
		}
		if method == 0 {
			return callResult{}, nil
		}
	} else {
		if !value.IsZero() {
			if err := cm.charge(cm.p.OnValueTransfer()); err != nil {
				return callResult{}, err
			}
			if err := cm.transfer(from, to, value); err != nil {
				return callResult{}, err
			}
		}
		if method == 0 {
			return callResult{}, nil
		}
		if err := cm.charge(cm.p.OnMethodInvocation(value, method)); err != nil {
			return callResult{}, err
		}
	}
	reg := newBlockRegistry(cm.m.nv)
	var paramsID uint32
	if params != nil {
		if paramsID, err = reg.put(*params); err != nil {
			return callResult{}, err
		}
	}
	cm.invocations++
	return cm.invoke(ctx, &invocationKernel{cm: cm, reg: reg, caller: from, receiver: to, method: method,
		value: value, readOnly: readOnly, code: state.Code}, state.Head, paramsID)
}
