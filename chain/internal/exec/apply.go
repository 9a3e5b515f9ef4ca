package exec

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/tracing"
)

// Well-known actors and methods of the implicit messages (chain.md §1.7–1.8).
var (
	systemAddr = mustID(0)
	rewardAddr = mustID(2)
	cronAddr   = mustID(3)
)

const (
	methodAwardBlockReward abi.MethodNum = 2
	methodEpochTick        abi.MethodNum = 2
)

func mustID(id uint64) address.Address {
	a, err := address.NewIDAddress(id)
	if err != nil {
		panic(err)
	}
	return a
}

// Options configure tipset execution.
type Options struct {
	Network *Network
	// GenesisTimestamp is the genesis block's timestamp: null-epoch
	// timestamps and drand rounds are counted from it (chain.md §1.10, §2.3).
	GenesisTimestamp uint64
	Engine           kernel.Engine
	Verifier         kernel.ProofVerifier
	Reachability     kernel.ReachabilityMode
	// Trace records every message's execution events.
	Trace bool
	// Externs, when set, replace the externs drawn from chain data (a
	// replay that trusts a full node's state methods for them).
	Externs kernel.Externs
	// StopAfter, when defined, halts after the explicit message with this
	// chain CID (Lotus's replay, chain.md §1.1): the state root returned is
	// the state right after it, with no reward or cron.
	StopAfter cid.Cid
}

// Input is one tipset to apply.
type Input struct {
	TipSet *types.TipSet
	// ParentEpoch is the parent tipset's height: the epochs between it and
	// the tipset are null rounds.
	ParentEpoch abi.ChainEpoch
	// Messages per block in tipset order, BLS then secp, before selection.
	Messages [][]*types.ChainMessage
	// View is the tipset's chain (randomness and tipset CIDs).
	View *ChainView
}

// Applied is one explicit message's outcome.
type Applied struct {
	Cid     cid.Cid
	Message *kernel.Message
	Block   int
	Ret     *kernel.ApplyRet
	Trace   []tracing.Event
}

// ImplicitKind names the system messages.
type ImplicitKind string

const (
	Cron   ImplicitKind = "cron"
	Reward ImplicitKind = "reward"
)

// Implicit is one cron or reward message's outcome.
type Implicit struct {
	Kind    ImplicitKind
	Epoch   abi.ChainEpoch
	Block   int // reward: the block it pays
	Message *kernel.Message
	Ret     *kernel.ApplyRet
	Trace   []tracing.Event
}

// Result is what applying a tipset produced.
type Result struct {
	StateRoot    cid.Cid
	ReceiptsRoot cid.Cid // undefined when stopped early
	Receipts     []kernel.Receipt
	Messages     []Applied
	Implicit     []Implicit
	// Migrations names the upgrades that ran, in order.
	Migrations []string
	// NetworkVersion, CirculatingSupply and BaseFee are the main machine's.
	NetworkVersion    network.Version
	CirculatingSupply abi.TokenAmount
	BaseFee           abi.TokenAmount
	// Stopped says StopAfter was reached.
	Stopped bool
}

// failer is implemented by stores that record fetch failures.
type failer interface{ Failure() error }

// ErrAborted is wrapped when a chain read failed during execution: the
// machine saw a missing block or a failed extern, so its results cannot be
// trusted (chain.md §2.6).
var ErrAborted = errors.New("tipset execution aborted: chain data could not be read")

