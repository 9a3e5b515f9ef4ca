package kernel

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/tracing"
)

// Executor applies messages to a Machine (fvm-abi.md §7). After an error the
// machine's state is unchanged by the failed message and it stays usable.
type Executor struct {
	m *Machine
	// usedMilli is the last message's tracker total before rounding, for
	// the MessageEnd trace event only.
	usedMilli gas.Gas
}

// NewExecutor returns an executor over m.
func NewExecutor(m *Machine) *Executor { return &Executor{m: m} }

// Machine is the machine this executor applies messages to.
func (e *Executor) Machine() *Machine { return e.m }

// ImplicitGasLimit is the gas limit clients give implicit messages
// (math.MaxInt64/2, fvm-abi.md §7.5).
const ImplicitGasLimit = math.MaxInt64 / 2

// ErrInvalidMessage is wrapped by the client errors of msg.check (§7.1 step 1).
var ErrInvalidMessage = errors.New("invalid message")

// ApplyMessage applies an explicit (on-chain) message. chainLength is the
// length the inclusion charge is computed from (Lotus's ChainLength()).
func (e *Executor) ApplyMessage(ctx context.Context, msg *Message, chainLength int) (*ApplyRet, error) {
	if chainLength < 0 {
		return nil, fmt.Errorf("%w: negative chain length %d", ErrInvalidMessage, chainLength)
	}
	return e.execute(ctx, msg, false, chainLength)
}

// ApplyImplicitMessage applies a system message (cron tick, reward): no
// inclusion charge, no nonce or balance checks, no fee accounting (§7.5).
func (e *Executor) ApplyImplicitMessage(ctx context.Context, msg *Message) (*ApplyRet, error) {
	return e.execute(ctx, msg, true, 0)
}

func (e *Executor) check(msg *Message) error {
	if msg == nil {
		return fmt.Errorf("%w: nil message", ErrInvalidMessage)
	}
	if msg.GasLimit == 0 {
		return fmt.Errorf("%w: message has no gas limit set", ErrInvalidMessage)
	}
	if msg.GasLimit < 0 {
		return fmt.Errorf("%w: message has negative gas limit", ErrInvalidMessage)
	}
	if !e.m.rules.DelegatedAddresses && (msg.To.Protocol() == address.Delegated || msg.From.Protocol() == address.Delegated) {
		return fmt.Errorf("%w: delegated addresses do not exist before nv18", ErrInvalidMessage)
	}
	for _, v := range []abi.TokenAmount{msg.Value, msg.GasFeeCap, msg.GasPremium} {
		if v.Int == nil {
			return fmt.Errorf("%w: missing token amount", ErrInvalidMessage)
		}
	}
	if e.m.st.InTransaction() {
		return errors.New("executor: state tree has an open transaction")
	}
	return nil
}

func (e *Executor) preflightFail(code exitcode.ExitCode, penalty abi.TokenAmount, why string) *ApplyRet {
	out := ZeroGasOutputs()
	out.MinerPenalty = penalty
	return &ApplyRet{Receipt: Receipt{ExitCode: code, Return: []byte{}, WithEvents: e.m.rules.ReceiptEventsRoot},
		GasOutputs: out, FailureInfo: why}
}

// preflight follows fvm-abi.md §7.1 in its exact order. A non-nil ApplyRet
// short-circuits the message.
func (e *Executor) preflight(msg *Message, implicit bool, rawLength int) (abi.ActorID, abi.TokenAmount,
	gas.Charge, *ApplyRet, error) {
	m := e.m
	zero := big.Zero()
	inclusion := gas.Charge{Name: "none"}
	penalty := zero
	if !implicit {
		inclusion = m.prices.OnChainMessage(rawLength)
		total := inclusion.Total().RoundUp()
		if total > msg.GasLimit {
			return 0, zero, inclusion, e.preflightFail(exitcode.SysErrOutOfGas,
				big.Mul(m.cfg.baseFee, big.NewInt(total)),
				fmt.Sprintf("out of gas (%d > %d)", total, msg.GasLimit)), nil
		}
		penalty = big.Mul(m.cfg.baseFee, big.NewInt(msg.GasLimit))
	}
	senderID, found, err := m.st.LookupID(msg.From)
	if err != nil {
		return 0, zero, inclusion, nil, fmt.Errorf("looking up sender %s: %w", msg.From, err)
	}
	if !found {
		return 0, zero, inclusion, e.preflightFail(exitcode.SysErrSenderInvalid, penalty, "sender invalid"), nil
	}
	if implicit {
		return senderID, zero, inclusion, nil, nil
	}
	sender, err := m.st.GetActor(senderID)
	if err != nil {
		return 0, zero, inclusion, nil, fmt.Errorf("loading sender %s: %w", msg.From, err)
	}
	if sender == nil {
		return 0, zero, inclusion, e.preflightFail(exitcode.SysErrSenderInvalid, penalty, "sender invalid"), nil
	}
	valid := sender.Code == m.accountCode
	if m.rules.DelegatedAddresses {
		valid = valid || sender.Code == m.ethAccountCode
		if sender.Code == m.placeholderCode && sender.Nonce == 0 && sender.DelegatedAddress != nil &&
			sender.DelegatedAddress.Protocol() == address.Delegated {
			if ns, err := delegatedNamespace(*sender.DelegatedAddress); err == nil && ns == eamActorID {
				valid = true
				sender.Code = m.ethAccountCode // persisted with the preflight update
			}
		}
	}
	if !valid {
		return 0, zero, inclusion, e.preflightFail(exitcode.SysErrSenderInvalid, penalty,
			"send not from a valid sender"), nil
	}
	if msg.Nonce != sender.Nonce {
		return 0, zero, inclusion, e.preflightFail(exitcode.SysErrSenderStateInvalid, penalty,
			fmt.Sprintf("actor sequence invalid: %d != %d", msg.Nonce, sender.Nonce)), nil
	}
	gasCost := big.Mul(msg.GasFeeCap, big.NewInt(msg.GasLimit))
	if sender.Balance.LessThan(gasCost) {
		return 0, zero, inclusion, e.preflightFail(exitcode.SysErrSenderStateInvalid, penalty,
			fmt.Sprintf("actor balance less than needed: %s < %s", sender.Balance, gasCost)), nil
	}
	sender.Balance = big.Sub(sender.Balance, gasCost)
	sender.Nonce++
	if err := m.st.SetActor(senderID, sender); err != nil { // outside the message's transactions: never reverted
		return 0, zero, inclusion, nil, err
	}
	return senderID, gasCost, inclusion, nil, nil
}

