package kernel

import (
	"context"
	"errors"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/tracing"
)

// callResult is an InvocationResult: an exit code and an optional return
// block (with Rules.ExitWithData also on failure).
type callResult struct {
	exit exitcode.ExitCode
	ret  *block
}

// callManager runs the call stack of one message (fvm-abi.md §6): sends,
// transactions, depth, actor creation, transfers, state-access charging and
// events, as the machine's rules say.
type callManager struct {
	m     *Machine
	rules *rules.Rules
	st    *stateTree
	gas   *gas.Tracker
	p     *gas.PriceList

	origin   address.Address // msg.from as written
	originID abi.ActorID
	nonce    uint64
	premium  abi.TokenAmount // the effective premium (Rules.EffectivePremium), else 0

	depth         int
	maxFrames     int    // Rules.MaxCallDepthFrames
	actorsCreated uint64 // the f2 counter: new_actor_address calls or actors created (never reverted)
	invocations   uint64
	access        *gas.AccessTracker // with Prices.Rules.StateAccessCharging (fvm-abi.md §6.10)
	events        *eventAccumulator
	memory        *CallStackMemory // the call stack's memory account (v3: 2 GiB)
	// backtrace lists the frames that failed, innermost first (diagnostics
	// only, fvm-abi.md §5.3).
	backtrace []string
	// violations are what an audit-mode reachability set recorded.
	violations []ReachabilityViolation
	// linkScratch is the link list each FIP-0071 scan appends to before
	// the block gets an exact copy (one scan at a time per message).
	linkScratch []cid.Cid
}