// ApplyTipSet runs chain.md §1.10 for one tipset.
func ApplyTipSet(ctx context.Context, bs Blockstore, in Input, o Options) (*Result, error) {
	ts := in.TipSet
	n := o.Network
	if n == nil {
		return nil, errors.New("no network")
	}
	E := ts.Height()
	if E == 0 {
		return &Result{StateRoot: ts.ParentState(), ReceiptsRoot: ts.Blocks()[0].ParentMessageReceipts}, nil
	}
	if in.ParentEpoch >= E {
		return nil, fmt.Errorf("parent epoch %d is not below the tipset's %d", in.ParentEpoch, E)
	}
	if len(in.Messages) != len(ts.Blocks()) {
		return nil, errors.New("one message list per block")
	}
	baseFee := ts.Blocks()[0].ParentBaseFee
	if baseFee.Int == nil {
		baseFee = big.Zero()
	}
	ext := &chainExterns{ctx: ctx, view: in.View, net: n, genesis: o.GenesisTimestamp}
	check := func(what string) error {
		if f, ok := bs.(failer); ok {
			if err := f.Failure(); err != nil {
				return fmt.Errorf("%w (%s): %v", ErrAborted, what, err)
			}
		}
		return ctx.Err()
	}
	res := &Result{BaseFee: baseFee}

	pstate := ts.ParentState()
	for i := in.ParentEpoch; i < E; i++ {
		if i > in.ParentEpoch { // a null round: its own machine and cron
			m, rec, err := newMachine(ctx, bs, pstate, i, o.GenesisTimestamp+n.BlockDelay*uint64(i), baseFee, ext, o)
			if err != nil {
				return nil, fmt.Errorf("null round %d: %w", i, err)
			}
			if err := runCron(ctx, m, rec, i, res); err != nil {
				return nil, err
			}
			if err := check(fmt.Sprintf("cron of null round %d", i)); err != nil {
				return nil, err
			}
			if pstate, err = m.m.Flush(ctx); err != nil {
				return nil, fmt.Errorf("null round %d: flush: %w", i, err)
			}
		}
		if up := n.upgradeAt(i); up != nil && up.Migration != nil {
			out, err := up.Migration(ctx, bs, pstate, i)
			if err != nil {
				return nil, fmt.Errorf("migration %s at %d: %w", up.Name, i, err)
			}
			if err := check("migration " + up.Name); err != nil {
				return nil, err
			}
			pstate = out
			res.Migrations = append(res.Migrations, up.Name)
		}
	}

	vm, rec, err := newMachine(ctx, bs, pstate, E, ts.MinTimestamp(), baseFee, ext, o)
	if err != nil {
		return nil, fmt.Errorf("epoch %d: %w", E, err)
	}
	res.NetworkVersion = vm.m.NetworkVersion()
	res.CirculatingSupply = vm.supply

	selected, err := SelectMessages(in.Messages, resolverAt(ctx, bs, ts.ParentState(), n.VersionAt(in.ParentEpoch)))
	if err != nil {
		return nil, err
	}
	for bi, blk := range ts.Blocks() {
		penalty, gasReward := big.Zero(), big.Zero()
		for _, m := range selected[bi] {
			start := rec.mark()
			ret, err := vm.e.ApplyMessage(ctx, m.Message, m.ChainLength)
			if err != nil {
				return nil, fmt.Errorf("applying message %s: %w", m.Cid, err)
			}
			if err := check("message " + m.Cid.String()); err != nil {
				return nil, err
			}
			res.Receipts = append(res.Receipts, ret.Receipt)
			res.Messages = append(res.Messages, Applied{Cid: m.Cid, Message: m.Message, Block: bi, Ret: ret, Trace: rec.since(start)})
			gasReward = big.Add(gasReward, ret.MinerTip)
			penalty = big.Add(penalty, ret.MinerPenalty)
			if o.StopAfter.Defined() && m.Cid.Equals(o.StopAfter) {
				res.Stopped = true
				if res.StateRoot, err = vm.m.Flush(ctx); err != nil {
					return nil, err
				}
				return res, nil
			}
		}
		if err := applyReward(ctx, vm, rec, E, bi, blk.Miner, penalty, gasReward, blk.WinCount(), res); err != nil {
			return nil, err
		}
		if err := check("reward"); err != nil {
			return nil, err
		}
	}
	if o.StopAfter.Defined() {
		return nil, fmt.Errorf("message %s is not applied in the tipset at %d", o.StopAfter, E)
	}
	if err := runCron(ctx, vm, rec, E, res); err != nil {
		return nil, err
	}
	if err := check("cron"); err != nil {
		return nil, err
	}
	// 3- or 4-field receipts by the main machine's version (chain.md §1.11).
	r, err := rules.For(res.NetworkVersion)
	if err != nil {
		return nil, err
	}
	for i := range res.Receipts {
		res.Receipts[i].WithEvents = r.ReceiptEventsRoot
	}
	if res.ReceiptsRoot, err = ReceiptsRoot(ctx, bs, res.Receipts); err != nil {
		return nil, err
	}
	for _, a := range res.Messages {
		if err := checkEvents(ctx, bs, a.Ret); err != nil {
			return nil, fmt.Errorf("message %s: %w", a.Cid, err)
		}
	}
	if res.StateRoot, err = vm.m.Flush(ctx); err != nil {
		return nil, fmt.Errorf("epoch %d: flush: %w", E, err)
	}
	return res, nil
}

// machine is one VM with its executor and circulating supply.
type machine struct {
	m      *kernel.Machine
	e      *kernel.Executor
	supply abi.TokenAmount
}

// recorder keeps one machine's trace events; marks cut it per message.
type recorder struct{ r *tracing.Recorder }

func (r recorder) mark() int {
	if r.r == nil {
		return 0
	}
	return len(r.r.Events)
}

func (r recorder) since(i int) []tracing.Event {
	if r.r == nil {
		return nil
	}
	return append([]tracing.Event(nil), r.r.Events[i:]...)
}