func (e *Executor) execute(ctx context.Context, msg *Message, implicit bool, rawLength int) (ret *ApplyRet, err error) {
	if err := e.check(msg); err != nil {
		return nil, err
	}
	// An outer layer makes a client error leave no trace of the message: the
	// state is never half-applied and the machine stays usable.
	e.m.st.BeginTransaction()
	defer func() {
		if r := recover(); r != nil {
			ret, err = nil, fmt.Errorf("executor: internal error: %v", r)
		}
		for e.m.st.InTransaction() {
			if e2 := e.m.st.EndTransaction(err != nil); e2 != nil && err == nil {
				ret, err = nil, e2
			}
		}
	}()
	return e.apply(ctx, msg, implicit, rawLength)
}

func (e *Executor) apply(ctx context.Context, msg *Message, implicit bool, rawLength int) (*ApplyRet, error) {
	m := e.m
	if h := m.cfg.hooks; h != nil && h.OnMessageStart != nil {
		kind := tracing.Explicit
		if implicit {
			kind = tracing.Implicit
		}
		h.OnMessageStart(tracing.MessageStart{Kind: kind, From: msg.From, To: msg.To, Nonce: msg.Nonce,
			Value: msg.Value, Method: msg.Method, Params: msg.Params, GasLimit: msg.GasLimit,
			GasFeeCap: msg.GasFeeCap, GasPremium: msg.GasPremium})
	}
	e.usedMilli = 0
	ret, err := e.applyInner(ctx, msg, implicit, rawLength)
	if h := m.cfg.hooks; h != nil && h.OnMessageEnd != nil && ret != nil {
		r := ret.Receipt
		h.OnMessageEnd(tracing.MessageEnd{ExitCode: uint32(r.ExitCode), Return: r.Return, GasUsed: r.GasUsed,
			GasUsedMilli: int64(e.usedMilli), EventsRoot: r.EventsRoot})
	}
	return ret, err
}