func newCallManager(m *Machine, limit gas.Gas, origin address.Address, originID abi.ActorID,
	nonce uint64, premium abi.TokenAmount) *callManager {
	// The tracker's arithmetic is the price list's: signed in v2, unsigned
	// from v3, where a saturated charge (a FIP-0075 lookback for a future
	// epoch) never fits (fvm-gas-next.md §1.1, §4.2).
	cm := &callManager{m: m, rules: m.rules, st: m.st, gas: gas.NewTrackerFor(m.prices, limit), p: m.prices,
		maxFrames: m.rules.MaxCallDepthFrames,
		origin:    origin, originID: originID, nonce: nonce, premium: premium,
		events: &eventAccumulator{}, memory: &CallStackMemory{}}
	if cm.p.Rules.StateAccessCharging {
		cm.access = gas.NewAccessTracker(cm.p.PreloadedActors)
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

// send is CallManager::send (fvm-abi.md §6.1). gasLimit is the sub-call
// limit (Rules.SendGasLimits; nil = none).
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
		if cm.rules.TraceOutOfGasAsReturn {
			if h.OnCallReturn != nil {
				h.OnCallReturn(tracing.CallReturn{ExitCode: uint32(exitcode.SysErrOutOfGas)})
			}
		} else if h.OnCallError != nil {
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
	return cm.callFrame(gasLimit, func() (callResult, error) {
		return cm.sendUnchecked(ctx, from, to, method, params, value, readOnly)
	})
}

// callFrame is the part of CallManager::send around one frame (fvm-abi.md
// §6.1, §6.5): push the sub-limit, check the depth, run the frame one level
// deeper, pop the sub-limit, and turn an out-of-gas that left the caller
// with gas into exit 7. v2 checks depth > 1024 and v3 depth ≥ 1024, both
// before entering: 1025 and 1024 frames (Rules.MaxCallDepthFrames).
func (cm *callManager) callFrame(gasLimit *gas.Gas, run func() (callResult, error)) (callResult, error) {
	if gasLimit != nil {
		cm.gas.PushLimit(*gasLimit)
	}
	if cm.depth >= cm.maxFrames {
		err := errno.New(errno.LimitExceeded, "message execution exceeds call depth")
		if gasLimit != nil && cm.rules.DepthLimitLeak {
			// 3.6.0–4.0.0 return here before the pop: the caller keeps
			// running under the sub-limit, every enclosing pop restores one
			// level too early, and what is left on the stack at the end is
			// missing from the receipt (fvm-abi-next.md §7.3, fvm-gas-next.md
			// §1.2).
			return callResult{}, err
		}
		if gasLimit != nil {
			cm.gas.PopLimit()
		}
		return callResult{}, err
	}
	cm.depth++
	res, err := run()
	cm.depth--
	if gasLimit != nil {
		cm.gas.PopLimit()
	}
	// §6.5: an out-of-gas that left the caller with gas becomes exit 7.
	if cm.rules.SendGasLimits && errors.Is(err, gas.ErrOutOfGas) && cm.gas.Available() > 0 {
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
			if readOnly {
				return callResult{}, errno.New(errno.ReadOnly, "cannot auto-create account %s in read-only calls", to)
			}
			if toID, err = cm.createAccountFromSend(ctx, to); err != nil {
				return callResult{}, err
			}
		case address.Delegated:
			ns, nsErr := delegatedNamespace(to)
			if !cm.rules.DelegatedAddresses || nsErr != nil || ns != eamActorID {
				return callResult{}, errno.New(errno.NotFound, "actor does not exist: %s", to)
			}
			if readOnly {
				return callResult{}, errno.New(errno.ReadOnly, "cannot auto-create account %s in read-only calls", to)
			}
			a := cm.m.newEmptyActor(cm.m.placeholderCode)
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
	if !cm.p.Rules.SplitSendCharges {
		// v2: one OnMethodInvocation for every send, before the transfer.
		if err := cm.chargeInvocation(value, method, params); err != nil {
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
		// v3: OnValueTransfer with the transfer, OnMethodInvocation only when
		// code runs (fvm-abi.md §6.1, §6.3).
		if !value.IsZero() {
			c, ok := cm.p.OnValueTransfer(value)
			if !ok {
				return callResult{}, fatalf("no OnValueTransfer price for %s", value)
			}
			if err := cm.charge(c); err != nil {
				return callResult{}, err
			}
			if err := cm.transfer(from, to, value); err != nil {
				return callResult{}, err
			}
		}
		if method == 0 {
			return callResult{}, nil
		}
		if err := cm.chargeInvocation(value, method, params); err != nil {
			return callResult{}, err
		}
	}
	reg := newBlockRegistry(cm.rules.RegistryCodecs)
	var paramsID uint32
	if params != nil {
		if paramsID, err = reg.put(*params); err != nil {
			return callResult{}, err
		}
	}
	cm.invocations++
	res, err := cm.invoke(ctx, &invocationKernel{cm: cm, reg: reg, caller: from, receiver: to, method: method,
		value: value, readOnly: readOnly, code: state.Code}, state.Head, paramsID)
	if err == nil && res.ret != nil && cm.depth > 1 {
		// The return block's charge below the top level, in the callee's
		// frame (inside its gas limit and its transaction): from WATERMELON
		// 300 per link, none before (fvm-abi-next.md §7.4). Out of gas here
		// fails the call. The top level's OnChainReturnValue is the
		// executor's.
		if c, ok := cm.p.OnMethodReturn(cm.depth, len(res.ret.Data), len(res.ret.Links)); ok {
			if err := cm.charge(c); err != nil {
				return callResult{}, err
			}
		}
	}
	return res, err
}

// chargeInvocation charges OnMethodInvocation; the price list has a charge
// for every send the call manager asks about. From WATERMELON it adds 300
// per link the params block carries (fvm-abi-next.md §7.4); before, blocks
// carry no links.
func (cm *callManager) chargeInvocation(value abi.TokenAmount, method abi.MethodNum, params *block) error {
	links := 0
	if params != nil {
		links = len(params.Links)
	}
	c, ok := cm.p.OnMethodInvocationLinks(value, method, links)
	if !ok {
		return fatalf("no OnMethodInvocation price for method %d", method)
	}
	return cm.charge(c)
}