func newMachine(ctx context.Context, bs Blockstore, root cid.Cid, epoch abi.ChainEpoch, timestamp uint64,
	baseFee abi.TokenAmount, ext *chainExterns, o Options) (*machine, recorder, error) {
	nv := o.Network.VersionAt(epoch)
	supply, err := o.Network.Supply(ctx, bs, root, epoch, nv)
	if err != nil {
		return nil, recorder{}, fmt.Errorf("circulating supply: %w", err)
	}
	opts := []kernel.Option{
		kernel.WithEpoch(epoch), kernel.WithTimestamp(timestamp), kernel.WithBaseFee(baseFee),
		kernel.WithCirculatingSupply(supply), kernel.WithChainID(o.Network.ChainID),
		kernel.WithReachability(o.Reachability),
	}
	if o.Externs != nil {
		opts = append(opts, kernel.WithExterns(o.Externs))
	} else {
		opts = append(opts, kernel.WithExterns(ext))
	}
	if o.Engine != nil {
		opts = append(opts, kernel.WithEngine(o.Engine))
	}
	if o.Verifier != nil {
		opts = append(opts, kernel.WithProofVerifier(o.Verifier))
	}
	var rec recorder
	if o.Trace {
		rec.r = &tracing.Recorder{}
		opts = append(opts, kernel.WithHooks(rec.r.Hooks()))
	}
	m, err := kernel.NewMachine(ctx, bs, root, nv, opts...)
	if err != nil {
		return nil, recorder{}, err
	}
	return &machine{m: m, e: kernel.NewExecutor(m), supply: supply}, rec, nil
}

// runCron applies EpochTick (chain.md §1.8); a failure fails the tipset.
func runCron(ctx context.Context, vm *machine, rec recorder, epoch abi.ChainEpoch, res *Result) error {
	msg := &kernel.Message{From: systemAddr, To: cronAddr, Nonce: uint64(epoch), Value: big.Zero(),
		GasLimit: kernel.ImplicitGasLimit, GasFeeCap: big.Zero(), GasPremium: big.Zero(), Method: methodEpochTick}
	start := rec.mark()
	ret, err := vm.e.ApplyImplicitMessage(ctx, msg)
	if err != nil {
		return fmt.Errorf("cron at %d: %w", epoch, err)
	}
	res.Implicit = append(res.Implicit, Implicit{Kind: Cron, Epoch: epoch, Message: msg, Ret: ret, Trace: rec.since(start)})
	if ret.Receipt.ExitCode != exitcode.Ok {
		return fmt.Errorf("cron at %d exited %d: %s", epoch, ret.Receipt.ExitCode, ret.FailureInfo)
	}
	return nil
}

// applyReward applies AwardBlockReward for one block (chain.md §1.7).
func applyReward(ctx context.Context, vm *machine, rec recorder, epoch abi.ChainEpoch, block int, miner address.Address,
	penalty, gasReward abi.TokenAmount, winCount int64, res *Result) error {
	params, err := RewardParams(miner, penalty, gasReward, winCount)
	if err != nil {
		return err
	}
	msg := &kernel.Message{From: systemAddr, To: rewardAddr, Nonce: uint64(epoch), Value: big.Zero(),
		GasLimit: kernel.ImplicitGasLimit, GasFeeCap: big.Zero(), GasPremium: big.Zero(),
		Method: methodAwardBlockReward, Params: params}
	start := rec.mark()
	ret, err := vm.e.ApplyImplicitMessage(ctx, msg)
	if err != nil {
		return fmt.Errorf("reward for block %d (miner %s): %w", block, miner, err)
	}
	res.Implicit = append(res.Implicit, Implicit{Kind: Reward, Epoch: epoch, Block: block, Message: msg, Ret: ret, Trace: rec.since(start)})
	if ret.Receipt.ExitCode != exitcode.Ok {
		return fmt.Errorf("reward for block %d (miner %s) exited %d: %s", block, miner, ret.Receipt.ExitCode, ret.FailureInfo)
	}
	return nil
}

// RewardParams is the CBOR 4-tuple [miner, penalty, gas reward, win count]
// (chain.md §1.7).
func RewardParams(miner address.Address, penalty, gasReward abi.TokenAmount, winCount int64) ([]byte, error) {
	var buf bytes.Buffer
	w := cbg.NewCborWriter(&buf)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 4); err != nil {
		return nil, err
	}
	if err := miner.MarshalCBOR(w); err != nil {
		return nil, err
	}
	if err := penalty.MarshalCBOR(w); err != nil {
		return nil, err
	}
	if err := gasReward.MarshalCBOR(w); err != nil {
		return nil, err
	}
	var err error
	if winCount >= 0 {
		err = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(winCount))
	} else {
		err = w.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-winCount-1))
	}
	return buf.Bytes(), err
}

// resolverAt resolves addresses in the parent state (message selection's
// ID keys, chain.md §1.5).
func resolverAt(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version) Resolver {
	var st *actors.StateTree
	return func(a address.Address) (abi.ActorID, bool, error) {
		if a.Protocol() == address.ID {
			id, err := address.IDFromAddress(a)
			return abi.ActorID(id), err == nil, err
		}
		if st == nil {
			var err error
			if st, err = LoadStateTree(ctx, bs, root, nv); err != nil {
				return 0, false, fmt.Errorf("loading the parent state to key senders by id: %w", err)
			}
		}
		return st.LookupID(a)
	}
}