func (e *Executor) applyInner(ctx context.Context, msg *Message, implicit bool, rawLength int) (*ApplyRet, error) {
	m := e.m
	senderID, gasCost, inclusion, short, err := e.preflight(msg, implicit, rawLength)
	if err != nil || short != nil {
		return short, err
	}

	// Execution (fvm-abi.md §7.2).
	premium := big.Zero()
	if m.rules.EffectivePremium {
		// effective premium = max(0, min(premium, fee_cap − base_fee))
		premium = big.Max(big.Min(msg.GasPremium, big.Sub(msg.GasFeeCap, m.cfg.baseFee)), big.Zero())
	}
	cm := newCallManager(m, gas.NewGas(msg.GasLimit), msg.From, senderID, msg.Nonce, premium)
	if h := m.cfg.hooks; h != nil && h.OnGasCharge != nil {
		cm.gas.OnCharge = func(c gas.Charge) {
			h.OnGasCharge(tracing.GasCharge{Name: c.Name, ComputeMilli: int64(c.Compute), OtherMilli: int64(c.Other)})
		}
	}
	if cm.access != nil {
		// The sender and a receiver that exists start out read and
		// resolved (fvm-abi.md §6.10).
		var receiverID *abi.ActorID
		if id, found, err := m.st.LookupID(msg.To); err != nil {
			return nil, fmt.Errorf("looking up receiver %s: %w", msg.To, err)
		} else if found {
			receiverID = &id
		}
		cm.access.SeedMessage(senderID, msg.From, receiverID, msg.To)
	}

	var res callResult
	if err = cm.charge(inclusion); err == nil {
		var params *block
		if len(msg.Params) > 0 {
			codec := codecs.DagCBOR
			if m.rules.CBORParams {
				codec = codecs.CBOR
				if msg.Method == 0 {
					codec = codecs.Raw
				}
			}
			params = &block{Codec: codec, Data: msg.Params}
		}
		res, err = cm.withTransaction(func() (callResult, error) {
			r, err := cm.send(ctx, senderID, msg.To, msg.Method, params, msg.Value, nil, false)
			if err != nil {
				return r, err
			}
			// v2 charges only on success (0 bytes when there is no value);
			// v3 whenever a value exists (gas.Rules.ReturnValueOnFailure,
			// fvm-abi.md §7.2 step 4).
			onFailure := m.prices.Rules.ReturnValueOnFailure
			switch {
			case !onFailure && r.exit == exitcode.Ok:
				n := 0
				if r.ret != nil {
					n = len(r.ret.Data)
				}
				err = cm.charge(m.prices.OnChainReturnValue(n))
			case onFailure && r.ret != nil:
				err = cm.charge(m.prices.OnChainReturnValue(len(r.ret.Data)))
			}
			return r, err
		})
	}
	if cm.depth != 0 {
		return nil, errors.New("executor: call stack not unwound") // a bug; never consensus
	}

	used := cm.gas.Used()
	e.usedMilli = used
	if used < 0 { // v2 clamps negative totals
		used = 0
	}
	receipt := Receipt{Return: []byte{}, GasUsed: used.RoundUp(), WithEvents: m.rules.ReceiptEventsRoot}
	var failure string
	switch {
	case err == nil:
		receipt.ExitCode = res.exit
		if res.ret != nil && (m.rules.ExitWithData || res.exit == exitcode.Ok) {
			receipt.Return = res.ret.Data
		}
	case errors.Is(err, gas.ErrOutOfGas):
		receipt.ExitCode = exitcode.SysErrOutOfGas
		failure = err.Error()
	default:
		if n, ok := errno.Of(err); ok && !errors.Is(err, errFatal) {
			switch n {
			case errno.InsufficientFunds:
				receipt.ExitCode = exitcode.SysErrInsufficientFunds
			case errno.NotFound:
				receipt.ExitCode = exitcode.SysErrInvalidReceiver
			default:
				receipt.ExitCode = exitAssertionFailed
			}
		} else {
			receipt.ExitCode = exitAssertionFailed
			receipt.GasUsed = msg.GasLimit // fatal: all gas
		}
		failure = err.Error()
	}
	if receipt.ExitCode != exitcode.Ok && len(cm.backtrace) > 0 {
		failure = strings.TrimPrefix(failure+"; "+strings.Join(cm.backtrace, " <- "), "; ")
	}
	ret := &ApplyRet{Receipt: receipt, GasOutputs: ZeroGasOutputs(), FailureInfo: failure,
		ReachabilityViolations: cm.violations}
	if m.rules.ReceiptEventsRoot {
		root, err := cm.events.root(ctx)
		if err != nil {
			return nil, fmt.Errorf("events root: %w", err)
		}
		if root.Defined() {
			ret.Receipt.EventsRoot = &root
		}
		ret.Events = cm.events.events
	}
	if implicit {
		return ret, nil
	}
	return e.finish(ret, msg, senderID, gasCost)
}

// finish computes the gas outputs and moves the funds (fvm-abi.md §7.4).
func (e *Executor) finish(ret *ApplyRet, msg *Message, senderID abi.ActorID, gasCost abi.TokenAmount) (*ApplyRet, error) {
	m := e.m
	out, err := gas.ComputeGasOutputs(ret.Receipt.GasUsed, msg.GasLimit, m.cfg.baseFee, msg.GasFeeCap, msg.GasPremium)
	if err != nil {
		return nil, err
	}
	for _, t := range []struct {
		to  abi.ActorID
		amt abi.TokenAmount
	}{
		{burntFundsActorID, out.BaseFeeBurn},
		{rewardActorID, out.MinerTip},
		{burntFundsActorID, out.OverEstimationBurn},
		{senderID, out.Refund},
	} {
		if t.amt.Sign() < 0 {
			return nil, errors.New("attempted to transfer negative value into actor")
		}
		if t.amt.IsZero() {
			continue
		}
		a, err := m.st.GetActor(t.to)
		if err != nil {
			return nil, err
		}
		if a == nil {
			return nil, fmt.Errorf("failed to lookup actor %d for transfer", t.to)
		}
		a.Balance = big.Add(a.Balance, t.amt)
		if err := m.st.SetActor(t.to, a); err != nil {
			return nil, err
		}
	}
	if !big.Sum(out.BaseFeeBurn, out.OverEstimationBurn, out.Refund, out.MinerTip).Equals(gasCost) {
		return nil, errors.New("gas handling math is wrong")
	}
	ret.GasOutputs = out
	return ret, nil
}

var _ = cid.Undef
